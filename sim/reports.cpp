#include "sim/reports.h"
#include "sim/output_text.h"
#include "sim/host_arch.h"
#include "machine/host_file.h"
#include "machine/partial_files.h"
#include "machine/error.h"
#include "sim/json.h"
#include "sim/stage_linux.h"
#include <algorithm>
#include <fstream>
#include <optional>

namespace kdsim {

namespace {

// "machine" records are what the machine saw happen; "guest" ones what guest code reported.
std::string_view source_name(TimelineEvent::Source source) {
  switch (source) {
  case TimelineEvent::Source::Guest: return "guest";
  case TimelineEvent::Source::Machine: return "machine";
  case TimelineEvent::Source::Host: return "host";
  }
  return "?";
}

std::string stage_json(const TimelineEvent& e, Arch arch) {
  const StageRecord& r = e.record;
  std::string s = fmt::format("{{\"seq\":{},\"insn\":{},\"cpu\":{},\"source\":\"{}\",\"stage\":{}", r.sequence,
                              r.instructions, r.cpu, source_name(e.source), json_string(e.name));
  if (e.source != TimelineEvent::Source::Host) {
    s += fmt::format(",\"code\":{},\"pc\":{},\"symbol\":{},\"{}\":{},\"mmu\":{},\"{}\":{},\"sp\":{},\"arg0\":{},\"arg1\":{}",
                     r.code, json_hex(r.state.pc.value()), e.symbol.empty() ? "null" : json_string(e.symbol), host_arch(arch).privilege_key(), r.state.privilege, r.state.mmu_on ? "true" : "false",
                     host_arch(arch).translation_root_name(), json_hex(r.state.translation_root),
                     json_hex(r.state.sp), json_hex(r.arg0), json_hex(r.arg1));
    if (!e.detail.empty()) s += fmt::format(",\"detail\":{}", json_string(e.detail));
  } else {
    s += fmt::format(",\"detail\":{}", json_string(e.detail));
  }
  return s + "}\n";
}

std::string timeline_line(const TimelineEvent& e, Arch arch) {
  const StageRecord& r = e.record;
  std::string when = fmt::format("{:>14}", r.instructions);
  if (e.source == TimelineEvent::Source::Host)
    return fmt::format("  {} insn  cpu{}  host   {:<22} {}\n", when, r.cpu, e.name, e.detail);
  return fmt::format("  {} insn  cpu{}  {:<7}{}{} {:<4} {:<22} pc 0x{:x}{}  args 0x{:x} 0x{:x}\n", when, r.cpu,
                     e.source == TimelineEvent::Source::Machine ? "seen" : "guest", host_arch(arch).privilege_label(),
                     r.state.privilege, r.state.mmu_on ? "MMU" : "phys", e.name, r.state.pc.value(),
                     e.symbol.empty() ? "" : " " + e.symbol, r.arg0, r.arg1) +
         (e.detail.empty() ? "" : fmt::format("    {}\n", e.detail));
}

// Each stage the timeline shows, once, with the Linux (or purgatory) code it mirrors.
std::string stage_legend(Arch arch, const RunResult& r) {
  std::vector<std::string_view> seen;
  std::string out;
  for (const TimelineEvent& e : r.timeline) {
    if (e.source == TimelineEvent::Source::Host || std::find(seen.begin(), seen.end(), e.name) != seen.end()) continue;
    seen.push_back(e.name);
    if (auto code = stage_linux_code(e.name, arch)) out += fmt::format("  {:<22} {}\n", e.name, *code);
  }
  return out.empty() ? out : "\nstages and the code they mirror:\n" + out;
}

// A command's output as the user would see it on a terminal, each line behind "    | ".
std::string indented_output(std::string_view output) {
  std::string out;
  while (!output.empty()) {
    const size_t end = output.find('\n');
    std::string_view line = output.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out += fmt::format("    | {}\n", line);
    if (end == std::string_view::npos) break;
    output.remove_prefix(end + 1);
  }
  return out;
}

// The last stage the machine saw or the guest reported (host events are kdsim's own steps).
std::optional<std::string> last_stage(const RunResult& r) {
  for (auto it = r.timeline.rbegin(); it != r.timeline.rend(); ++it)
    if (it->source != TimelineEvent::Source::Host && !it->name.starts_with("unmapped_") && it->name != "wild_dma")
      return it->name;
  return std::nullopt;
}

llvm::Error write_file(const std::filesystem::path& path, std::string_view content) {
  return write_fresh_file(path, content);
}

}  // namespace

std::string render_stages_jsonl(const RunResult& result, Arch arch) {
  std::string out;
  for (const TimelineEvent& e : result.timeline) out += stage_json(e, arch);
  return out;
}

std::string render_transcript(const Scenario& s, const RunResult& r, const std::vector<ExpectationCheck>& checks) {
  std::string out = fmt::format("kdsim scenario {} ({}, {} CPU{}, {} MiB RAM)\n", s.name, arch_name(s.arch), s.cpus,
                                s.cpus == 1 ? "" : "s", s.memory >> 20);
  if (!s.description.empty()) out += fmt::format("  {}\n", s.description);
  out += fmt::format("kernel: {}\ncommand line: {}\n\ntimeline (machine time = instructions executed; seen = "
                     "observed by the machine, guest = reported by guest code, host = kdsim's own steps):\n",
                     std::filesystem::path(r.kernel_path).filename().string(), s.cmdline.empty() ? "(empty)" : s.cmdline);
  for (const TimelineEvent& e : r.timeline) out += timeline_line(e, s.arch);
  out += stage_legend(s.arch, r);
  if (!r.steps.empty() || !r.not_reached.empty()) out += "\nsteps:\n";
  for (size_t i = 0; i < r.steps.size(); ++i) {
    const StepResult& st = r.steps[i];
    out += fmt::format("  {} -> {}\n", st.label,
                       st.exit_status ? fmt::format("exit status {}", *st.exit_status) : std::string("did not complete"));
    out += indented_output(step_output_text(st.output, i));
  }
  for (const std::string& label : r.not_reached) out += fmt::format("  {} -> not reached\n", label);
  out += fmt::format("\noutcome: {} after {} instructions\n", r.outcome, r.instructions);
  if (!r.stop.detail.empty()) out += fmt::format("  cpu{}: {}\n", r.stop.cpu, r.stop.detail);
  if (r.panic_message) out += fmt::format("panic: {}\n", *r.panic_message);
  if (r.kexec_plan) {
    const KexecPlan& p = *r.kexec_plan;
    // KEXEC_ON_CRASH (include/uapi/linux/kexec.h) tells a kexec -p load from a kexec -l one.
    constexpr uint64_t kKexecOnCrash = 0x1;
    out += fmt::format("\n{}: entry {}, flags 0x{:x}, kexec_load -> {}\n",
                       (p.flags & kKexecOnCrash) ? "kexec -p" : "kexec -l", p.entry, p.flags,
                       r.kexec_load.value_or("not called"));
    for (const std::string& line : p.log) out += fmt::format("  {}\n", line);
    for (size_t i = 0; i < p.segments.size(); ++i)
      out += fmt::format("  segment {}: [{}, +0x{:x}) bufsz 0x{:x}  {}\n", i, p.segments[i].mem, p.segments[i].memsz,
                         p.segments[i].bufsz(), p.segments[i].what);
  }
  if (r.kexec_plan || r.purgatory != PurgatoryStatus::NotReached) out += fmt::format("purgatory: {}\n", r.purgatory);
  if (r.vmcore_size) out += fmt::format("vmcore: saved, {} bytes\n", *r.vmcore_size);
  for (const std::string& a : r.analysis) out += fmt::format("analysis: {}\n", a);
  for (const std::string& w : r.warnings) out += fmt::format("warning: {}\n", w);
  for (const std::string& e : r.errors) out += fmt::format("error: {}\n", e);
  if (checks.empty()) out += "\nexpectations: none (the scenario has no expect:), so nothing was checked\n";
  if (!checks.empty()) {
    size_t met = 0;
    for (const auto& c : checks) met += c.met;
    out += fmt::format("\nexpectations: {} met, {} not met\n", met, checks.size() - met);
    for (const auto& c : checks)
      out += fmt::format("  [{}] {}{}\n", c.met ? "ok" : "FAILED", c.what, c.met ? "" : " (saw: " + c.actual + ")");
  }
  return out;
}

namespace {

std::string strings_json(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + json_string(s);
  return out;
}

// Every command sent to init: its label, command line, exit status (null: it never completed,
// e.g. it crashed the kernel) and output.
std::string steps_json(const RunResult& r) {
  std::string out;
  for (size_t i = 0; i < r.steps.size(); ++i) {
    const StepResult& st = r.steps[i];
    const auto file = step_output_file(st.output, i);
    out += fmt::format("{}\n    {{\"step\": {}, \"label\": {}, \"command\": {}, \"exit_status\": {}, \"output\": {}, "
                       "\"output_file\": {}}}",
                       out.empty() ? "" : ",", st.origin.empty() ? "null" : json_string(st.origin),
                       json_string(st.label), json_string(st.command),
                       st.exit_status ? fmt::format("{}", *st.exit_status) : "null",
                       json_string(step_output_text(st.output, i)), file ? json_string(*file) : "null");
  }
  return out.empty() ? out : out + "\n  ";
}

}  // namespace

std::string render_summary_json(const Scenario& s, const RunResult& r, const std::vector<ExpectationCheck>& checks) {
  size_t met = 0;
  for (const auto& c : checks) met += c.met;
  std::string out = "{\n";
  out += fmt::format("  \"scenario\": {},\n  \"arch\": \"{}\",\n  \"outcome\": \"{}\",\n", json_string(s.name),
                     arch_name(s.arch), r.outcome);
  out += fmt::format("  \"instructions\": {},\n  \"panic\": {},\n", r.instructions,
                     r.panic_message ? json_string(*r.panic_message) : "null");
  out += fmt::format("  \"stop_detail\": {},\n", json_string(r.stop.detail));
  out += fmt::format("  \"kexec_load\": {},\n", r.kexec_load ? json_string(*r.kexec_load) : "null");
  out += fmt::format("  \"kexec_loads\": [{}],\n", strings_json(r.kexec_loads));
  out += fmt::format("  \"purgatory\": {},\n", json_string(purgatory_status_name(r.purgatory)));
  out += fmt::format("  \"vmcore_bytes\": {},\n", r.vmcore_size ? fmt::format("{}", *r.vmcore_size) : "null");
  out += fmt::format("  \"unmapped_device_accesses\": {},\n", r.unmapped_device_accesses);
  out += fmt::format("  \"refused_dma\": {},\n", r.refused_dma);
  std::string analysis;
  for (const std::string& a : r.analysis) analysis += (analysis.empty() ? "" : ", ") + json_string(a);
  out += fmt::format("  \"analysis\": [{}],\n", analysis);
  std::optional<std::string> last = last_stage(r);
  out += fmt::format("  \"last_stage\": {},\n", last ? json_string(*last) : "null");
  out += fmt::format("  \"expectations\": {{\"met\": {}, \"failed\": {}}},\n", met, checks.size() - met);
  out += fmt::format("  \"steps\": [{}],\n", steps_json(r));
  out += fmt::format("  \"not_reached\": [{}],\n", strings_json(r.not_reached));
  out += fmt::format("  \"errors\": [{}],\n", strings_json(r.errors));
  out += fmt::format("  \"warnings\": [{}],\n", strings_json(r.warnings));
  // Each check as the transcript words it, so `kdsim test` can say what was not met.
  std::string list;
  for (const auto& c : checks)
    list += fmt::format("{}\n    {{\"what\": {}, \"met\": {}, \"saw\": {}}}", list.empty() ? "" : ",",
                        json_string(c.what), c.met ? "true" : "false", json_string(c.actual));
  out += fmt::format("  \"checks\": [{}{}]\n}}\n", list, list.empty() ? "" : "\n  ");
  return out;
}

llvm::Error write_reports(const std::filesystem::path& out_dir, const Scenario& s, const RunResult& r,
                          const std::vector<ExpectationCheck>& checks) {
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) return make_error("{}: cannot create the output directory: {}", out_dir.string(), ec.message());
  std::vector<std::pair<std::string, std::string>> files = {
      {"console.log", r.console},
      {"stages.jsonl", render_stages_jsonl(r, s.arch)},
      {"transcript.txt", render_transcript(s, r, checks)},
      {"summary.json", render_summary_json(s, r, checks)},
  };
  for (size_t i = 0; i < r.steps.size(); ++i)
    if (auto file = step_output_file(r.steps[i].output, i)) files.emplace_back(*file, r.steps[i].output);
  for (const auto& [name, content] : files)
    if (auto err = write_file(out_dir / (".kdsim-tmp-" + name), content)) return err;
  // All or none: an interrupt waits until the renames are done (then still exits).
  const DeferInterrupts commit;
  for (const auto& [name, content] : files)
    if (auto err = rename_into_place(out_dir / (".kdsim-tmp-" + name), out_dir / name)) return err;
  return llvm::Error::success();
}

}  // namespace kdsim
