// `kdsim test`, step two: each scenario runs as its own process (a crash or a leak in one run
// cannot touch another), at most N at a time. posix_spawn and a waitpid loop: no threads.
#pragma once
#include <llvm/Support/Error.h>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace kdsim {

struct ChildSpec {
  std::vector<std::string> argv;  // argv[0] is the program run
  std::filesystem::path stdout_path, stderr_path;  // truncated; stdin is /dev/null
};

struct ChildExit {
  int exit_code = -1;       // -1: killed by a signal, or never started
  int signal = 0;           // the signal that killed it
  std::string spawn_error;  // posix_spawn failed: why
  double seconds = 0;       // host wall time, for the report only
};

struct ChildEvents {
  std::function<void(size_t index)> started;
  std::function<void(size_t index, const ChildExit&)> finished;
};

// The most children run at once (-j).
inline constexpr unsigned kMaxChildJobs = 256;

// Runs every spec, at most `jobs` at a time, in order of the list; the events come in the
// parent, as children start and end. SIGINT or SIGTERM meanwhile is sent on to the running
// children, no other starts, and it returns once they have all ended: the signal's number
// (0 when none came), for the caller to exit 128 + signo.
int run_children(const std::vector<ChildSpec>& specs, unsigned jobs, const ChildEvents& events);

// This process's own executable (/proc/self/exe resolved), to run `kdsim run` with.
llvm::Expected<std::string> self_executable();

}  // namespace kdsim
