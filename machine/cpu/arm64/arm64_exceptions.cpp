// Exception entry for Arm64Cpu. Unicorn 2.0.1 never vectors anything through VBAR_EL1: the
// UC_HOOK_INTR callback gets QEMU's EXCP_* number and the host performs the entry the Arm ARM
// describes (D1.10 "Exception entry"), as tested in unicorn-2.0.1.md 3.2. The guest returns
// with its own `eret`.
#include "machine/assert.h"
#include "machine/cpu/arm64/arm64_context.h"
#include "machine/cpu/arm64/arm64_cpu.h"
#include <unicorn/unicorn.h>

namespace kdsim {

namespace {
// QEMU's target/arm/cpu.h EXCP_* numbers as UC_HOOK_INTR reports them.
enum : uint32_t {
  kExcpUdef = 1,
  kExcpSwi = 2,
  kExcpPrefetchAbort = 3,
  kExcpDataAbort = 4,
  kExcpBkpt = 7,
  kExcpHvc = 11,
  kExcpSmc = 13,
  kExcpInvState = 18,
  kExcpUnaligned = 22,
};
// Vector table offsets (Arm ARM D1.10.2): which group of four entries an exception uses.
constexpr uint64_t kFromCurrentElSp0 = 0x000, kFromCurrentElSpx = 0x200, kFromLowerElAarch64 = 0x400;
constexpr int64_t kSmcccNotSupported = -1;
// Beyond this many exceptions with no translated block entered in between, the guest is
// faulting on its own vector (e.g. VBAR_EL1 unmapped): real hardware would spin forever.
constexpr unsigned kMaxExceptionsWithoutProgress = 64;
}  // namespace

void Arm64Cpu::on_interrupt(uint32_t intno) {
  if (m_instructions != m_progress_mark) m_exceptions_without_progress = 0;  // a block ran since
  m_progress_mark = m_instructions;
  if (++m_exceptions_without_progress > kMaxExceptionsWithoutProgress) {
    fault(fmt::format("exception loop: {} exceptions (last intno {}) without executing an instruction, "
                      "PC {}, VBAR_EL1 0x{:x}",
                      m_exceptions_without_progress - 1, intno, VirtAddr(pc()), sysreg(Arm64SysReg::VBAR_EL1)));
    return;
  }
  if (arm64_pstate::el(pstate()) > 1) {
    fault(fmt::format("exception intno {} at EL{} (PC {}): only EL0/EL1 are modelled", intno,
                      arm64_pstate::el(pstate()), VirtAddr(pc())));
    return;
  }
  uc_context_save(m_uc.get(), m_ctx.get());
  uint32_t esr = context_get<uint32_t>(m_ctx.get(), m_layout.syndrome);
  capture_hflags_if_el1();
  switch (intno) {
  case kExcpHvc:
  case kExcpSmc: {
    // PSCI / SMCCC: PC is already past the instruction; the immediate is ISS[15:0].
    FirmwareConduit conduit = intno == kExcpHvc ? FirmwareConduit::Hvc : FirmwareConduit::Smc;
    if (m_host)
      m_host->firmware_call(*this, conduit, uint16_t(esr & 0xffff));
    else
      set_x(0, uint64_t(kSmcccNotSupported));
    return;
  }
  case kExcpPrefetchAbort:
  case kExcpDataAbort:
  case kExcpUnaligned:
    take_exception(Vector::Sync, Syndrome{esr, context_get<uint64_t>(m_ctx.get(), m_layout.vaddress)});
    return;
  case kExcpUdef:
  case kExcpSwi:
  case kExcpBkpt:
  case kExcpInvState:
    take_exception(Vector::Sync, Syndrome{esr, std::nullopt});
    return;
  default:
    fault(fmt::format("unexpected exception intno {} (syndrome 0x{:x}) at PC {}", intno, esr, VirtAddr(pc())));
    return;
  }
}

// PC is already the preferred return address for every exception Unicorn reports
// (unicorn-2.0.1.md 3: next insn for svc, the faulting insn for aborts/UDEF/brk).
void Arm64Cpu::take_exception(Vector kind, std::optional<Syndrome> syndrome) {
  using namespace arm64_pstate;
  uint64_t return_pc = pc();
  uint64_t ps = pstate();
  unsigned from_el = el(ps);
  KDSIM_ASSERT(from_el <= 1, "exception entry from EL{}", from_el);
  uint64_t group = from_el == 0 ? kFromLowerElAarch64 : (ps & kSpSel) ? kFromCurrentElSpx : kFromCurrentElSp0;

  write_cp(sysreg_encoding(Arm64SysReg::ELR_EL1), return_pc);
  write_cp(sysreg_encoding(Arm64SysReg::SPSR_EL1), ps);
  if (syndrome) {
    write_cp(sysreg_encoding(Arm64SysReg::ESR_EL1), syndrome->esr);
    if (syndrome->far) write_cp(sysreg_encoding(Arm64SysReg::FAR_EL1), *syndrome->far);
  }
  // SP banking: PSTATE writes do not switch stacks. Park the live SP_EL0, load SP_EL1.
  if (uses_sp_el0(ps)) {
    write_reg(UC_ARM64_REG_SP_EL0, sp());
    set_sp(read_reg(UC_ARM64_REG_SP_EL1));
  }
  write_reg(UC_ARM64_REG_PSTATE, (ps & kNzcv) | kDaif | kEl1h);
  if (from_el == 0) set_el1_hflags_in_blob();
  set_pc(sysreg(Arm64SysReg::VBAR_EL1) + group + uint64_t(kind));
}

bool Arm64Cpu::deliver_interrupt(uint8_t) {
  KDSIM_ASSERT(!m_running, "arm64 CPU {}: deliver_interrupt during run()", index());
  uint64_t ps = pstate();
  if ((ps & arm64_pstate::kI) || arm64_pstate::el(ps) > 1) return false;
  if (arm64_pstate::el(ps) == 1) {
    uc_context_save(m_uc.get(), m_ctx.get());
    capture_hflags_if_el1();
  }
  take_exception(Vector::Irq, std::nullopt);
  return true;
}

// The translator keys on QEMU's cached hflags, which a host PSTATE write never rebuilds: after
// an EL0 -> EL1 entry the handler would still be translated for EL0. Patch in the flags last
// seen at EL1 (unicorn-2.0.1.md 3.2). The guest's next `msr` to a system register rebuilds
// them for real.
void Arm64Cpu::set_el1_hflags_in_blob() {
  uc_context_save(m_uc.get(), m_ctx.get());
  context_put<uint32_t>(m_ctx.get(), m_layout.hflags, m_el1_hflags);
  uc_context_restore(m_uc.get(), m_ctx.get());
}

// Expects m_ctx to hold a fresh uc_context_save.
void Arm64Cpu::capture_hflags_if_el1() {
  if (arm64_pstate::el(context_get<uint32_t>(m_ctx.get(), m_layout.pstate)) == 1)
    m_el1_hflags = context_get<uint32_t>(m_ctx.get(), m_layout.hflags);
}

}  // namespace kdsim
