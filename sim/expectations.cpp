#include "sim/expectations.h"
#include <fmt/format.h>

namespace kdsim {

namespace {

ExpectationCheck check_console_in_order(const std::vector<std::string>& lines, const std::string& console) {
  size_t pos = 0;
  for (const std::string& want : lines) {
    size_t at = console.find(want, pos);
    if (at == std::string::npos)
      return {fmt::format("console shows, in order: {}", fmt::join(lines, " / ")), false,
              fmt::format("'{}' not found{}", want, pos ? " after the previous line" : "")};
    pos = at + want.size();
  }
  return {fmt::format("console shows, in order: {}", fmt::join(lines, " / ")), true, {}};
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
    checks.push_back({fmt::format("outcome is {}", *expect.outcome), met, met ? "" : result.outcome});
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
  equal("purgatory", expect.purgatory, result.purgatory);
  equal("vmcore", expect.vmcore, result.vmcore_size ? "saved" : "none");
  if (!expect.console.empty()) checks.push_back(check_console_in_order(expect.console, result.console));
  if (!expect.stages.empty()) checks.push_back(check_stages_in_order(expect.stages, result));
  return checks;
}

}  // namespace kdsim
