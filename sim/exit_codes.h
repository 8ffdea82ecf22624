// kdsim's process exit codes (documented in `kdsim --help` and README.md).
#pragma once

namespace kdsim {

enum class ExitCode : int {
  Ok = 0,                // the scenario ran and every expectation was met
  ExpectationsFailed = 1,  // the scenario ran, but the outcome differs from what it expects, or
                           // a step could not be carried out (RunResult::errors)
  Usage = 2,             // the command line is wrong
  InputError = 3,        // the scenario, a kernel image, an input file or the output is unusable
  InternalError = 4,     // a bug in kdsim
  // kdsim purgatory extract:
  NotElf = 5,            // the kexec binary is not an ELF file
  NoPurgatory = 6,       // it holds no ELF64 ET_REL object of the wanted machine
  BadPurgatory = 7,      // it holds one, but truncated or refused by the purgatory loader
};

inline constexpr const char* kExitCodeHelp =
    "Exit codes:\n"
    "  0  the scenario ran and every expectation was met (extract: the purgatory was written)\n"
    "  1  the scenario ran but an expectation was not met, or a step could not be carried out\n"
    "     (a fault injection that does not apply, kexec refusing its inputs; see transcript.txt)\n"
    "  2  usage error\n"
    "  3  input error: the scenario, a kernel image, an input file or the output is unusable\n"
    "  4  internal error in kdsim\n"
    "  5  purgatory extract: the kexec binary is not an ELF file\n"
    "  6  purgatory extract: no embedded purgatory of that arch in the kexec binary\n"
    "  7  purgatory extract: the embedded purgatory is truncated or invalid\n"
    "  130, 143  interrupted by SIGINT, SIGTERM (128 + signo); unfinished files were removed\n";

}  // namespace kdsim
