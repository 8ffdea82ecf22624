// Host files: a symlink or file already at the path is replaced, never written through.
#include "machine/host_file.h"
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace kdsim;
namespace fs = std::filesystem;

namespace {
std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

TEST_CASE("write_fresh_file: a symlink at the path is replaced, its target left alone") {
  const fs::path dir = fs::temp_directory_path() / fmt::format("kdsim-host-file-{}", getpid());
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path victim = dir / "victim", link = dir / ".kdsim-tmp-summary.json";
  std::ofstream(victim) << "precious";
  fs::create_symlink(victim, link);
  REQUIRE_FALSE(bool(write_fresh_file(link, "new content")));
  CHECK(slurp(victim) == "precious");
  CHECK_FALSE(fs::is_symlink(link));
  CHECK(slurp(link) == "new content");
  // An ordinary file there is replaced too.
  REQUIRE_FALSE(bool(write_fresh_file(link, "again")));
  CHECK(slurp(link) == "again");
  // A directory in the way: an error that names the path and the reason.
  fs::create_directories(dir / "sub");
  llvm::Error err = write_fresh_file(dir / "sub", "x");
  REQUIRE(bool(err));
  CHECK(llvm::toString(std::move(err)).find("sub: cannot remove what is there: Is a directory") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("check_input_file: regular files up to the cap; devices, directories and big files refused") {
  const fs::path dir = fs::temp_directory_path() / fmt::format("kdsim-input-file-{}", getpid());
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "small") << "12345";
  CHECK_FALSE(bool(check_input_file(dir / "small", 5, "kernel image")));
  CHECK(llvm::toString(check_input_file(dir / "small", 4, "kernel image")) ==
        (dir / "small").string() + ": the kernel image is 5 bytes, more than the 4 bytes kdsim reads");
  CHECK(llvm::toString(check_input_file("/dev/zero", 1 << 20, "purgatory")) ==
        "/dev/zero: the purgatory must be a regular file, and this is a character device");
  CHECK(llvm::toString(check_input_file(dir, 1 << 20, "scenario")) ==
        dir.string() + ": the scenario must be a regular file, and this is a directory");
  CHECK(llvm::toString(check_input_file(dir / "missing", 1, "vmcore")) ==
        (dir / "missing").string() + ": cannot read: No such file or directory");
  fs::remove_all(dir);
}
