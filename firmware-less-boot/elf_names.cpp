#include "firmware-less-boot/elf_names.h"
#include <fmt/format.h>
#include <llvm/BinaryFormat/ELF.h>

namespace kdsim::elf {

uint16_t machine_for(Arch arch) { return elf_machine(arch); }

const char* machine_symbol(uint16_t e_machine) {
  switch (e_machine) {
  case llvm::ELF::EM_NONE: return "EM_NONE";
  case llvm::ELF::EM_386: return "EM_386";
  case llvm::ELF::EM_ARM: return "EM_ARM";
  case llvm::ELF::EM_X86_64: return "EM_X86_64";
  case llvm::ELF::EM_AARCH64: return "EM_AARCH64";
  case llvm::ELF::EM_RISCV: return "EM_RISCV";
  }
  return "unknown";
}

std::string machine_name(uint16_t e_machine) {
  return fmt::format("{} ({})", machine_symbol(e_machine), e_machine);
}

std::string type_name(uint16_t e_type) {
  const char* name = "unknown";
  switch (e_type) {
  case llvm::ELF::ET_NONE: name = "ET_NONE"; break;
  case llvm::ELF::ET_REL: name = "ET_REL"; break;
  case llvm::ELF::ET_EXEC: name = "ET_EXEC"; break;
  case llvm::ELF::ET_DYN: name = "ET_DYN"; break;
  case llvm::ELF::ET_CORE: name = "ET_CORE"; break;
  }
  return fmt::format("{} ({})", name, e_type);
}

}  // namespace kdsim::elf
