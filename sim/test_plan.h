// `kdsim test`, step one: which scenarios run. Scenario files are found under the given paths
// (directories recursively, *.yaml, sorted), filtered by a glob and split into shards; every
// step is deterministic, so two CI jobs with the same arguments agree on the list.
#pragma once
#include <llvm/Support/Error.h>
#include <filesystem>
#include <string>
#include <vector>

namespace kdsim {

// One scenario file, as the parent process saw it (the child run is the one that judges it).
struct TestCase {
  std::filesystem::path file;
  std::string name;        // the scenario's name, or the file's stem when it does not load
  std::string arch;        // "arm64", "x86_64"; empty when the scenario does not load
  bool has_expectations = false;
  std::string load_error;  // why Scenario::load refused it (the child run reports it too)
};

// --shard K/N, 1-based: scenario i (0-based, in list order) belongs to shard (i mod N) + 1.
struct Shard {
  unsigned index = 1;  // K
  unsigned count = 1;  // N
};

llvm::Expected<Shard> parse_shard(std::string_view text);

// Files under each path (a file as given, a directory recursively: its *.yaml files, sorted).
// A path listed twice, or reached twice, runs once. No file at all is an error.
llvm::Expected<std::vector<std::filesystem::path>> find_scenario_files(const std::vector<std::string>& paths);

// Loads each file for its name, arch and expectations. Two scenarios with the same name would
// share an output directory: an error naming both files.
llvm::Expected<std::vector<TestCase>> describe_scenarios(const std::vector<std::filesystem::path>& files);

// fnmatch(3) on the scenario's name or its path; an empty glob keeps everything.
std::vector<TestCase> filter_cases(std::vector<TestCase> cases, const std::string& glob);
std::vector<TestCase> shard_cases(std::vector<TestCase> cases, Shard shard);

}  // namespace kdsim
