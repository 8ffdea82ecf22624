// The x86 context blob: uc_context_save() copies QEMU's raw CPUX86State. Unicorn 2.0.1 exposes
// neither the CPL (hflags), nor the CS/SS descriptor caches, nor the pending error code, nor
// `old_exception` (the #DF state machine), yet exception entry needs all of them
// (unicorn-2.0.1.md 4.2 and 4.4, mechanism 3). Their offsets are calibrated once per process in
// a scratch engine; every check of the reference is repeated, and a failed check refuses to
// create any x86 CPU rather than patching a layout we do not understand.
#pragma once
#include <llvm/Support/Error.h>
#include <cstddef>
#include <cstdint>
#include <cstring>

struct uc_struct;
struct uc_context;

namespace kdsim::x86 {

struct ContextLayout {
  size_t header = 0;  // offset of the CPUX86State copy inside uc_context
  size_t eip = 0, hflags = 0, segs = 0, cr3 = 0, efer = 0;
  size_t error_code = 0, exception_is_int = 0, old_exception = 0;
};

// Calibrated on the first call, then cached for the process (thread-safe).
llvm::Expected<ContextLayout> context_layout();

// hflags bits (QEMU target/i386/cpu.h)
inline constexpr uint32_t kHfCplMask = 3;
inline constexpr uint32_t kHfSs32 = 1u << 5;
inline constexpr uint32_t kHfLma = 1u << 14;
inline constexpr uint32_t kHfCs64 = 1u << 15;

enum class Seg { Es = 0, Cs = 1, Ss = 2, Ds = 3, Fs = 4, Gs = 5 };

// SegmentCache {u32 selector; u64 base; u32 limit; u32 flags}, 24 bytes; flags = the
// descriptor's high dword.
struct SegmentCache {
  uint32_t selector = 0;
  uint64_t base = 0;
  uint32_t limit = 0;
  uint32_t flags = 0;
};

// Typed access to one saved blob.
class ContextView {
public:
  ContextView(const ContextLayout& l, uc_context* c) : m_l(l), m_data(reinterpret_cast<char*>(c) + l.header) {}
  template <typename T> T get(size_t off) const {
    T v;
    std::memcpy(&v, m_data + off, sizeof v);
    return v;
  }
  template <typename T> void put(size_t off, T v) { std::memcpy(m_data + off, &v, sizeof v); }

  uint32_t hflags() const { return get<uint32_t>(m_l.hflags); }
  void set_hflags(uint32_t v) { put(m_l.hflags, v); }
  unsigned cpl() const { return hflags() & kHfCplMask; }
  int32_t error_code() const { return get<int32_t>(m_l.error_code); }
  bool exception_is_int() const { return get<int32_t>(m_l.exception_is_int) != 0; }
  void clear_old_exception() { put<int32_t>(m_l.old_exception, -1); }
  uint64_t efer() const { return get<uint64_t>(m_l.efer); }
  void set_efer(uint64_t v) { put(m_l.efer, v); }
  void set_segment(Seg s, const SegmentCache& c) {
    size_t o = m_l.segs + 24 * static_cast<size_t>(s);
    put(o, c.selector);
    put(o + 8, c.base);
    put(o + 16, c.limit);
    put(o + 20, c.flags);
  }

private:
  const ContextLayout& m_l;
  char* m_data;
};

}  // namespace kdsim::x86
