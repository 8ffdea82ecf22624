#include "sim/expectations.h"
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <algorithm>
#include <llvm/ADT/SmallVector.h>
#include <llvm/Support/Regex.h>

namespace kdsim {

namespace {

std::string console_line_text(const ConsoleLine& line) {
  return line.regex ? fmt::format("/{}/", line.text) : line.text;
}

// Each line found after the previous one: a substring, or the first match of a regex.
ExpectationCheck check_console_in_order(const std::vector<ConsoleLine>& lines, const std::string& console) {
  std::vector<std::string> shown;
  for (const ConsoleLine& l : lines) shown.push_back(console_line_text(l));
  const std::string what = fmt::format("console shows, in order: {}", fmt::join(shown, " / "));
  size_t pos = 0;
  for (const ConsoleLine& want : lines) {
    size_t at = std::string::npos, length = 0;
    if (want.regex) {
      // POSIX extended syntax, tried on one console line at a time (the first one from where
      // the previous expectation ended), so '^' and '$' are a line's ends.
      const llvm::Regex re(want.text);
      llvm::SmallVector<llvm::StringRef, 1> m;
      for (size_t line = pos; line < console.size() && at == std::string::npos;) {
        const size_t end = std::min(console.find('\n', line), console.size());
        const llvm::StringRef text = llvm::StringRef(console).slice(line, end);
        if (re.match(text, &m)) at = line + static_cast<size_t>(m[0].data() - text.data()), length = m[0].size();
        line = end + 1;
      }
    } else {
      at = console.find(want.text, pos);
      length = want.text.size();
    }
    if (at == std::string::npos)
      return {what, false, fmt::format("'{}' not found{}", console_line_text(want), pos ? " after the previous line" : "")};
    pos = at + length;
  }
  return {what, true, {}};
}

// A step's own expectation: its command ran, exited so, printed that.
ExpectationCheck check_step(const StepExpectation& want, const RunResult& result) {
  std::string what = fmt::format("{} ({})", want.origin, want.label);
  if (want.exit) what += fmt::format(" exits {}", *want.exit);
  if (want.output) what += fmt::format("{} prints '{}'", want.exit ? " and" : "", *want.output);
  auto ran = std::find_if(result.steps.begin(), result.steps.end(),
                          [&](const StepResult& st) { return st.origin == want.origin; });
  if (ran == result.steps.end()) return {what, false, "not reached"};
  if (want.exit && ran->exit_status != want.exit)
    return {what, false, ran->exit_status ? fmt::format("exit status {}", *ran->exit_status) : "it did not complete"};
  if (want.output && ran->output.find(*want.output) == std::string::npos)
    return {what, false, fmt::format("output '{}'", ran->output.substr(0, 200))};
  return {what, true, {}};
}

ExpectationCheck check_stages_in_order(const std::vector<std::string>& names, const RunResult& result) {
  size_t i = 0;
  for (const TimelineEvent& e : result.timeline)
    if (i < names.size() && e.name == names[i]) ++i;
  std::string what = fmt::format("stages, in order: {}", fmt::join(names, ", "));
  if (i == names.size()) return {what, true, {}};
  return {what, false, fmt::format("stage '{}' not seen{}", names[i], i ? fmt::format(" after '{}'", names[i - 1]) : "")};
}

}  // namespace

std::vector<ExpectationCheck> check_expectations(const Expectations& expect, const RunResult& result) {
  std::vector<ExpectationCheck> checks;
  if (expect.outcome) {
    bool met = *expect.outcome == result.outcome;
    checks.push_back({fmt::format("outcome is {}", *expect.outcome), met, met ? "" : fmt::format("{}", result.outcome)});
  }
  if (expect.panic) {
    bool met = result.panic_message == *expect.panic;
    checks.push_back({fmt::format("kernel panics with '{}'", *expect.panic), met,
                      met ? "" : (result.panic_message ? "'" + *result.panic_message + "'" : "no panic")});
  }
  auto equal = [&](const char* what, const std::optional<std::string>& want, const std::string& seen) {
    if (!want) return;
    bool met = *want == seen;
    checks.push_back({fmt::format("{} is {}", what, *want), met, met ? "" : seen});
  };
  equal("kexec_load's result", expect.kexec_load, result.kexec_load.value_or("not called"));
  if (!expect.kexec_loads.empty()) {
    const bool met = expect.kexec_loads == result.kexec_loads;
    checks.push_back({fmt::format("kexec_load's results, in order, are [{}]", fmt::join(expect.kexec_loads, ", ")), met,
                      met ? "" : fmt::format("[{}]", fmt::join(result.kexec_loads, ", "))});
  }
  if (expect.purgatory) {
    const bool met = *expect.purgatory == result.purgatory;
    checks.push_back({fmt::format("purgatory is {}", *expect.purgatory), met, met ? "" : fmt::format("{}", result.purgatory)});
  }
  equal("vmcore", expect.vmcore, result.vmcore_size ? "saved" : "none");
  if (!expect.console.empty()) checks.push_back(check_console_in_order(expect.console, result.console));
  if (!expect.stages.empty()) checks.push_back(check_stages_in_order(expect.stages, result));
  for (const StepExpectation& step : expect.steps) checks.push_back(check_step(step, result));
  return checks;
}

}  // namespace kdsim
