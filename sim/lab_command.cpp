#include "sim/lab_command.h"
#include "machine/error.h"
#include "sim/exit_codes.h"
#include "sim/lab.h"
#include "sim/runner.h"
#include <cstdlib>

namespace kdsim {

namespace {

int input_error(llvm::Error err) {
  fmt::print(stderr, "kdsim: error: {}\n", error_text(std::move(err)));
  return static_cast<int>(ExitCode::InputError);
}

// A scratch directory for the lab run's vmcore, removed afterwards.
struct ScratchDir {
  std::filesystem::path path;
  ScratchDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "kdsim-lab-XXXXXX").string();
    if (::mkdtemp(tmpl.data())) path = tmpl;
  }
  ~ScratchDir() {
    std::error_code ec;
    if (!path.empty()) std::filesystem::remove_all(path, ec);
  }
};

}  // namespace

int lab_check_command(const std::filesystem::path& lab_dir, const std::filesystem::path& answers_file,
                      const std::filesystem::path& kernel_dir) {
  auto lab = load_lab(lab_dir);
  if (!lab) return input_error(lab.takeError());
  auto answers = load_answers(answers_file);
  if (!answers) return input_error(answers.takeError());
  auto scenario = Scenario::load(lab->scenario.string());
  if (!scenario) return input_error(scenario.takeError());
  ScratchDir scratch;
  if (scratch.path.empty()) return input_error(make_error("cannot create a scratch directory"));
  RunOptions options{.kernel_dir = kernel_dir, .live_console = {}};
  options.vmcore_path = scratch.path / "vmcore";
  auto run = run_scenario(*scenario, options);
  if (!run) return input_error(run.takeError());

  fmt::print("lab: {}\n", lab->title);
  unsigned right = 0;
  for (const LabQuestion& q : lab->questions) {
    auto truth = lab_truth(q.source, *run);
    if (!truth)
      return input_error(make_error("{}: question {}: the lab's run does not show '{}' (the lab is broken)",
                                    (lab_dir / "lab.yaml").string(), q.key, q.source));
    auto given = answers->find(q.key);
    if (given == answers->end()) {
      fmt::print("  [missing] {}: {}\n", q.key, q.ask);
    } else if (answers_match(given->second, *truth)) {
      fmt::print("  [ok] {}\n", q.key);
      ++right;
    } else {
      fmt::print("  [wrong] {}: you answered '{}'. {}\n", q.key, given->second, q.hint.empty() ? q.ask : q.hint);
    }
  }
  for (const auto& answer : *answers) {
    const auto& key = answer.first;  // not a structured binding: clang before 16 cannot capture one
    if (std::none_of(lab->questions.begin(), lab->questions.end(), [&](const LabQuestion& q) { return q.key == key; }))
      fmt::print("  [unknown] {}: this lab asks no such question\n", key);
  }
  fmt::print("{} of {} right\n", right, lab->questions.size());
  return right == lab->questions.size() ? 0 : static_cast<int>(ExitCode::ExpectationsFailed);
}

}  // namespace kdsim
