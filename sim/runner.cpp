#include "sim/runner.h"
#include "machine/error.h"
#include "sim/boot.h"

namespace kdsim {

namespace {

constexpr std::string_view kPanicMarker = "Kernel panic - not syncing: ";  // kernel/panic.c

class ScenarioDriver final : public MachineObserver {
public:
  ScenarioDriver(const Scenario& s, const RunOptions& o, RunResult& r) : m_scenario(s), m_options(o), m_result(r) {}
  void attach(Machine& m) { m_machine = &m; }

  // Called when every CPU waits: hand init its next command, or tell it there is none.
  bool feed_next_step() {
    if (!m_hello) return false;
    if (m_next_step < m_scenario.steps.size()) {
      const Step& step = m_scenario.steps[m_next_step++];
      m_result.steps.push_back({step.label, step.command, {}, std::nullopt, m_machine->instructions()});
      host_event("step", step.label);
      m_machine->agent().queue_command(step.command);
      return true;
    }
    if (!m_no_more_sent) {
      m_no_more_sent = true;
      host_event("no_more_commands", "");
      m_machine->agent().set_no_more_commands();
      return true;
    }
    return false;
  }

  void host_event(std::string name, std::string detail, unsigned cpu = 0) {
    TimelineEvent e{TimelineEvent::Source::Host, std::move(name), {}, std::move(detail)};
    e.record.sequence = m_result.timeline.size();
    e.record.instructions = m_machine->instructions();
    e.record.cpu = cpu;
    m_result.timeline.push_back(std::move(e));
  }

  void console_output(std::string_view bytes) override {
    m_result.console.append(bytes);
    if (m_options.live_console) m_options.live_console(bytes);
  }
  void stage_recorded(const StageRecord& r) override {
    auto name = stage_name(r.code);
    TimelineEvent e{TimelineEvent::Source::Guest, name ? std::string(*name) : fmt::format("stage_0x{:x}", r.code), r, {}};
    e.record.sequence = m_result.timeline.size();
    m_result.timeline.push_back(std::move(e));
  }
  void agent_hello() override {
    m_hello = true;
    host_event("agent_hello", "init is up and waits for commands");
  }
  void agent_output(std::string_view bytes) override {
    if (!m_result.steps.empty()) m_result.steps.back().output.append(bytes);
  }
  void agent_done(int32_t status) override {
    if (m_result.steps.empty()) return m_result.warnings.push_back("agent DONE with no command in flight");
    m_result.steps.back().exit_status = status;
    host_event("step_done", fmt::format("exit status {}", status));
  }
  void dump_complete(uint64_t size) override {
    m_result.vmcore_size = size;
    host_event("vmcore_saved", fmt::format("{} bytes", size));
  }
  void dump_error(std::string_view what) override {
    m_result.warnings.push_back(fmt::format("dump disk: {}", what));
    host_event("dump_error", std::string(what));
  }
  void agent_error(std::string_view what) override {
    m_result.warnings.push_back(fmt::format("agent: {}", what));
    host_event("agent_error", std::string(what));
  }

private:
  const Scenario& m_scenario;
  const RunOptions& m_options;
  RunResult& m_result;
  Machine* m_machine = nullptr;
  size_t m_next_step = 0;
  bool m_hello = false;
  bool m_no_more_sent = false;
};

std::string outcome_of(StopCause cause) {
  switch (cause) {
  case StopCause::PowerOff: return "power-off";
  case StopCause::Reset: return "reset";
  case StopCause::AllIdle: return "hang";
  case StopCause::AllOff: return "hang";
  case StopCause::InstructionLimit: return "instruction-limit";
  case StopCause::GuestFault: return "guest-fault";
  }
  return "?";
}

std::optional<std::string> find_panic_message(const std::string& console) {
  size_t at = console.find(kPanicMarker);
  if (at == std::string::npos) return std::nullopt;
  size_t start = at + kPanicMarker.size();
  size_t end = console.find_first_of("\r\n", start);
  return console.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

}  // namespace

llvm::Expected<RunResult> run_scenario(const Scenario& scenario, const RunOptions& options) {
  RunResult result;
  ScenarioDriver driver(scenario, options, result);
  MachineConfig mc{.arch = scenario.arch, .ram_size = scenario.memory, .cpus = scenario.cpus};
  auto machine = Machine::create(mc, driver);
  if (!machine) return make_error("{}: {}", scenario.file.string(), error_text(machine.takeError()));
  Machine& m = **machine;
  driver.attach(m);
  if (!options.vmcore_path.empty()) m.dump_disk().attach(options.vmcore_path);

  std::filesystem::path kernel = scenario.kernel.value_or(default_kernel_path(options.kernel_dir, scenario.arch));
  auto boot = boot_first_kernel(m, kernel, scenario.cmdline);
  if (!boot) {
    std::string why = error_text(boot.takeError());
    if (scenario.kernel) return make_error("{}: kernel.image: {}", scenario.file.string(), why);
    return make_error("{}: the default {} kernel cannot be used ({}); build it with scripts/setup.sh or pass "
                      "--kernel-dir", scenario.file.string(), arch_name(scenario.arch), why);
  }
  result.kernel_path = kernel.string();
  result.kernel_entry = boot->entry.value();
  driver.host_event("boot", fmt::format("{} entered at {} ({})", kernel.filename().string(), boot->entry, boot->summary));

  for (;;) {
    result.stop = m.run(scenario.instruction_limit);
    if (result.stop.cause == StopCause::AllIdle && driver.feed_next_step()) {
      m.wake_idle_cpus();
      continue;
    }
    break;
  }
  result.outcome = outcome_of(result.stop.cause);
  result.instructions = m.instructions();
  driver.host_event(result.outcome, result.stop.detail, result.stop.cpu);
  result.panic_message = find_panic_message(result.console);
  return result;
}

}  // namespace kdsim
