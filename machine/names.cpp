#include "machine/cpu.h"

namespace kdsim {

namespace {
// ELF e_machine values (include/uapi/linux/elf-em.h: EM_AARCH64 183, EM_X86_64 62).
constexpr uint16_t kEmAarch64 = 183, kEmX86_64 = 62;
}  // namespace

std::string_view arch_name(Arch arch) {
  switch (arch) {
  case Arch::Arm64: return "arm64";
  case Arch::X86_64: return "x86_64";
  }
  return "?";
}

std::optional<Arch> parse_arch(std::string_view name) {
  if (name == "arm64" || name == "aarch64") return Arch::Arm64;
  if (name == "x86_64") return Arch::X86_64;
  return std::nullopt;
}

uint16_t elf_machine(Arch arch) { return arch == Arch::Arm64 ? kEmAarch64 : kEmX86_64; }

std::optional<Arch> arch_of_elf_machine(uint16_t e_machine) {
  if (e_machine == kEmAarch64) return Arch::Arm64;
  if (e_machine == kEmX86_64) return Arch::X86_64;
  return std::nullopt;
}

}  // namespace kdsim
