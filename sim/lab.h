// kdsim labs (labs/NN-name/): a scenario, a task text for students (README.md), the questions
// (lab.yaml) and an instructor's solution (solution.yaml). `kdsim lab check LAB ANSWERS` runs the
// lab's scenario and grades each answer against what that run shows: the truth comes from the
// machine, never from a table of expected strings.
#pragma once
#include "sim/run_result.h"
#include <llvm/Support/Error.h>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kdsim {

struct LabQuestion {
  std::string key;     // the answer file's key
  std::string ask;     // the question, as the task text words it
  std::string source;  // where the truth is read from the run (see lab_truth)
  std::string hint;    // said when the answer is wrong
};

struct Lab {
  std::filesystem::path dir;
  std::string title;
  std::filesystem::path scenario;
  std::vector<LabQuestion> questions;
};

llvm::Expected<Lab> load_lab(const std::filesystem::path& dir);
// The answer file: a YAML map of key -> answer.
llvm::Expected<std::map<std::string, std::string>> load_answers(const std::filesystem::path& file);

// The right answer to one question, from a finished run of the lab's scenario:
//   "iomem NAME"        the range /proc/iomem shows for NAME ("70000000-7fffffff")
//   "kexec_load"        what kexec_load returned ("0" or the errno name)
//   "crashing_function" the function the oops happened in
//   "crashing_cpu"      the CPU that oopsed
//   "stage_function S"  the function running when the stage S was recorded
//   "stage_pc S"        the PC of the first stage S (0x...)
//   "changed_segment"   the loaded segment whose digest no longer matched
//   "purgatory"         digest-ok | digest-mismatch | digest-skipped | not-reached
//   "outcome"           how the run ended
std::optional<std::string> lab_truth(const std::string& source, const RunResult& run);

// Equal answers: case and surrounding blanks ignored; numbers compared by value (0x70000000 ==
// 0x070000000); ranges "a-b" as two numbers; a function may be given with its +off/size suffix.
bool answers_match(std::string_view given, std::string_view truth);

}  // namespace kdsim
