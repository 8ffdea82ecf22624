#include "machine/host_file.h"
#include "sim/purgatory_command.h"
#include "firmware-less-boot/kexec/purgatory_extract.h"
#include "machine/assert.h"
#include "machine/error.h"
#include "sim/exit_codes.h"
#include <filesystem>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace kdsim {

namespace {

ExitCode exit_code_for(PurgatoryExtractFailure failure) {
  switch (failure) {
    case PurgatoryExtractFailure::Unreadable: return ExitCode::InputError;
    case PurgatoryExtractFailure::NotElf: return ExitCode::NotElf;
    case PurgatoryExtractFailure::UnknownArch: return ExitCode::Usage;
    case PurgatoryExtractFailure::NotFound: return ExitCode::NoPurgatory;
    case PurgatoryExtractFailure::Invalid: return ExitCode::BadPurgatory;
  }
  KDSIM_ASSERT(false, "extract failure {}", static_cast<int>(failure));
  return ExitCode::InternalError;
}

// Written under a temporary name beside the output, renamed over it only once complete.
llvm::Error write_atomically(const std::filesystem::path& out, const std::vector<uint8_t>& bytes) {
  std::filesystem::path tmp = out;
  tmp.replace_filename(".kdsim-tmp-" + out.filename().string());
  if (auto err = write_fresh_file(tmp, {reinterpret_cast<const char*>(bytes.data()), bytes.size()})) return err;
  return rename_into_place(tmp, out);
}

}  // namespace

int purgatory_extract_command(const PurgatoryExtractArgs& args) {
  auto found = extract_purgatory_file(args.kexec_binary, args.arch);
  if (!found) {
    ExitCode code = ExitCode::InternalError;
    std::string text;
    llvm::handleAllErrors(
        found.takeError(),
        [&](const PurgatoryExtractError& e) {
          code = exit_code_for(e.failure());
          text = e.text();
        },
        [&](const llvm::ErrorInfoBase& e) { text = e.message(); });
    fmt::print(stderr, "kdsim: error: {}\n", text);
    return static_cast<int>(code);
  }
  if (auto err = write_atomically(args.output, found->bytes)) {
    fmt::print(stderr, "kdsim: error: {}\n", error_text(std::move(err)));
    return static_cast<int>(ExitCode::InputError);
  }
  fmt::print("{}: {} purgatory at offset 0x{:x}, 0x{:x} bytes (entry at +0x{:x}, memsz 0x{:x}) -> {}\n",
             args.kexec_binary, arch_name(found->image.arch()), found->offset, found->bytes.size(),
             found->image.entry_offset(), found->image.memsz(), args.output);
  return static_cast<int>(ExitCode::Ok);
}

}  // namespace kdsim
