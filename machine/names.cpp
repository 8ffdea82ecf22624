#include "machine/cpu.h"

namespace kdsim {

std::string_view arch_name(Arch arch) {
  switch (arch) {
  case Arch::Arm64: return "arm64";
  case Arch::X86_64: return "x86_64";
  }
  return "?";
}

}  // namespace kdsim
