// arm64 system registers the host reads and writes, named as in the Arm ARM (D13/D17), with the
// MRS/MSR encodings Unicorn's UC_ARM64_REG_CP_REG wants (unicorn-2.0.1.md 1.2).
#pragma once
#include <cstdint>
#include <string_view>

namespace kdsim {

enum class Arm64SysReg {
  SCTLR_EL1,
  ACTLR_EL1,
  CPACR_EL1,
  TCR_EL1,
  TTBR0_EL1,
  TTBR1_EL1,
  MAIR_EL1,
  AMAIR_EL1,
  VBAR_EL1,
  ESR_EL1,
  FAR_EL1,
  PAR_EL1,
  ELR_EL1,
  SPSR_EL1,
  SP_EL0,  // banked stack pointers: the accessors return the architectural value, see
  SP_EL1,  // Arm64Cpu::sysreg()
  TPIDR_EL0,
  TPIDRRO_EL0,
  TPIDR_EL1,
  CONTEXTIDR_EL1,
  CNTKCTL_EL1,
  MIDR_EL1,
  MPIDR_EL1,  // what the guest reads (0x80000000 | index), not Unicorn's reset value
  SCR_EL3,
  HCR_EL2,
};

// op0:op1:CRn:CRm:op2 of an MRS/MSR/SYS instruction.
struct Arm64SysRegEncoding {
  uint8_t op0 = 0, op1 = 0, crn = 0, crm = 0, op2 = 0;
  constexpr bool operator==(const Arm64SysRegEncoding&) const = default;
};

constexpr Arm64SysRegEncoding sysreg_encoding(Arm64SysReg reg) {
  using R = Arm64SysReg;
  switch (reg) {
  case R::SCTLR_EL1: return {3, 0, 1, 0, 0};
  case R::ACTLR_EL1: return {3, 0, 1, 0, 1};
  case R::CPACR_EL1: return {3, 0, 1, 0, 2};
  case R::TCR_EL1: return {3, 0, 2, 0, 2};
  case R::TTBR0_EL1: return {3, 0, 2, 0, 0};
  case R::TTBR1_EL1: return {3, 0, 2, 0, 1};
  case R::MAIR_EL1: return {3, 0, 10, 2, 0};
  case R::AMAIR_EL1: return {3, 0, 10, 3, 0};
  case R::VBAR_EL1: return {3, 0, 12, 0, 0};
  case R::ESR_EL1: return {3, 0, 5, 2, 0};
  case R::FAR_EL1: return {3, 0, 6, 0, 0};
  case R::PAR_EL1: return {3, 0, 7, 4, 0};
  case R::ELR_EL1: return {3, 0, 4, 0, 1};
  case R::SPSR_EL1: return {3, 0, 4, 0, 0};
  case R::SP_EL0: return {3, 0, 4, 1, 0};
  case R::SP_EL1: return {3, 4, 4, 1, 0};
  case R::TPIDR_EL0: return {3, 3, 13, 0, 2};
  case R::TPIDRRO_EL0: return {3, 3, 13, 0, 3};
  case R::TPIDR_EL1: return {3, 0, 13, 0, 4};
  case R::CONTEXTIDR_EL1: return {3, 0, 13, 0, 1};
  case R::CNTKCTL_EL1: return {3, 0, 14, 1, 0};
  case R::MIDR_EL1: return {3, 0, 0, 0, 0};
  case R::MPIDR_EL1: return {3, 0, 0, 0, 5};
  case R::SCR_EL3: return {3, 6, 1, 1, 0};
  case R::HCR_EL2: return {3, 4, 1, 1, 0};
  }
  return {};
}

std::string_view sysreg_name(Arm64SysReg reg);

// Encodings the CPU intercepts or issues itself.
namespace arm64_enc {
inline constexpr Arm64SysRegEncoding TLBI_VMALLE1{1, 0, 8, 7, 0};  // a "write" runs the TLBI
inline constexpr uint8_t kSysTlbiCrn = 8, kSysTlbiInnerShareableCrm = 3;
inline constexpr uint8_t kSysCacheCrn = 7;
}  // namespace arm64_enc

// PSTATE / SPSR fields (Arm ARM C5.2.18).
namespace arm64_pstate {
inline constexpr uint32_t kSpSel = 1u << 0;
inline constexpr uint32_t kElShift = 2, kElMask = 3u << 2;
inline constexpr uint32_t kF = 1u << 6, kI = 1u << 7, kA = 1u << 8, kD = 1u << 9;
inline constexpr uint32_t kDaif = kD | kA | kI | kF;
inline constexpr uint32_t kNzcv = 0xfu << 28;
inline constexpr uint32_t kEl1h = (1u << kElShift) | kSpSel;  // 0x5
inline constexpr unsigned el(uint64_t pstate) { return (pstate & kElMask) >> kElShift; }
// True when SP is SP_EL0 (EL0, or ELx with SPSel = 0).
inline constexpr bool uses_sp_el0(uint64_t pstate) { return el(pstate) == 0 || !(pstate & kSpSel); }
}  // namespace arm64_pstate

inline constexpr uint64_t kSctlrM = 1u << 0;
inline constexpr uint64_t kSctlrEl1Reset = 0xc50838;  // Unicorn's reset value (MMU, caches off)

}  // namespace kdsim
