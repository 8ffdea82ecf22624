// A scenario: the machine to build, the kernel to boot, the steps to drive through init, and
// what the user expects to happen. Loaded from YAML; every error names the file, the field and
// the value involved.
#pragma once
#include "machine/cpu.h"
#include <llvm/Support/Error.h>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kdsim {

struct Step {
  enum class Kind { Run, SysrqTrigger };
  Kind kind = Kind::Run;
  std::string command;  // the command line init executes
  std::string label;    // as written in the scenario, for the transcript
};

struct Expectations {
  std::optional<std::string> outcome;     // e.g. "power-off"
  std::optional<std::string> panic;       // the panic message, e.g. "sysrq triggered crash"
  std::vector<std::string> console;       // lines (substrings) that must appear, in order
  std::vector<std::string> stages;        // stage names that must appear, in order
};

struct Scenario {
  std::filesystem::path file;
  std::string name;
  std::string description;
  Arch arch = Arch::Arm64;
  uint64_t memory = 0;
  unsigned cpus = 1;
  std::optional<std::filesystem::path> kernel;  // none: the built toy kernel for the arch
  std::string cmdline;
  uint64_t instruction_limit = 2'000'000'000;
  std::vector<Step> steps;
  Expectations expect;

  static llvm::Expected<Scenario> load(const std::filesystem::path& file);
  static llvm::Expected<Scenario> parse(std::string_view yaml_text, const std::filesystem::path& file);
};

// "1GiB", "512MiB", "64M", "0x40000000", "1073741824" -> bytes.
llvm::Expected<uint64_t> parse_size(std::string_view text);

}  // namespace kdsim
