// Unfinished files and interrupts (issue #12): SIGTERM/SIGINT remove every file kdsim is still
// writing and exit 128+signo; finished files (renamed into place) are never touched; OUTDIR is
// checked before a run. Signals are raised in a forked child so the test runner survives.
#include "machine/host_file.h"
#include "machine/partial_files.h"
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

using namespace kdsim;
namespace fs = std::filesystem;

namespace {

fs::path fresh_dir(const char* what) {
  const fs::path dir = fs::temp_directory_path() / fmt::format("kdsim-{}-{}", what, getpid());
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// Runs `body` in a child with the cleanup installed, then raises `signo` there; returns the
// child's exit status (-1 if it did not exit normally).
template <typename F> int status_after_signal(int signo, F body) {
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    install_partial_file_cleanup();
    body();
    ::raise(signo);
    ::_exit(99);  // not reached: the handler exits
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_CASE("SIGTERM removes unfinished files, keeps finished ones, exits 143") {
  const fs::path dir = fresh_dir("partial-term");
  const fs::path partial = dir / ".vmcore.partial", done_tmp = dir / ".kdsim-tmp-summary.json";
  const int status = status_after_signal(SIGTERM, [&] {
    auto fd = create_fresh_file(partial);  // still being written when the signal comes
    if (!fd) ::_exit(98);
    if (write_fresh_file(done_tmp, "{}") || rename_into_place(done_tmp, dir / "summary.json")) ::_exit(97);
  });
  CHECK(status == 128 + SIGTERM);
  CHECK_FALSE(fs::exists(partial));
  CHECK(fs::exists(dir / "summary.json"));  // renamed into place: finished, so kept
  fs::remove_all(dir);
}

TEST_CASE("SIGINT exits 130, and a file the program removed is forgotten, not removed again") {
  const fs::path dir = fresh_dir("partial-int");
  const fs::path tmp = dir / ".kdsim-tmp-report.html";
  const int status = status_after_signal(SIGINT, [&] {
    auto fd = create_fresh_file(tmp);
    if (!fd) ::_exit(98);
    ::close(*fd);
    remove_partial_file(tmp);
    std::ofstream(tmp) << "someone else's file now";  // the name is reused by another writer
  });
  CHECK(status == 128 + SIGINT);
  CHECK(fs::exists(tmp));
  fs::remove_all(dir);
}

TEST_CASE("DeferInterrupts: a SIGTERM inside the guarded commit is handled after it") {
  const fs::path dir = fresh_dir("partial-defer");
  const fs::path tmp = dir / ".kdsim-tmp-console.log";
  const int status = status_after_signal(SIGTERM, [&] {
    if (write_fresh_file(tmp, "console")) ::_exit(98);
    {
      const DeferInterrupts commit;
      ::raise(SIGTERM);  // pending until the guard goes
      if (rename_into_place(tmp, dir / "console.log")) ::_exit(97);
    }
    ::_exit(96);  // not reached: the pending signal is delivered when the guard goes
  });
  CHECK(status == 128 + SIGTERM);
  CHECK(fs::exists(dir / "console.log"));
  fs::remove_all(dir);
}

TEST_CASE("rename_into_place: a failed rename removes the temporary and says why") {
  const fs::path dir = fresh_dir("rename");
  const fs::path tmp = dir / ".kdsim-tmp-x";
  REQUIRE_FALSE(bool(write_fresh_file(tmp, "x")));
  fs::create_directories(dir / "x" / "busy");  // a non-empty directory cannot be renamed over
  llvm::Error err = rename_into_place(tmp, dir / "x");
  REQUIRE(bool(err));
  const std::string text = llvm::toString(std::move(err));
  CHECK(text.find((dir / "x").string() + ": cannot rename into place: ") == 0);
  CHECK_FALSE(fs::exists(tmp));
  fs::remove_all(dir);
}

TEST_CASE("prepare_output_dir: created like mkdir -p, and a file, a path under a file, a dangling symlink refused") {
  const fs::path dir = fresh_dir("outdir");
  CHECK_FALSE(bool(prepare_output_dir(dir / "a" / "b" / "c")));
  CHECK(fs::is_directory(dir / "a" / "b" / "c"));
  CHECK_FALSE(bool(prepare_output_dir(dir / "a")));  // an existing directory is fine
  fs::create_directory_symlink(dir / "a", dir / "link");
  CHECK_FALSE(bool(prepare_output_dir(dir / "link")));  // so is a symlink to one

  std::ofstream(dir / "file") << "x";
  CHECK(llvm::toString(prepare_output_dir(dir / "file")) ==
        (dir / "file").string() + ": cannot use as the output directory: Not a directory");
  CHECK(llvm::toString(prepare_output_dir(dir / "file" / "sub")) ==
        (dir / "file" / "sub").string() + ": cannot create the output directory: Not a directory");
  CHECK(llvm::toString(prepare_output_dir(dir / "file" / "sub" / "deeper")) ==
        (dir / "file" / "sub" / "deeper").string() + ": cannot create the output directory: " +
            (dir / "file" / "sub").string() + ": Not a directory");
  fs::create_symlink(dir / "missing", dir / "dangling");
  CHECK(llvm::toString(prepare_output_dir(dir / "dangling")) ==
        (dir / "dangling").string() +
            ": cannot use as the output directory: No such file or directory (a symlink to a missing path)");
  CHECK_FALSE(fs::exists(dir / "missing"));
  fs::remove_all(dir);
}
