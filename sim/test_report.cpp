#include "sim/test_report.h"
#include "machine/error.h"
#include <llvm/Support/JSON.h>
#include <cstring>
#include <fstream>
#include <sstream>

namespace kdsim {

namespace {

constexpr size_t kConsoleTailLines = 40;

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The last `count` lines of a log (its final newline kept).
std::string last_lines(std::string_view text, size_t count) {
  size_t pos = text.size();
  if (pos && text[pos - 1] == '\n') --pos;
  for (size_t seen = 0; pos > 0;) {
    size_t newline = text.rfind('\n', pos - 1);
    if (newline == std::string_view::npos) return std::string(text);
    if (++seen == count) return std::string(text.substr(newline + 1));
    pos = newline;
  }
  return std::string(text);
}

std::string first_line(std::string_view text) { return std::string(text.substr(0, text.find('\n'))); }

// What `kdsim run` wrote in summary.json (sim/reports.cpp).
struct RunSummary {
  std::string arch, last_stage;
  Outcome outcome = Outcome::HostTurn;
  size_t met = 0, total = 0;
  std::vector<std::string> unmet;  // "outcome is reset (saw: power-off)"
  std::vector<std::string> errors;  // steps that could not be carried out (RunResult::errors)
};

llvm::Expected<RunSummary> read_summary(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return make_error("{}: not written", path.string());
  auto value = llvm::json::parse(read_text(path));
  if (!value) return make_error("{}: {}", path.string(), error_text(value.takeError()));
  const llvm::json::Object* o = value->getAsObject();
  const llvm::json::Object* counts = o ? o->getObject("expectations") : nullptr;
  if (!counts || !counts->getInteger("met") || !counts->getInteger("failed") || !o->getString("outcome"))
    return make_error("{}: no outcome or expectation counts", path.string());
  RunSummary s;
  s.arch = o->getString("arch").getValueOr("").str();
  const std::string outcome = o->getString("outcome")->str();
  auto parsed = parse_outcome(outcome);
  if (!parsed) return make_error("{}: outcome '{}' is not one kdsim reports", path.string(), outcome);
  s.outcome = *parsed;
  s.last_stage = o->getString("last_stage").getValueOr("").str();
  s.met = static_cast<size_t>(*counts->getInteger("met"));
  s.total = s.met + static_cast<size_t>(*counts->getInteger("failed"));
  if (const llvm::json::Array* checks = o->getArray("checks"))
    for (const llvm::json::Value& c : *checks) {
      const llvm::json::Object* check = c.getAsObject();
      if (!check || check->getBoolean("met").getValueOr(true)) continue;
      s.unmet.push_back(fmt::format("{} (saw: {})", check->getString("what").getValueOr("?").str(),
                                    check->getString("saw").getValueOr("?").str()));
    }
  if (const llvm::json::Array* errors = o->getArray("errors"))
    for (const llvm::json::Value& e : *errors)
      if (auto text = e.getAsString()) s.errors.push_back(text->str());
  return s;
}

TestResult error_result(const TestCase& test, const ChildExit& exit, std::string message, const std::string& err) {
  return TestResult{.name = test.name, .arch = test.arch, .verdict = Verdict::Error, .seconds = exit.seconds,
                    .outcome = {}, .met = 0, .total = 0, .message = std::move(message), .details = err,
                    .console_tail = last_lines(err, kConsoleTailLines)};
}

// The run ended normally (exit 0 or 1): the summary says what was met.
TestResult judge_summary(const TestCase& test, const RunFiles& files, const ChildExit& exit, const std::string& err) {
  TestResult r{.name = test.name, .arch = test.arch, .verdict = Verdict::Fail, .seconds = exit.seconds,
               .outcome = {}, .met = 0, .total = 0, .message = {}, .details = {},
               .console_tail = last_lines(read_text(files.out_dir / "console.log"), kConsoleTailLines)};
  auto summary = read_summary(files.out_dir / "summary.json");
  if (!summary) {
    r.message = fmt::format("kdsim run exited {} without a usable summary: {}", exit.exit_code,
                            error_text(summary.takeError()));
    r.details = err;
    return r;
  }
  if (!summary->arch.empty()) r.arch = summary->arch;
  r.outcome = summary->outcome;
  r.met = summary->met;
  r.total = summary->total;
  if (exit.exit_code == 0 && summary->unmet.empty() && summary->errors.empty() && r.met == r.total) {
    r.verdict = Verdict::Pass;
    return r;
  }
  std::string last = summary->last_stage.empty() ? "none" : summary->last_stage;
  r.message = summary->unmet.empty()
                  ? fmt::format("kdsim run exited {}, {} of {} expectations met; last stage: {}", exit.exit_code,
                                r.met, r.total, last)
                  : fmt::format("{} of {} expectations not met: {}; last stage: {}", r.total - r.met, r.total,
                                fmt::join(summary->unmet, "; "), last);
  if (!summary->errors.empty())
    r.message = fmt::format("run error: {}; {}", fmt::join(summary->errors, "; "), r.message);
  for (const std::string& e : summary->errors) r.details += fmt::format("run error: {}\n", e);
  for (const std::string& u : summary->unmet) r.details += fmt::format("not met: {}\n", u);
  r.details += fmt::format("outcome: {}\nlast stage: {}\n", summary->outcome, last);
  if (!err.empty()) r.details += "stderr of kdsim run:\n" + err;
  return r;
}

}  // namespace

RunFiles run_files(const std::filesystem::path& out_root, const TestCase& test) {
  std::filesystem::path dir = out_root / test.name;
  return RunFiles{.out_dir = dir, .stdout_path = dir / "kdsim-run.stdout", .stderr_path = dir / "kdsim-run.stderr"};
}

TestResult refuse_without_expectations(const TestCase& test) {
  std::string why = fmt::format("{}: no expect: block, nothing to check (add at least expect: {{outcome: ...}})",
                                test.file.string());
  return TestResult{.name = test.name, .arch = test.arch, .verdict = Verdict::Fail, .seconds = 0, .outcome = {},
                    .met = 0, .total = 0, .message = why, .details = why + "\n", .console_tail = {}};
}

TestResult judge_run(const TestCase& test, const RunFiles& files, const ChildExit& exit) {
  std::string err = read_text(files.stderr_path);
  if (!exit.spawn_error.empty())
    return error_result(test, exit, "cannot start kdsim run: " + exit.spawn_error, err);
  if (exit.signal)
    return error_result(test, exit, fmt::format("kdsim run killed by signal {} ({})", exit.signal,
                                                strsignal(exit.signal)), err);
  if (exit.exit_code != 0 && exit.exit_code != 1) {
    std::string line = first_line(err);
    return error_result(test, exit,
                        fmt::format("kdsim run exited {}{}{}", exit.exit_code, line.empty() ? "" : ": ", line), err);
  }
  return judge_summary(test, files, exit, err);
}

std::string_view verdict_name(Verdict v) {
  switch (v) {
  case Verdict::Pass: return "PASS";
  case Verdict::Fail: return "FAIL";
  case Verdict::Error: return "ERROR";
  }
  return "?";
}

std::string render_table(const std::vector<TestResult>& results, double wall_seconds) {
  size_t name_w = 8, outcome_w = 7;
  for (const TestResult& r : results) {
    name_w = std::max(name_w, r.name.size());
    outcome_w = std::max(outcome_w, r.outcome ? outcome_name(*r.outcome).size() : 1);
  }
  std::string out = fmt::format("{:<{}}  {:<{}}  {:>12}  {:>8}  {}\n", "scenario", name_w, "outcome", outcome_w,
                                "expectations", "time", "result");
  size_t count[3] = {0, 0, 0};
  for (const TestResult& r : results) {
    ++count[static_cast<size_t>(r.verdict)];
    std::string expect = r.total || r.verdict == Verdict::Pass ? fmt::format("{}/{}", r.met, r.total) : "-";
    out += fmt::format("{:<{}}  {:<{}}  {:>12}  {:>7.2f}s  {}\n", r.name, name_w, r.outcome ? outcome_name(*r.outcome) : "-",
                       outcome_w, expect, r.seconds, verdict_name(r.verdict));
  }
  for (const TestResult& r : results)
    if (r.verdict != Verdict::Pass) out += fmt::format("{} {}: {}\n", verdict_name(r.verdict), r.name, r.message);
  out += fmt::format("{} scenario{}: {} passed, {} failed, {} error{} ({:.2f} s)\n", results.size(),
                     results.size() == 1 ? "" : "s", count[0], count[1], count[2], count[2] == 1 ? "" : "s",
                     wall_seconds);
  return out;
}

}  // namespace kdsim
