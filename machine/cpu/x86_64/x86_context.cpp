// Calibration of the context-blob offsets, exactly as unicorn-2.0.1.md 4.4 describes it.
#include "machine/cpu/x86_64/x86_context.h"
#include "machine/error.h"
#include <unicorn/unicorn.h>
#include <optional>
#include <string>
#include <vector>

namespace kdsim::x86 {
namespace {

// uc_context in 2.0.1: {size_t context_size; uc_mode mode; uc_arch arch; char data[];}
constexpr size_t kHeader = sizeof(size_t) + sizeof(uc_mode) + sizeof(uc_arch);

constexpr uint16_t kSegMarker[4] = {0x7a31, 0x7a32, 0x7a33, 0x7a34};  // ES, CS, SS, DS
constexpr uint64_t kRipMarker = 0x13572468ace0;
constexpr uint64_t kCr3Marker = 0x5a5000;
constexpr uint64_t kCodePage = 0x1000;
// int $0x80 ; xor %ecx,%ecx ; div %ecx ; hlt
constexpr uint8_t kProbeCode[] = {0xcd, 0x80, 0x31, 0xc9, 0xf7, 0xf1, 0xf4};
constexpr uint64_t kAfterInt = kCodePage + 2;

struct Scratch {
  uc_engine* uc = nullptr;
  uc_context* ctx = nullptr;
  ~Scratch() {
    if (ctx) uc_context_free(ctx);
    if (uc) uc_close(uc);
  }
};

struct ProbeBlobs {
  uc_context* ctx = nullptr;
  size_t size = 0;
  std::vector<char> after_int, after_de;
  uint64_t int_rip = 0;
};

std::vector<char> copy_blob(uc_context* c, size_t size) {
  const char* p = reinterpret_cast<const char*>(c);
  return std::vector<char>(p, p + size);
}

template <typename T> T at(const char* d, size_t off) {
  T v;
  std::memcpy(&v, d + off, sizeof v);
  return v;
}

llvm::Error layout_differs(const std::string& check) {
  return make_error("x86_64 CPU: this Unicorn build's internal CPUX86State layout differs from "
                    "Unicorn 2.0.1's (context blob calibration failed: {})",
                    check);
}

// 1. The uc_context header is {size, mode, arch}.
llvm::Error check_header(Scratch& s, size_t total) {
  uc_context_save(s.uc, s.ctx);
  const char* blob = reinterpret_cast<const char*>(s.ctx);
  if (at<size_t>(blob, 0) != total - kHeader || at<uc_mode>(blob, 8) != UC_MODE_64 ||
      at<uc_arch>(blob, 12) != UC_ARCH_X86)
    return layout_differs("uc_context header is not {size, mode, arch}");
  return llvm::Error::success();
}

// 2a. segs[] from selector markers (64-bit engines store only the selector for ES/CS/SS/DS
// host writes), then hflags and eip at fixed distances before it.
llvm::Error find_segments(Scratch& s, size_t n, ContextLayout& l) {
  int seg_ids[4] = {UC_X86_REG_ES, UC_X86_REG_CS, UC_X86_REG_SS, UC_X86_REG_DS};
  for (int i = 0; i < 4; ++i) {
    uint64_t v = kSegMarker[i];
    uc_reg_write(s.uc, seg_ids[i], &v);
  }
  uint64_t rip = kRipMarker, cr3 = kCr3Marker;
  uc_reg_write(s.uc, UC_X86_REG_RIP, &rip);
  uc_reg_write(s.uc, UC_X86_REG_CR3, &cr3);
  uc_context_save(s.uc, s.ctx);
  const char* d = reinterpret_cast<const char*>(s.ctx) + kHeader;
  std::optional<size_t> segs;
  for (size_t o = 0; o + 76 <= n; o += 4) {
    if (at<uint32_t>(d, o) == kSegMarker[0] && at<uint32_t>(d, o + 24) == kSegMarker[1] &&
        at<uint32_t>(d, o + 48) == kSegMarker[2] && at<uint32_t>(d, o + 72) == kSegMarker[3]) {
      if (segs) return layout_differs("the segment selector markers appear twice");
      segs = o;
    }
  }
  if (!segs || *segs < 56) return layout_differs("segs[] not found from the ES/CS/SS/DS selector markers");
  l.segs = *segs;
  l.hflags = l.segs - 8;  // u32 hflags, u32 hflags2, then segs[]
  l.eip = l.hflags - 48;
  if (at<uint64_t>(d, l.eip) != kRipMarker)
    return layout_differs(fmt::format("eip (hflags - 48 = 0x{:x}) does not hold the RIP marker", l.eip));
  uint32_t hf = at<uint32_t>(d, l.hflags);
  if ((hf & kHfLma) == 0 || (hf & kHfCs64) == 0)
    return layout_differs(fmt::format("hflags 0x{:x} at 0x{:x} lacks LMA|CS64", hf, l.hflags));
  return llvm::Error::success();
}

// 2b. cr[3] (the marker written in 2a) after segs[], then EFER after it, proven by setting SCE
// through the blob and reading the MSR back.
llvm::Error find_cr3_and_efer(Scratch& s, size_t n, ContextLayout& l) {
  const char* d = reinterpret_cast<const char*>(s.ctx) + kHeader;
  std::optional<size_t> cr3_off;
  for (size_t o = l.segs; o + 8 <= n; o += 8)
    if (at<uint64_t>(d, o) == kCr3Marker) { cr3_off = o; break; }
  if (!cr3_off) return layout_differs("cr[3] not found after segs[]");
  l.cr3 = *cr3_off;

  uc_x86_msr efer{0xc0000080, 0};
  uc_reg_read(s.uc, UC_X86_REG_MSR, &efer);
  std::optional<size_t> efer_off;
  for (size_t o = l.cr3 + 16; o + 8 <= n; o += 8)
    if (at<uint64_t>(d, o) == efer.value) { efer_off = o; break; }
  if (!efer_off) return layout_differs(fmt::format("efer (0x{:x}) not found after cr[3]", efer.value));
  l.efer = *efer_off;
  char* w = reinterpret_cast<char*>(s.ctx) + kHeader;
  uint64_t v = efer.value | 1;  // SCE
  std::memcpy(w + l.efer, &v, 8);
  uc_context_restore(s.uc, s.ctx);
  uc_x86_msr check{0xc0000080, 0};
  uc_reg_read(s.uc, UC_X86_REG_MSR, &check);
  if (check.value != (efer.value | 1))
    return layout_differs(fmt::format("setting SCE at efer offset 0x{:x} read back EFER 0x{:x}", l.efer, check.value));
  return llvm::Error::success();
}

// 3a. Runs `int $0x80` then a #DE, saving the blob in UC_HOOK_INTR after each.
llvm::Expected<ProbeBlobs> run_exception_probe(Scratch& s, size_t total) {
  if (uc_mem_map(s.uc, kCodePage, 0x1000, UC_PROT_ALL) != UC_ERR_OK ||
      uc_mem_write(s.uc, kCodePage, kProbeCode, sizeof kProbeCode) != UC_ERR_OK)
    return make_error("x86_64 CPU: cannot map the calibration page");
  ProbeBlobs probe{s.ctx, total, {}, {}, 0};
  uc_hook hook;
  auto on_intr = +[](uc_engine* uc, uint32_t intno, void* ud) {
    auto* p = static_cast<ProbeBlobs*>(ud);
    uc_context_save(uc, p->ctx);
    if (intno == 0x80 && p->after_int.empty()) {
      p->after_int = copy_blob(p->ctx, p->size);
      uc_reg_read(uc, UC_X86_REG_RIP, &p->int_rip);
    } else {
      if (intno == 0 && p->after_de.empty()) p->after_de = copy_blob(p->ctx, p->size);
      uc_emu_stop(uc);  // RIP stays on the faulting insn; do not re-run it
    }
  };
  if (uc_hook_add(s.uc, &hook, UC_HOOK_INTR, reinterpret_cast<void*>(on_intr), &probe, 1, 0) != UC_ERR_OK)
    return make_error("x86_64 CPU: cannot add the calibration hook");
  uint64_t rsp = kCodePage + 0xf00;
  uc_reg_write(s.uc, UC_X86_REG_RSP, &rsp);
  uc_emu_start(s.uc, kCodePage, kCodePage + 0x800, 0, 0);
  uc_hook_del(s.uc, hook);  // `probe` lives on this frame only
  if (probe.after_int.empty() || probe.int_rip != kAfterInt)
    return layout_differs("`int $0x80` did not reach UC_HOOK_INTR with RIP after the instruction");
  if (probe.after_de.empty()) return layout_differs("`div` by zero did not reach UC_HOOK_INTR as vector 0");
  return probe;
}

// 3b. error_code / exception_is_int / old_exception from the two probe blobs.
llvm::Error find_exception_fields(const ProbeBlobs& probe, size_t n, ContextLayout& l) {
  const char* di = probe.after_int.data() + kHeader;
  std::optional<size_t> next_eip;
  for (size_t o = 8; o + 8 <= n; o += 4) {
    if (o == l.eip) continue;
    if (at<uint64_t>(di, o) == kAfterInt && at<int32_t>(di, o - 4) == 1) {
      next_eip = o;
      break;
    }
  }
  if (!next_eip) return layout_differs("exception_next_eip (== RIP after `int`, preceded by is_int 1) not found");
  l.exception_is_int = *next_eip - 4;
  l.error_code = *next_eip - 8;
  l.old_exception = l.error_code + 112;
  if (l.old_exception + 4 > n) return layout_differs("old_exception lies beyond the blob");
  if (at<int32_t>(di, l.error_code) != 0)
    return layout_differs(fmt::format("error_code at 0x{:x} is not 0 after `int $0x80`", l.error_code));
  if (at<int32_t>(di, l.old_exception) != -1)
    return layout_differs(fmt::format("old_exception at 0x{:x} is not -1 after `int $0x80`", l.old_exception));
  const char* dd = probe.after_de.data() + kHeader;
  if (at<int32_t>(dd, l.old_exception) != 0)
    return layout_differs(fmt::format("old_exception at 0x{:x} is not 0 after a #DE", l.old_exception));
  if (at<int32_t>(dd, l.exception_is_int) != 0)
    return layout_differs(fmt::format("exception_is_int at 0x{:x} is not 0 after a #DE", l.exception_is_int));
  return llvm::Error::success();
}

llvm::Expected<ContextLayout> calibrate() {
  Scratch s;
  if (uc_open(UC_ARCH_X86, UC_MODE_64, &s.uc) != UC_ERR_OK) return make_error("x86_64 CPU: uc_open failed");
  if (uc_context_alloc(s.uc, &s.ctx) != UC_ERR_OK) return make_error("x86_64 CPU: uc_context_alloc failed");
  const size_t total = uc_context_size(s.uc);
  if (total <= kHeader + 1024) return layout_differs(fmt::format("context size 0x{:x} is too small", total));
  const size_t n = total - kHeader;
  ContextLayout l;
  l.header = kHeader;
  if (auto err = check_header(s, total)) return err;
  if (auto err = find_segments(s, n, l)) return err;
  if (auto err = find_cr3_and_efer(s, n, l)) return err;
  auto probe = run_exception_probe(s, total);
  if (!probe) return probe.takeError();
  if (auto err = find_exception_fields(*probe, n, l)) return err;
  return l;
}

struct Cached {
  std::optional<ContextLayout> layout;
  std::string error;
};

}  // namespace

llvm::Expected<ContextLayout> context_layout() {
  static const Cached cached = [] {
    Cached c;
    auto l = calibrate();
    if (l) c.layout = *l;
    else c.error = llvm::toString(l.takeError());
    return c;
  }();
  if (cached.layout) return *cached.layout;
  return make_error("{}", cached.error);
}

}  // namespace kdsim::x86
