// kexec-tools' purgatory, taken out of a kexec binary. kexec-tools links purgatory.ro into the
// binary as a byte array (symbols `purgatory` and `purgatory_size`, gone once the binary is
// stripped), so the object is found by scanning: every "\x7fELF" that starts an ELF64 LSB
// ET_REL header is a candidate; the candidate's extent is the end of its section header table
// or of its last section, whichever is later; the first candidate of the wanted machine that
// PurgatoryImage accepts and that has every symbol kdsim sets (purgatory_abi.h) is the answer.
// Other "\x7fELF" byte strings in a binary (string literals, tables) are skipped.
#pragma once
#include "firmware-less-boot/kexec/purgatory_image.h"
#include <llvm/Support/Error.h>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace kdsim {

// Why an extraction failed; the CLI maps each to its own exit code.
enum class PurgatoryExtractFailure {
  Unreadable,   // the file cannot be read
  NotElf,       // the file is not an ELF file
  UnknownArch,  // no arch given and the file's e_machine is not one kdsim emulates
  NotFound,     // no ELF64 ET_REL object of the wanted machine inside the file
  Invalid,      // one was found, but it is truncated or the loader refuses it
};

class PurgatoryExtractError : public llvm::ErrorInfo<PurgatoryExtractError> {
public:
  static char ID;
  PurgatoryExtractError(PurgatoryExtractFailure failure, std::string message)
      : m_failure(failure), m_message(std::move(message)) {}
  PurgatoryExtractFailure failure() const { return m_failure; }
  const std::string& text() const { return m_message; }
  void log(llvm::raw_ostream& os) const override;
  std::error_code convertToErrorCode() const override;

private:
  PurgatoryExtractFailure m_failure;
  std::string m_message;
};

struct EmbeddedPurgatory {
  uint64_t offset = 0;         // where the object starts in the file
  std::vector<uint8_t> bytes;  // the object: a purgatory.ro file
  PurgatoryImage image;        // the object, checked (named "<file>+0x<offset>")
};

// Scans `file` (named `name` in errors) for the purgatory of `arch`; without an arch, the arch of
// the file's own e_machine (a kexec binary carries the purgatory of its own machine).
// Every error is a PurgatoryExtractError.
llvm::Expected<EmbeddedPurgatory> extract_purgatory(const std::string& name, std::span<const uint8_t> file,
                                                    std::optional<Arch> arch);
llvm::Expected<EmbeddedPurgatory> extract_purgatory_file(const std::string& path, std::optional<Arch> arch);

}  // namespace kdsim
