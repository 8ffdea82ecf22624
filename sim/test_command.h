// `kdsim test`: runs many scenarios, each as its own `kdsim run` process, N at a time, and
// reports them as a table and as JUnit XML: what a CI job calls.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace kdsim {

struct TestArgs {
  std::vector<std::string> paths;  // scenario files or directories (default: scenarios)
  int jobs = 1;
  std::string junit;               // JUnit XML file to write (empty: none)
  std::string shard;               // "K/N" (empty: all)
  bool list = false;               // print what would run and stop
  std::string filter;              // fnmatch glob on the name or the path
  std::string out_root = "out/test";  // each scenario's outputs go to OUT_ROOT/<name>
  std::string kernel_dir;          // handed to every run (empty: kdsim run's default)
  std::string resolved_kernel_dir;  // --list: where the first kernels are looked for (what a run would use)
};

// Returns the exit code (exit_codes.h): 0 all passed, 1 any failed, 3 bad arguments or no scenario.
int test_command(const TestArgs& args);

}  // namespace kdsim
