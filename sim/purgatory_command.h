// `kdsim purgatory extract`: kexec-tools' purgatory.ro out of a kexec binary
// (firmware-less-boot/kexec/purgatory_extract.h), written atomically.
#pragma once
#include "machine/cpu.h"
#include <optional>
#include <string>

namespace kdsim {

struct PurgatoryExtractArgs {
  std::string kexec_binary;
  std::string output;
  std::optional<Arch> arch;  // none: the kexec binary's own machine
};

// Prints what it wrote, or "kdsim: error: ..." on stderr; returns the exit code (exit_codes.h).
// On any failure the output file is left as it was.
int purgatory_extract_command(const PurgatoryExtractArgs& args);

}  // namespace kdsim
