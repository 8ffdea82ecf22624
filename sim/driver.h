// Drives a scenario through the guest's init: whenever every CPU waits, the driver hands init
// its next command (or runs a host action: the kexec-tools role, a fault injection), and it
// records what comes back. A step may expand into several commands (kexec -p reads
// /proc/iomem, crash_notes and vmcoreinfo before it calls kexec_load). When the capture kernel
// starts, the driver switches to the scenario's capture steps.
#pragma once
#include "machine/machine.h"
#include "sim/run_result.h"
#include "sim/runner.h"
#include "sim/scenario.h"
#include <chrono>
#include <deque>
#include <functional>

namespace kdsim {

class KernelImage;

// One unit of work: a command for init (with an optional blob), or a host action.
struct Action {
  std::string origin;  // the scenario step ("steps[2]") when the action is that step itself
  std::string label;
  std::string command;                                  // empty: a host action
  std::function<llvm::Expected<std::vector<uint8_t>>()> blob;  // computed when the command is sent
  std::function<llvm::Error()> host;                    // host actions
  std::function<void(const StepResult&)> on_done;       // commands: runs when init reports DONE
};

class ScenarioDriver final : public MachineObserver {
public:
  ScenarioDriver(const Scenario& scenario, const RunOptions& options, RunResult& result, const KernelImage& kernel)
      : m_scenario(scenario), m_options(options), m_result(result), m_kernel(kernel), m_steps(&scenario.steps) {
    if (!m_options.timing_path.empty()) m_started = m_options.host_clock();
  }
  void attach(Machine& m) { m_machine = &m; }
  // --timing: host seconds since the driver started, per timeline event (same indices).
  const std::vector<double>& event_seconds() const { return m_event_seconds; }

  // Called when every CPU waits. Returns true when it gave the guest something to do.
  bool feed();
  // At the end of the run: records the steps that never started (RunResult::not_reached).
  void finish();
  void host_event(std::string name, std::string detail, unsigned cpu = 0);

  // MachineObserver
  void console_output(std::string_view bytes) override;
  void stage_recorded(const StageRecord& r) override;
  void agent_hello() override;
  void agent_output(std::string_view bytes) override;
  void agent_done(int32_t status) override;
  void agent_error(std::string_view what) override;
  void dump_complete(uint64_t size) override;
  void dump_error(std::string_view what) override;
  void serial_input_delivered(uint64_t at, std::span<const SerialRx> input) override;
  void unmapped_device_access(const UnmappedDeviceAccess& access) override;
  void dma_refused(const RefusedDma& dma) override;

private:
  bool expand_next_step();
  void enter_capture_kernel();
  void new_kernel();
  Action command(const Step& step);
  void kexec_tools_failed(const Action& a, llvm::Error err);
  enum class SerialWait { BusyLoop, NextSteps };  // what init does until the input arrives
  std::deque<Action> serial_sysrq_actions(const Step& step, SerialWait wait);
  void cancel_serial_input(std::string_view why);
  void machine_event(std::string name, uint64_t instructions, unsigned cpu, const CpuSnapshot& state, uint64_t arg0,
                     uint64_t arg1, std::string detail);
  uint64_t port_instruction_pc(uint64_t block_pc, const Bus::UnmappedAccess& access) const;

  const Scenario& m_scenario;
  const RunOptions& m_options;
  RunResult& m_result;
  const KernelImage& m_kernel;
  Machine* m_machine = nullptr;
  const std::vector<Step>* m_steps;
  size_t m_next_step = 0;
  std::deque<Action> m_actions;
  std::optional<Action> m_in_flight;
  bool m_hello = false;
  bool m_no_more_sent = false;
  bool m_in_capture_kernel = false;
  unsigned m_kernels_started = 0;
  bool m_snapshot_taken = false;
  std::vector<double> m_event_seconds;
  std::chrono::steady_clock::time_point m_started;  // set only with --timing
  void stamp();
};

}  // namespace kdsim
