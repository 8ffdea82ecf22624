// kdsim's process exit codes (documented in `kdsim --help` and README.md).
#pragma once

namespace kdsim {

enum class ExitCode : int {
  Ok = 0,                // the scenario ran and every expectation was met
  ExpectationsFailed = 1,  // the scenario ran, but the outcome differs from what it expects
  Usage = 2,             // the command line is wrong
  InputError = 3,        // the scenario, a kernel image or the output directory is unusable
  InternalError = 4,     // a bug in kdsim
};

inline constexpr const char* kExitCodeHelp =
    "Exit codes:\n"
    "  0  the scenario ran and every expectation was met\n"
    "  1  the scenario ran but an expectation was not met (see transcript.txt)\n"
    "  2  usage error\n"
    "  3  input error: the scenario, a kernel image or the output directory is unusable\n"
    "  4  internal error in kdsim\n";

}  // namespace kdsim
