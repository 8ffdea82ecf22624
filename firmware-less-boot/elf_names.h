// Names of ELF header constants for error messages ("EM_X86_64 (62)"), per the System V gABI
// and include/uapi/linux/elf-em.h.
#pragma once
#include "machine/cpu.h"
#include <cstdint>
#include <string>

namespace kdsim::elf {

// e_machine the loader expects for an arch: EM_AARCH64 (183) or EM_X86_64 (62).
uint16_t machine_for(Arch arch);
// "EM_X86_64"; "unknown" for values not listed.
const char* machine_symbol(uint16_t e_machine);
// "EM_X86_64 (62)".
std::string machine_name(uint16_t e_machine);
// "ET_REL (1)".
std::string type_name(uint16_t e_type);

}  // namespace kdsim::elf
