#include "sim/test_children.h"
#include "machine/assert.h"
#include "machine/error.h"
#include <atomic>
#include <cerrno>
#include <csignal>
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

// The children running now, for the signal handler: SIGINT/SIGTERM to `kdsim test` go on to
// them (each `kdsim run` removes its own unfinished files), no new one starts, and the parent
// waits for them before it exits 128 + signo. Lock-free atomics: the handler only loads them
// and calls kill(2), which is async-signal-safe (signal-safety(7)).
std::atomic<pid_t> g_children[kMaxChildJobs];
volatile std::sig_atomic_t g_stop_signal = 0;
static_assert(std::atomic<pid_t>::is_always_lock_free, "the signal handler reads the child table");

extern "C" void forward_to_children(int signo) {
  g_stop_signal = signo;
  for (const std::atomic<pid_t>& child : g_children)
    if (const pid_t pid = child.load(std::memory_order_acquire); pid > 0) ::kill(pid, signo);
}

// Installs forward_to_children for SIGINT and SIGTERM (without SA_RESTART, so that waitpid
// returns EINTR) and puts the previous handlers back when it goes.
class ForwardInterrupts {
public:
  ForwardInterrupts() {
    struct sigaction sa {};
    sa.sa_handler = forward_to_children;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGINT, &sa, &m_old_int);
    ::sigaction(SIGTERM, &sa, &m_old_term);
  }
  ~ForwardInterrupts() {
    ::sigaction(SIGINT, &m_old_int, nullptr);
    ::sigaction(SIGTERM, &m_old_term, nullptr);
  }
  ForwardInterrupts(const ForwardInterrupts&) = delete;
  ForwardInterrupts& operator=(const ForwardInterrupts&) = delete;

private:
  struct sigaction m_old_int {}, m_old_term {};
};

// A free slot of the child table for `pid`; kMaxChildJobs bounds -j, so there always is one.
size_t remember_child(pid_t pid) {
  for (size_t slot = 0; slot < kMaxChildJobs; ++slot) {
    pid_t expected = 0;
    if (g_children[slot].compare_exchange_strong(expected, pid, std::memory_order_acq_rel)) return slot;
  }
  KDSIM_ASSERT(false, "more than {} children at once", kMaxChildJobs);
  return 0;
}

struct Running {
  size_t index;
  Clock::time_point started;
  size_t slot;  // in g_children
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

int run_children(const std::vector<ChildSpec>& specs, unsigned jobs, const ChildEvents& events) {
  KDSIM_ASSERT(jobs >= 1 && jobs <= kMaxChildJobs, "run_children with {} jobs", jobs);
  g_stop_signal = 0;
  ForwardInterrupts forward;
  std::map<pid_t, Running> running;
  size_t next = 0;
  while ((next < specs.size() && !g_stop_signal) || !running.empty()) {
    while (next < specs.size() && running.size() < jobs && !g_stop_signal) {
      size_t i = next++;
      events.started(i);
      auto [pid, err] = spawn(specs[i]);
      if (pid < 0) {
        events.finished(i, ChildExit{.exit_code = -1, .signal = 0,
                                     .spawn_error = fmt::format("{}: {}", specs[i].argv[0], std::strerror(err)),
                                     .seconds = 0});
        continue;
      }
      running.emplace(pid, Running{i, Clock::now(), remember_child(pid)});
      // A signal between posix_spawn and remember_child did not reach this child.
      if (const int signo = g_stop_signal) ::kill(pid, signo);
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
    g_children[r.slot].store(0, std::memory_order_release);
    // After a signal the children end because of it: no verdicts, only the wait.
    if (!g_stop_signal) events.finished(r.index, exit_of(status, r.started));
  }
  return g_stop_signal;
}

llvm::Expected<std::string> self_executable() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return make_error("/proc/self/exe: cannot resolve this program's path: {}", ec.message());
  return exe.string();
}

}  // namespace kdsim
