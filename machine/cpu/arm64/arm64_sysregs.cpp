#include "machine/cpu/arm64/arm64_sysregs.h"

namespace kdsim {

std::string_view sysreg_name(Arm64SysReg reg) {
  using R = Arm64SysReg;
  switch (reg) {
  case R::SCTLR_EL1: return "SCTLR_EL1";
  case R::ACTLR_EL1: return "ACTLR_EL1";
  case R::CPACR_EL1: return "CPACR_EL1";
  case R::TCR_EL1: return "TCR_EL1";
  case R::TTBR0_EL1: return "TTBR0_EL1";
  case R::TTBR1_EL1: return "TTBR1_EL1";
  case R::MAIR_EL1: return "MAIR_EL1";
  case R::AMAIR_EL1: return "AMAIR_EL1";
  case R::VBAR_EL1: return "VBAR_EL1";
  case R::ESR_EL1: return "ESR_EL1";
  case R::FAR_EL1: return "FAR_EL1";
  case R::PAR_EL1: return "PAR_EL1";
  case R::ELR_EL1: return "ELR_EL1";
  case R::SPSR_EL1: return "SPSR_EL1";
  case R::SP_EL0: return "SP_EL0";
  case R::SP_EL1: return "SP_EL1";
  case R::TPIDR_EL0: return "TPIDR_EL0";
  case R::TPIDRRO_EL0: return "TPIDRRO_EL0";
  case R::TPIDR_EL1: return "TPIDR_EL1";
  case R::CONTEXTIDR_EL1: return "CONTEXTIDR_EL1";
  case R::CNTKCTL_EL1: return "CNTKCTL_EL1";
  case R::MIDR_EL1: return "MIDR_EL1";
  case R::MPIDR_EL1: return "MPIDR_EL1";
  case R::SCR_EL3: return "SCR_EL3";
  case R::HCR_EL2: return "HCR_EL2";
  }
  return "?";
}

}  // namespace kdsim
