// The symbols kdsim's kexec-tools role sets or reads in a purgatory (crash_load.cpp), per arch,
// with the sizes kexec-tools uses (kexec-tools-purgatory.md section 4.5). A purgatory that has
// them all, at those sizes and outside NOBITS sections, can be loaded by kdsim: kdsim's own
// (kernels/purgatory/) and kexec-tools' purgatory.ro both do.
#pragma once
#include "firmware-less-boot/kexec/purgatory_image.h"
#include <llvm/Support/Error.h>
#include <cstdint>
#include <span>

namespace kdsim {

struct PurgatoryAbiSymbol {
  enum class Use {
    Value,    // set or read as exactly `size` bytes (elf_rel_set_symbol / elf_rel_get_symbol)
    Address,  // only its address is taken (elf_rel_get_addr)
  };
  const char* name;
  uint64_t size;  // Use::Value only
  Use use;
};

// Every symbol kdsim requires in a purgatory of that arch (kdsim_stage_port, which only kdsim's
// own purgatory has, is optional and not listed).
std::span<const PurgatoryAbiSymbol> purgatory_abi_symbols(Arch arch);

// Places the image at a base of its alignment and checks every symbol of purgatory_abi_symbols();
// the first failure is returned as "<file>: Symbol: ... (kdsim's kexec role needs '<name>', N bytes)".
llvm::Error check_purgatory_abi(const PurgatoryImage& image);

}  // namespace kdsim
