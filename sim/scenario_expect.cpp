// The scenario's expect: block: what the run must show (outcome, panic, console, stages,
// kexec_load, purgatory, vmcore).
#include "sim/scenario_parse.h"
#include "machine/stage.h"
#include "sim/host_arch.h"
#include <fmt/ranges.h>
#include <llvm/Support/Regex.h>

namespace kdsim::scenario_parse {

namespace {

std::vector<std::string> expectable_outcome_names() {
  std::vector<std::string> names;
  for (Outcome o : expectable_outcomes()) names.emplace_back(outcome_name(o));
  return names;
}

// Every name a run's timeline can hold: the stages (machine/stage.h), the host's events
// (sim/driver.cpp, sim/runner.cpp) and the outcome that ends the run.
std::vector<std::string> timeline_names(Arch arch) {
  std::vector<std::string> names;
  for (uint32_t code = 0; code < 0x100; ++code)
    if (auto n = stage_name(code, arch)) names.emplace_back(*n);
  for (const char* host : {"boot", "agent_hello", "agent_error", "step", "step_done", "no_more_commands", "kexec",
                           "kexec_plan", "kexec_failed", "corrupt", "touch", "host_action_failed", "ram_snapshot",
                           "serial_armed", "serial_input", "serial_cancelled", "unmapped_mmio", "unmapped_port",
                           "wild_dma", "vmcore_saved", "dump_error"})
    names.emplace_back(host);
  for (Outcome o : expectable_outcomes()) names.emplace_back(outcome_name(o));
  return names;
}

// "0", an errno name as kexec_load(2) returns it (EADDRNOTAVAIL), or kexec-tools-error (the
// kexec-tools role gave up before calling kexec_load).
llvm::Error check_kexec_load_value(const Fields& f, const YAML::Node& n, const std::string& field,
                                   const std::string& v) {
  const bool errno_name = v.size() > 1 && v[0] == 'E' &&
                          std::all_of(v.begin() + 1, v.end(), [](char c) { return std::isupper(c) || std::isdigit(c); });
  if (v == "0" || v == "kexec-tools-error" || errno_name) return llvm::Error::success();
  return f.error(n, field, fmt::format("'{}' is not 0, an errno name (EADDRNOTAVAIL) or kexec-tools-error", v));
}

// expect.kexec_load: the last load's result, or a list of every load's, in order.
llvm::Error parse_kexec_load_expect(const Fields& f, const YAML::Node& n, Expectations& out) {
  if (!n) return llvm::Error::success();
  if (n.IsSequence()) {
    if (n.size() == 0) return f.error(n, "expect.kexec_load", "must list at least one result");
    if (n.size() > kMaxListItems)
      return f.error(n, "expect.kexec_load", fmt::format("{} items, more than the {} kdsim takes", n.size(), kMaxListItems));
    for (size_t i = 0; i < n.size(); ++i) {
      const std::string field = fmt::format("expect.kexec_load[{}]", i);
      auto v = f.string(n[i], field);
      if (!v) return v.takeError();
      if (auto err = check_kexec_load_value(f, n[i], field, *v)) return err;
      out.kexec_loads.push_back(*v);
    }
    return llvm::Error::success();
  }
  auto v = f.string(n, "expect.kexec_load");
  if (!v) return v.takeError();
  if (auto err = check_kexec_load_value(f, n, "expect.kexec_load", *v)) return err;
  out.kexec_load = *v;
  return llvm::Error::success();
}

// expect.console: substrings, or {regex: ...} (POSIX extended, per line), found in this order.
llvm::Error parse_console_expect(const Fields& f, const YAML::Node& n, std::vector<ConsoleLine>& out) {
  if (!n) return llvm::Error::success();
  if (!n.IsSequence()) return f.error(n, "expect.console", "must be a list of strings or {regex: ...}");
  if (n.size() > kMaxListItems)
    return f.error(n, "expect.console", fmt::format("{} items, more than the {} kdsim takes", n.size(), kMaxListItems));
  for (size_t i = 0; i < n.size(); ++i) {
    const std::string field = fmt::format("expect.console[{}]", i);
    if (!n[i].IsMap()) {
      auto v = f.string(n[i], field);
      if (!v) return v.takeError();
      out.push_back({*v, false});
      continue;
    }
    if (auto err = f.only_known_keys(n[i], field, {"regex"})) return err;
    auto v = f.string(n[i]["regex"], field + ".regex");
    if (!v) return v.takeError();
    std::string why;
    if (!llvm::Regex(*v).isValid(why))
      return f.error(n[i]["regex"], field + ".regex", fmt::format("'{}' is not a regular expression: {}", *v, why));
    out.push_back({*v, true});
  }
  return llvm::Error::success();
}

}  // namespace

llvm::Error parse_expect(const Fields& f, const YAML::Node& e, Scenario& s) {
  if (!e) return llvm::Error::success();
  if (auto err = f.only_known_keys(e, "expect", {"outcome", "panic", "console", "stages", "kexec_load", "purgatory",
                                                 "vmcore"}))
    return err;
  auto one_of = [&](const char* key, std::set<std::string> allowed, std::optional<std::string>& out) -> llvm::Error {
    if (!e[key]) return llvm::Error::success();
    auto v = f.string(e[key], std::string("expect.") + key);
    if (!v) return v.takeError();
    if (!allowed.empty() && !allowed.count(*v)) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      return f.error(e[key], std::string("expect.") + key,
                     fmt::format("'{}' is not one of {}{}", *v, list, did_you_mean(*v, allowed)));
    }
    out = *v;
    return llvm::Error::success();
  };
  if (auto err = parse_kexec_load_expect(f, e["kexec_load"], s.expect)) return err;
  if (e["purgatory"]) {
    std::set<std::string> names;  // listed alphabetically in the error
    for (PurgatoryStatus p : purgatory_statuses()) names.emplace(purgatory_status_name(p));
    std::optional<std::string> name;
    if (auto err = one_of("purgatory", names, name)) return err;
    s.expect.purgatory = parse_purgatory_status(*name);
  }
  if (auto err = one_of("vmcore", {"saved", "none"}, s.expect.vmcore)) return err;
  if (e["outcome"]) {
    const std::vector<std::string> outcomes = expectable_outcome_names();
    auto o = f.string(e["outcome"], "expect.outcome");
    if (!o) return o.takeError();
    if (std::find(outcomes.begin(), outcomes.end(), *o) == outcomes.end())
      return f.error(e["outcome"], "expect.outcome",
                     fmt::format("'{}' is not one of {}{}", *o, fmt::join(outcomes, ", "), did_you_mean(*o, outcomes)));
    s.expect.outcome = parse_outcome(*o);
  }
  if (e["panic"]) {
    auto p = f.string(e["panic"], "expect.panic");
    if (!p) return p.takeError();
    s.expect.panic = *p;
  }
  if (auto err = parse_console_expect(f, e["console"], s.expect.console)) return err;
  if (auto err = parse_string_list(f, e["stages"], "expect.stages", s.expect.stages)) return err;
  const std::vector<std::string> names = timeline_names(s.arch);
  for (size_t i = 0; i < s.expect.stages.size(); ++i) {
    const std::string& name = s.expect.stages[i];
    if (auto why = host_arch(s.arch).stage_refusal(name))
      return f.error(e["stages"][i], fmt::format("expect.stages[{}]", i), *why);
    if (std::find(names.begin(), names.end(), name) == names.end())
      return f.error(e["stages"][i], fmt::format("expect.stages[{}]", i),
                     fmt::format("'{}' is not a stage or event a run records{}", name, did_you_mean(name, names)));
  }
  return llvm::Error::success();
}

}  // namespace kdsim::scenario_parse
