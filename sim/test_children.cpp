#include "sim/test_children.h"
#include "machine/assert.h"
#include "machine/error.h"
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace kdsim {

namespace {

using Clock = std::chrono::steady_clock;

struct Running {
  size_t index;
  Clock::time_point started;
};

// Starts one child; returns its pid, or the errno posix_spawn gave.
std::pair<pid_t, int> spawn(const ChildSpec& spec) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, spec.stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, spec.stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  std::vector<char*> argv;
  for (const std::string& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));  // posix_spawn's signature
  argv.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return {rc == 0 ? pid : -1, rc};
}

ChildExit exit_of(int status, Clock::time_point started) {
  ChildExit e;
  e.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  if (WIFEXITED(status)) e.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) e.signal = WTERMSIG(status);
  return e;
}

}  // namespace

void run_children(const std::vector<ChildSpec>& specs, unsigned jobs, const ChildEvents& events) {
  KDSIM_ASSERT(jobs >= 1, "run_children with {} jobs", jobs);
  std::map<pid_t, Running> running;
  size_t next = 0;
  while (next < specs.size() || !running.empty()) {
    while (next < specs.size() && running.size() < jobs) {
      size_t i = next++;
      events.started(i);
      auto [pid, err] = spawn(specs[i]);
      if (pid < 0) {
        events.finished(i, ChildExit{.exit_code = -1, .signal = 0,
                                     .spawn_error = fmt::format("{}: {}", specs[i].argv[0], std::strerror(err)),
                                     .seconds = 0});
        continue;
      }
      running.emplace(pid, Running{i, Clock::now()});
    }
    if (running.empty()) continue;
    int status = 0;
    pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) {
      KDSIM_ASSERT(errno == EINTR, "waitpid: {}", std::strerror(errno));
      continue;
    }
    auto it = running.find(pid);
    if (it == running.end()) continue;  // not one of ours
    Running r = it->second;
    running.erase(it);
    events.finished(r.index, exit_of(status, r.started));
  }
}

llvm::Expected<std::string> self_executable() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return make_error("/proc/self/exe: cannot resolve this program's path: {}", ec.message());
  return exe.string();
}

}  // namespace kdsim
