#include "machine/partial_files.h"
#include "machine/assert.h"
#include <atomic>
#include <csignal>
#include <cstring>
#include <unistd.h>

namespace kdsim {

namespace {

// A slot is claimed (Free -> Filling) by compare-exchange, filled, then published as Live with
// release order; the handler only reads Live slots. PATH_MAX bounds what open() accepts anyway.
enum SlotState : int { kFree = 0, kFilling = 1, kLive = 2 };
struct Slot {
  std::atomic<int> state{kFree};
  char path[4096];
};
Slot g_slots[kMaxPartialFiles];
static_assert(std::atomic<int>::is_always_lock_free, "the signal handler reads the slot states");

// Async-signal-safe: unlink(2), write(2) and _exit(2) only (signal-safety(7)).
extern "C" void remove_partial_files_and_exit(int signo) {
  for (Slot& s : g_slots)
    if (s.state.load(std::memory_order_acquire) == kLive) ::unlink(s.path);
  static const char kInt[] = "kdsim: interrupted by SIGINT; unfinished files removed\n";
  static const char kTerm[] = "kdsim: interrupted by SIGTERM; unfinished files removed\n";
  const bool is_int = signo == SIGINT;
  ssize_t ignored = ::write(STDERR_FILENO, is_int ? kInt : kTerm, is_int ? sizeof kInt - 1 : sizeof kTerm - 1);
  (void)ignored;
  ::_exit(128 + signo);  // the shell's convention for "ended by signal signo"
}

sigset_t interrupt_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

void remember_partial_file(const std::filesystem::path& path) {
  std::error_code ec;
  const std::string abs = std::filesystem::absolute(path, ec).string();
  // Too long to remember is also too long to create: open() fails with ENAMETOOLONG.
  if (ec || abs.size() >= sizeof(Slot::path)) return;
  for (const Slot& s : g_slots)  // the same temporary name written again (a retried report)
    if (s.state.load(std::memory_order_acquire) == kLive && abs == s.path) return;
  for (Slot& s : g_slots) {
    int expected = kFree;
    if (!s.state.compare_exchange_strong(expected, kFilling)) continue;
    std::memcpy(s.path, abs.c_str(), abs.size() + 1);
    s.state.store(kLive, std::memory_order_release);
    return;
  }
  KDSIM_ASSERT(false, "more than {} unfinished files at once (remembering {})", kMaxPartialFiles, abs);
}

void forget_partial_file(const std::filesystem::path& path) {
  std::error_code ec;
  const std::string abs = std::filesystem::absolute(path, ec).string();
  for (Slot& s : g_slots)
    if (s.state.load(std::memory_order_acquire) == kLive && abs == s.path) {
      s.state.store(kFree, std::memory_order_release);
      return;
    }
}

void install_partial_file_cleanup() {
  struct sigaction sa {};
  sa.sa_handler = remove_partial_files_and_exit;
  sa.sa_mask = interrupt_signals();  // a second signal waits instead of re-entering
  for (int signo : {SIGINT, SIGTERM}) ::sigaction(signo, &sa, nullptr);
}

DeferInterrupts::DeferInterrupts() {
  const sigset_t block = interrupt_signals();
  ::pthread_sigmask(SIG_BLOCK, &block, &m_saved);
}

DeferInterrupts::~DeferInterrupts() { ::pthread_sigmask(SIG_SETMASK, &m_saved, nullptr); }

}  // namespace kdsim
