// Files kdsim is still writing (a vmcore as .vmcore.partial, reports under .kdsim-tmp-*), kept
// in a fixed table so that SIGINT or SIGTERM can remove them from the signal handler itself:
// the handler makes only async-signal-safe calls (unlink, write, _exit), so it works at any
// point of a run — inside a Unicorn slice, in the middle of a dump's pwrite — without the run
// loop having to poll for it. Complete outputs are renamed into place and leave the table first,
// so an interrupted run never removes or truncates a finished file (issue #12).
#pragma once
#include <csignal>
#include <filesystem>

namespace kdsim {

// Remembers `path` (made absolute) until forget_partial_file. Called before the file is created,
// so there is no moment when it exists unremembered. More than kMaxPartialFiles at once is a bug.
void remember_partial_file(const std::filesystem::path& path);
void forget_partial_file(const std::filesystem::path& path);
inline constexpr unsigned kMaxPartialFiles = 32;

// main() installs this once: on SIGINT/SIGTERM, unlink every remembered file, print
// "kdsim: interrupted by SIGTERM; unfinished files removed" on stderr, and _exit(128 + signo).
void install_partial_file_cleanup();

// While one lives, SIGINT/SIGTERM wait (they are blocked, then delivered when it goes): for a
// commit of several renames that must not be cut in half (the four reports of a run).
class DeferInterrupts {
public:
  DeferInterrupts();
  ~DeferInterrupts();
  DeferInterrupts(const DeferInterrupts&) = delete;
  DeferInterrupts& operator=(const DeferInterrupts&) = delete;

private:
  sigset_t m_saved;
};

}  // namespace kdsim
