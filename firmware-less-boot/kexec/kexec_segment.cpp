#include "firmware-less-boot/kexec/kexec_segment.h"
#include "machine/error.h"
#include <algorithm>

namespace kdsim {

llvm::Expected<std::vector<KexecSegment>> prepare_kexec_segments(std::vector<KexecSegment> segments) {
  std::vector<KexecSegment> out;
  out.reserve(segments.size());
  for (size_t i = 0; i < segments.size(); ++i) {
    KexecSegment& s = segments[i];
    if (s.buf.size() > s.memsz) s.buf.resize(s.memsz);
    if (s.memsz == 0) continue;  // "Forget empty segments"
    uint64_t rounded = (s.memsz + kKexecPageSize - 1) & ~(kKexecPageSize - 1);
    if (rounded < s.memsz || s.mem.value() + rounded < s.mem.value())
      return make_error("kexec segment {} ({}): [{}, +0x{:x}) wraps around the physical address space", i, s.what,
                        s.mem, s.memsz);
    if (!s.mem.is_aligned(kKexecPageSize))
      return make_error("kexec segment {} ({}): Base address: {:x} is not page aligned", i, s.what, s.mem.value());
    s.memsz = rounded;
    out.push_back(std::move(s));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const KexecSegment& a, const KexecSegment& b) { return a.mem < b.mem; });
  for (size_t i = 1; i < out.size(); ++i) {
    const KexecSegment& lo = out[i - 1];
    const KexecSegment& hi = out[i];
    uint64_t end = lo.mem.value() + lo.memsz;
    if (end > hi.mem.value())
      return make_error("Overlapping memory segments at 0x{:x}: segment ({}) {} and segment ({}) {}", end, lo.what,
                        lo.range(), hi.what, hi.range());
  }
  return out;
}

llvm::Error check_segments_in_memory(std::span<const KexecSegment> segments, std::span<const PhysRange> memory) {
  for (const KexecSegment& s : segments) {
    bool inside = std::any_of(memory.begin(), memory.end(),
                              [&](const PhysRange& r) { return s.memsz == 0 || r.contains(s.mem, s.memsz); });
    if (!inside)
      return make_error("Invalid memory segment 0x{:x} - 0x{:x} ({})", s.mem.value(),
                        s.mem.value() + s.memsz - 1, s.what);
  }
  return llvm::Error::success();
}

}  // namespace kdsim
