#include "machine/cpu.h"

namespace kdsim {

std::string_view arch_name(Arch arch) {
  switch (arch) {
  case Arch::Arm64: return "arm64";
  case Arch::X86_64: return "x86_64";
  }
  return "?";
}

std::string_view halt_kind_name(HaltKind kind) {
  switch (kind) {
  case HaltKind::QuantumExpired: return "quantum-expired";
  case HaltKind::Idle: return "idle";
  case HaltKind::StopRequested: return "stop-requested";
  case HaltKind::GuestFault: return "guest-fault";
  }
  return "?";
}

}  // namespace kdsim
