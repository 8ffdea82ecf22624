// Calibration of the context-blob layout (see arm64_context.h). Runs three probes in a scratch
// engine that never touches guest RAM:
//   1. registers: host-written markers for x30, SP and PC must sit next to each other
//      (xregs[30], xregs[31], pc), followed by pstate = EL1h and aarch64 = 1; a PC written into
//      the blob must read back through uc_context_reg_read.
//   2. data abort: `ldr x2, [x1, #0x18]` on an unmapped VA puts vaddress = x1 + 0x18 (a value in
//      no register) in the blob, 8 bytes after a syndrome with EC 0x25; a following store must
//      land at the same offsets with WnR set.
//   3. hflags: an `svc` from EL0 is entered at EL1 by patching the EL1 hflags word into the
//      blob; the handler's `mrs x3, CurrentEL` must then run (not UDEF) and read EL1, and the
//      svc's syndrome must be 0x56000077.
#include "machine/cpu/arm64/arm64_context.h"
#include "machine/cpu/arm64/arm64_sysregs.h"
#include "machine/error.h"
#include <unicorn/unicorn.h>
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kdsim {

namespace {

// uc_context as laid out by Unicorn 2.0.1 (uc_priv.h): the CPU state follows this header.
struct UcContextHeader {
  size_t context_size;
  uc_mode mode;
  uc_arch arch;
};

constexpr uint64_t kCodeBase = 0x40000000, kCodeSize = 0x10000;
constexpr uint64_t kFaultWindow = 0x80000000;  // in a Unicorn region, but no PTE maps it
constexpr uint64_t kL1Table = kCodeBase + 0x4000;
constexpr uint32_t kExcpUdef = 1, kExcpSwi = 2, kExcpDataAbort = 4, kExcpBkpt = 7;

struct Scratch {
  uc_engine* uc = nullptr;
  uc_context* ctx = nullptr;
  ~Scratch() {
    if (ctx) uc_context_free(ctx);
    if (uc) uc_close(uc);
  }
};

llvm::Error layout_error(std::string_view check, std::string detail) {
  return make_error("arm64 CPU: this Unicorn build's internal CPUARMState layout differs from "
                    "Unicorn 2.0.1 as kdsim knows it (unicorn-2.0.1.md 3.1); calibration check "
                    "'{}' failed: {}",
                    check, detail);
}

void write_cp(uc_engine* uc, Arm64SysRegEncoding e, uint64_t v) {
  uc_arm64_cp_reg r{.crn = e.crn, .crm = e.crm, .op0 = e.op0, .op1 = e.op1, .op2 = e.op2, .val = v};
  uc_reg_write(uc, UC_ARM64_REG_CP_REG, &r);
}

void write_reg(uc_engine* uc, int id, uint64_t v) { uc_reg_write(uc, id, &v); }
uint64_t read_reg(uc_engine* uc, int id) {
  uint64_t v = 0;
  uc_reg_read(uc, id, &v);
  return v;
}

void put_code(uc_engine* uc, uint64_t at, std::initializer_list<uint32_t> words) {
  std::vector<uint32_t> w(words);
  uc_mem_write(uc, at, w.data(), w.size() * 4);
}

size_t data_size(uc_context* ctx) { return reinterpret_cast<UcContextHeader*>(ctx)->context_size; }

std::vector<size_t> find_u64(uc_context* ctx, uint64_t value) {
  std::vector<size_t> hits;
  for (size_t o = 0; o + 8 <= data_size(ctx); o += 4)
    if (context_get<uint64_t>(ctx, o) == value) hits.push_back(o);
  return hits;
}

// Probe 1: pc / pstate / hflags.
llvm::Error find_register_block(Scratch& s, Arm64ContextLayout& l) {
  constexpr uint64_t x30 = 0x7e57c0de00001e30, sp = 0x7e57c0de000005f0, pc = kCodeBase + 0xa5c4;
  write_reg(s.uc, UC_ARM64_REG_X30, x30);
  write_reg(s.uc, UC_ARM64_REG_SP, sp);
  write_reg(s.uc, UC_ARM64_REG_PC, pc);
  uc_context_save(s.uc, s.ctx);
  std::optional<size_t> found;
  for (size_t o : find_u64(s.ctx, pc))
    if (o >= 16 && context_get<uint64_t>(s.ctx, o - 8) == sp && context_get<uint64_t>(s.ctx, o - 16) == x30)
      found = o;
  if (!found)
    return layout_error("registers", fmt::format("no PC marker 0x{:x} preceded by SP 0x{:x} and x30 0x{:x} "
                                                 "in the {}-byte blob", pc, sp, x30, data_size(s.ctx)));
  l.pc = *found;
  l.pstate = l.pc + 8;
  l.hflags = l.pc + 16;
  uint32_t pstate = context_get<uint32_t>(s.ctx, l.pstate), aarch64 = context_get<uint32_t>(s.ctx, l.pc + 12);
  if (pstate != arm64_pstate::kEl1h || aarch64 != 1)
    return layout_error("registers", fmt::format("after pc at +0x{:x}: pstate 0x{:x} (want 0x5, EL1h), "
                                                 "aarch64 {} (want 1)", l.pc, pstate, aarch64));
  if (context_get<uint32_t>(s.ctx, l.hflags) == 0)
    return layout_error("registers", fmt::format("hflags at +0x{:x} is 0", l.hflags));
  // The blob offset must be what Unicorn itself reads as PC.
  context_put<uint64_t>(s.ctx, l.pc, pc + 0x40);
  uint64_t back = 0;
  uc_context_reg_read(s.ctx, UC_ARM64_REG_PC, &back);
  if (back != pc + 0x40)
    return layout_error("registers", fmt::format("uc_context_reg_read(PC) = 0x{:x} after writing 0x{:x} at +0x{:x}",
                                                 back, pc + 0x40, l.pc));
  return llvm::Error::success();
}

struct AbortProbe {
  uc_context* ctx = nullptr;
  std::vector<uint32_t> intnos;
  std::array<std::optional<size_t>, 2> vaddress;
  std::array<uint32_t, 2> syndrome{};
  unsigned aborts = 0;
};

// Probe 2: syndrome / vaddress. MMU on with one 1 GiB block for the code; kFaultWindow unmapped.
llvm::Error find_exception_fields(Scratch& s, Arm64ContextLayout& l) {
  constexpr uint64_t code = kCodeBase + 0x200;
  constexpr uint64_t desc = kCodeBase | 1 /*block*/ | (1u << 10) /*AF*/ | (3u << 8) /*ISH*/;
  uc_mem_write(s.uc, kL1Table + 8 * 1, &desc, 8);
  put_code(s.uc, code, {0xf9400c22,    // ldr x2, [x1, #0x18]
                        0xf9002022,    // str x2, [x1, #0x40]
                        0xd4200220});  // brk #0x11
  write_cp(s.uc, sysreg_encoding(Arm64SysReg::MAIR_EL1), 0xff);
  // T0SZ=25 (39-bit VA, level-1 start), inner-shareable WBWA walks, 4 KiB granule, EPD1.
  write_cp(s.uc, sysreg_encoding(Arm64SysReg::TCR_EL1), 25 | (1u << 8) | (1u << 10) | (3u << 12) | (1u << 23));
  write_cp(s.uc, sysreg_encoding(Arm64SysReg::TTBR0_EL1), kL1Table);
  write_cp(s.uc, sysreg_encoding(Arm64SysReg::SCTLR_EL1), kSctlrEl1Reset | kSctlrM);
  write_cp(s.uc, arm64_enc::TLBI_VMALLE1, 0);
  write_reg(s.uc, UC_ARM64_REG_X1, kFaultWindow);

  AbortProbe p{.ctx = s.ctx};
  auto hook = +[](uc_engine* uc, uint32_t intno, void* user) {
    auto& p = *static_cast<AbortProbe*>(user);
    p.intnos.push_back(intno);
    if (intno != kExcpDataAbort || p.aborts >= 2) {
      uc_emu_stop(uc);
      return;
    }
    unsigned i = p.aborts++;
    uint64_t far = kFaultWindow + (i == 0 ? 0x18 : 0x40);
    uc_context_save(uc, p.ctx);
    for (size_t o : find_u64(p.ctx, far)) {
      if (o < 8) continue;
      uint32_t syn = context_get<uint32_t>(p.ctx, o - 8);
      if ((syn >> 26) == 0x25) {
        p.vaddress[i] = o;
        p.syndrome[i] = syn;
        break;
      }
    }
    write_reg(uc, UC_ARM64_REG_PC, read_reg(uc, UC_ARM64_REG_PC) + 4);  // skip the access
  };
  uc_hook h;
  uc_hook_add(s.uc, &h, UC_HOOK_INTR, reinterpret_cast<void*>(hook), &p, 1, 0);
  uc_err err = uc_emu_start(s.uc, code, 0, 0, 16);
  uc_hook_del(s.uc, h);
  write_cp(s.uc, sysreg_encoding(Arm64SysReg::SCTLR_EL1), kSctlrEl1Reset);
  write_cp(s.uc, arm64_enc::TLBI_VMALLE1, 0);

  if (err != UC_ERR_OK || p.aborts != 2)
    return layout_error("data abort", fmt::format("expected two data aborts (intno 4) from a load and a store "
                                                  "through an unmapped VA, got {} (run: {})",
                                                  p.aborts, uc_strerror(err)));
  if (!p.vaddress[0])
    return layout_error("data abort", fmt::format("no u64 0x{:x} after a u32 with EC 0x25 in the blob",
                                                  kFaultWindow + 0x18));
  if (p.vaddress[1] != p.vaddress[0] || !(p.syndrome[1] & (1u << 6)) || (p.syndrome[0] & (1u << 6)))
    return layout_error("data abort", fmt::format("load: vaddress at +0x{:x} syndrome 0x{:x}; store: vaddress "
                                                  "at +0x{:x} syndrome 0x{:x} (want same offset, WnR only on the store)",
                                                  *p.vaddress[0], p.syndrome[0], p.vaddress[1].value_or(0), p.syndrome[1]));
  l.vaddress = *p.vaddress[0];
  l.syndrome = l.vaddress - 8;
  return llvm::Error::success();
}

struct HflagsProbe {
  const Arm64ContextLayout* l = nullptr;
  uc_context* ctx = nullptr;
  uint32_t el1_hflags = 0, el0_hflags = 0, svc_syndrome = 0;
  std::vector<uint32_t> intnos;
};

// Probe 3: EL0 -> EL1 entry by hflags patch (MMU off).
llvm::Error check_hflags(Scratch& s, const Arm64ContextLayout& l) {
  constexpr uint64_t el1 = kCodeBase + 0x1000, el0 = kCodeBase + 0x1100, vbar = kCodeBase + 0x1800;
  put_code(s.uc, el1, {0xd69f03e0});              // eret
  put_code(s.uc, el0, {0xd4000ee1});              // svc #0x77
  put_code(s.uc, vbar + 0x400, {0xd5384243,       // mrs x3, CurrentEL
                                0xd4200220});     // brk #0x11
  write_cp(s.uc, sysreg_encoding(Arm64SysReg::ELR_EL1), el0);
  write_cp(s.uc, sysreg_encoding(Arm64SysReg::SPSR_EL1), 0);  // EL0t
  write_cp(s.uc, sysreg_encoding(Arm64SysReg::VBAR_EL1), vbar);
  write_reg(s.uc, UC_ARM64_REG_X3, 0xdead);

  HflagsProbe p{.l = &l, .ctx = s.ctx};
  uc_context_save(s.uc, s.ctx);
  p.el1_hflags = context_get<uint32_t>(s.ctx, l.hflags);
  auto hook = +[](uc_engine* uc, uint32_t intno, void* user) {
    auto& p = *static_cast<HflagsProbe*>(user);
    p.intnos.push_back(intno);
    if (intno != kExcpSwi || p.intnos.size() > 1) {
      uc_emu_stop(uc);
      return;
    }
    uc_context_save(uc, p.ctx);
    p.el0_hflags = context_get<uint32_t>(p.ctx, p.l->hflags);
    p.svc_syndrome = context_get<uint32_t>(p.ctx, p.l->syndrome);
    write_reg(uc, UC_ARM64_REG_PSTATE, 0x3c5);
    uc_context_save(uc, p.ctx);
    context_put<uint32_t>(p.ctx, p.l->hflags, p.el1_hflags);
    uc_context_restore(uc, p.ctx);
    uint64_t vbar = 0;
    uc_arm64_cp_reg r{.crn = 12, .crm = 0, .op0 = 3, .op1 = 0, .op2 = 0, .val = 0};
    uc_reg_read(uc, UC_ARM64_REG_CP_REG, &r);
    vbar = r.val;
    write_reg(uc, UC_ARM64_REG_PC, vbar + 0x400);
  };
  uc_hook h;
  uc_hook_add(s.uc, &h, UC_HOOK_INTR, reinterpret_cast<void*>(hook), &p, 1, 0);
  uc_err err = uc_emu_start(s.uc, el1, 0, 0, 16);
  uc_hook_del(s.uc, h);
  uint64_t x3 = read_reg(s.uc, UC_ARM64_REG_X3);

  if (err != UC_ERR_OK || p.intnos.size() != 2 || p.intnos[0] != kExcpSwi)
    return layout_error("hflags", fmt::format("expected svc (intno 2) then brk (7), got {} exception(s), first {} (run: {})",
                                              p.intnos.size(), p.intnos.empty() ? 0 : p.intnos[0], uc_strerror(err)));
  if (p.svc_syndrome != 0x56000077)
    return layout_error("hflags", fmt::format("svc #0x77 syndrome at +0x{:x} is 0x{:x}, want 0x56000077",
                                              l.syndrome, p.svc_syndrome));
  if (p.el0_hflags == p.el1_hflags)
    return layout_error("hflags", fmt::format("word at +0x{:x} is 0x{:x} at both EL0 and EL1", l.hflags, p.el1_hflags));
  if (p.intnos[1] == kExcpUdef || p.intnos[1] != kExcpBkpt || x3 != (1u << 2))
    return layout_error("hflags", fmt::format("after patching EL1 hflags 0x{:x} the handler took intno {} with "
                                              "x3 (CurrentEL) = 0x{:x}; want brk (7) and 0x4",
                                              p.el1_hflags, p.intnos[1], x3));
  return llvm::Error::success();
}

llvm::Expected<Arm64ContextLayout> calibrate() {
  Scratch s;
  uc_err err = uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &s.uc);
  if (err != UC_ERR_OK) return make_error("arm64 CPU: calibration engine: uc_open: {}", uc_strerror(err));
  if ((err = uc_ctl_set_cpu_model(s.uc, UC_CPU_ARM64_A57)) != UC_ERR_OK)
    return make_error("arm64 CPU: calibration engine: cpu model A57: {}", uc_strerror(err));
  write_cp(s.uc, sysreg_encoding(Arm64SysReg::SCR_EL3), 0x501);
  write_cp(s.uc, sysreg_encoding(Arm64SysReg::HCR_EL2), 1ull << 31);
  if ((err = uc_mem_map(s.uc, kCodeBase, kCodeSize, UC_PROT_ALL)) != UC_ERR_OK ||
      (err = uc_mem_map(s.uc, kFaultWindow, 0x1000, UC_PROT_ALL)) != UC_ERR_OK ||
      (err = uc_context_alloc(s.uc, &s.ctx)) != UC_ERR_OK)
    return make_error("arm64 CPU: calibration engine setup: {}", uc_strerror(err));

  auto* hdr = reinterpret_cast<UcContextHeader*>(s.ctx);
  if (hdr->arch != UC_ARCH_ARM64 || hdr->context_size + sizeof(UcContextHeader) != uc_context_size(s.uc))
    return layout_error("context header", fmt::format("arch {} size {} + header {} != uc_context_size {}",
                                                      int(hdr->arch), hdr->context_size, sizeof(UcContextHeader),
                                                      uc_context_size(s.uc)));
  Arm64ContextLayout l{.blob_size = hdr->context_size};
  if (auto e = find_register_block(s, l)) return e;
  if (auto e = find_exception_fields(s, l)) return e;
  if (auto e = check_hflags(s, l)) return e;
  return l;
}

}  // namespace

uint8_t* arm64_context_data(uc_context* ctx) {
  return reinterpret_cast<uint8_t*>(ctx) + sizeof(UcContextHeader);
}

llvm::Expected<const Arm64ContextLayout*> arm64_context_layout() {
  struct Result {
    Arm64ContextLayout layout;
    std::string error;
  };
  static const Result result = [] {
    auto l = calibrate();
    if (!l) return Result{{}, llvm::toString(l.takeError())};
    return Result{*l, {}};
  }();
  if (!result.error.empty()) return make_error("{}", result.error);
  return &result.layout;
}

}  // namespace kdsim
