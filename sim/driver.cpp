#include "sim/driver.h"
#include "sim/port_io_insn.h"
#include "firmware-less-boot/kernel_image.h"
#include "sim/kexec_step.h"
#include "firmware-less-boot/kexec/kexec_tools_exit.h"
#include "sim/guest_ram.h"
#include "machine/error.h"
#include <algorithm>

namespace kdsim {

Action ScenarioDriver::command(const Step& step) {
  return Action{.origin = step.origin, .label = step.label, .command = step.command, .blob = {}, .host = {}, .on_done = {}};
}

bool ScenarioDriver::expand_next_step() {
  if (m_next_step >= m_steps->size()) return false;
  const Step& step = (*m_steps)[m_next_step++];
  KexecStepContext ctx{m_scenario, m_options, m_result, *m_machine, m_kernel,
                       [this](std::string name, std::string detail) { host_event(std::move(name), std::move(detail)); }};
  switch (step.kind) {
  case Step::Kind::Run:
  case Step::Kind::SysrqTrigger:
  case Step::Kind::LkdtmTrigger: m_actions.push_back(command(step)); break;
  case Step::Kind::KexecCrash:
  case Step::Kind::KexecLoad:
    host_event("kexec", step.label);
    m_actions = kexec_load_actions(ctx, step.kind == Step::Kind::KexecCrash ? KexecMode::Crash : KexecMode::Normal,
                                   step);
    break;
  case Step::Kind::KexecExec: m_actions.push_back(command(step)); break;
  case Step::Kind::SerialSysrqTrigger:
    m_actions = serial_sysrq_actions(step, m_next_step == m_steps->size() ? SerialWait::BusyLoop : SerialWait::NextSteps);
    break;
  case Step::Kind::KexecUnloadCrash:
  case Step::Kind::KexecUnloadNormal: {
    host_event("kexec", step.label);
    Action unload = command(step);
    RunResult* result = &m_result;
    unload.on_done = [result](const StepResult& r) { record_kexec_load(*result, parse_kexec_load_output(r.output)); };
    m_actions.push_back(std::move(unload));
    break;
  }
  case Step::Kind::KexecLoadRaw: {
    std::vector<KexecSegment> segs;
    for (const Step::RawSegment& r : step.segments)
      segs.push_back({std::vector<uint8_t>(r.bufsz, 0xa5), PhysAddr(r.mem), r.memsz, "raw"});
    auto blob = encode_kexec_load_blob(segs, PhysAddr(step.entry), step.flags);
    RunResult* result = &m_result;
    m_actions.push_back(Action{.origin = step.origin,
                               .label = step.label,
                               .command = step.command,
                               .blob = [blob]() -> llvm::Expected<std::vector<uint8_t>> { return blob; },
                               .host = {},
                               .on_done = [result](const StepResult& r) {
                                 record_kexec_load(*result, parse_kexec_load_output(r.output));
                               }});
    break;
  }
  case Step::Kind::Touch:
    m_actions.push_back(Action{.label = step.label, .command = {}, .blob = {}, .host = [this, &step]() -> llvm::Error {
                                 if (auto err = touch_memory(m_machine->ram(), m_machine->board().ram.front().base,
                                                             step.offset, step.size))
                                   return make_error("{}: {}: {}", m_scenario.file.string(), step.label,
                                                     toString(std::move(err)));
                                 host_event("touch", step.label);
                                 return llvm::Error::success();
                               },
                               .on_done = {}});
    break;
  case Step::Kind::Corrupt:
    m_actions.push_back(Action{.label = step.label, .command = {}, .blob = {}, .host = [this, ctx, &step]() -> llvm::Error {
                                 std::string detail;
                                 if (auto err = corrupt_segment(ctx, step, detail)) return err;
                                 host_event("corrupt", detail);
                                 return llvm::Error::success();
                               },
                               .on_done = {}});
    break;
  }
  return true;
}

bool ScenarioDriver::feed() {
  if (!m_hello) return false;
  for (;;) {
    if (m_actions.empty() && !expand_next_step()) break;
    if (m_actions.empty()) continue;
    Action a = std::move(m_actions.front());
    m_actions.pop_front();
    if (a.command.empty()) {
      if (auto err = a.host()) {
        std::string why = toString(std::move(err));
        m_result.errors.push_back(why);  // host actions name their file and step themselves
        host_event("host_action_failed", why);
      }
      continue;
    }
    std::vector<uint8_t> blob;
    if (a.blob) {
      auto b = a.blob();
      if (!b) {  // the kexec-tools role gave up before calling kexec_load
        kexec_tools_failed(a, b.takeError());
        m_actions.clear();
        continue;
      }
      blob = std::move(*b);
    }
    m_result.steps.push_back({a.origin, a.label, a.command, {}, std::nullopt, m_machine->instructions()});
    host_event("step", a.label + (blob.empty() ? "" : fmt::format(" ({} bytes of segments)", blob.size())));
    m_machine->agent().queue_command(a.command, std::move(blob));
    m_in_flight = std::move(a);
    return true;
  }
  if (m_no_more_sent) return false;
  m_no_more_sent = true;
  host_event("no_more_commands", "");
  m_machine->agent().set_no_more_commands();
  return true;
}

// The magic SysRq typed on the serial console: the host arms the UART input (a BREAK, then
// 'c') for `after_instructions` of machine time from now; as the last step of its list, init
// starts its busy loop at the same machine time, else the next steps run meanwhile. Whatever
// init then runs, the kernel's UART interrupt gets the keys.
std::deque<Action> ScenarioDriver::serial_sysrq_actions(const Step& step, SerialWait wait) {
  std::deque<Action> actions;
  actions.push_back(Action{.label = step.label, .command = {}, .blob = {}, .host = [this, &step]() -> llvm::Error {
                             const uint64_t at = m_machine->instructions() + step.after_instructions;
                             m_machine->schedule_serial_input(at, {SerialRx{.ch = 0, .brk = true},
                                                                   SerialRx{.ch = 'c', .brk = false}});
                             host_event("serial_armed", fmt::format("BREAK then 'c' on the serial console at "
                                                                    "instruction {} or the first block boundary after",
                                                                    at));
                             return llvm::Error::success();
                           },
                           .on_done = {}});
  switch (wait) {
  case SerialWait::BusyLoop: actions.push_back(command(step)); break;
  case SerialWait::NextSteps: break;
  }
  return actions;
}

// Input typed on the serial console is for the kernel running when it was scheduled: once that
// kernel panics or hands over (crash_kexec, kexec -e), it would reach the next kernel instead.
void ScenarioDriver::cancel_serial_input(std::string_view why) {
  if (auto at = m_machine->cancel_serial_input())
    host_event("serial_cancelled",
               fmt::format("BREAK then 'c', due at instruction {}, not sent: {}", *at, why));
}

void ScenarioDriver::serial_input_delivered(uint64_t at, std::span<const SerialRx> input) {
  std::string what;
  for (const SerialRx& rx : input)
    what += (what.empty() ? "" : ", ") + (rx.brk ? std::string("BREAK") : fmt::format("'{}'", static_cast<char>(rx.ch)));
  host_event("serial_input", fmt::format("the UART received {} at instruction {}", what, at));
}

// A device event the machine observed (not a stage the guest reported), at the accessing CPU.
void ScenarioDriver::machine_event(std::string name, uint64_t instructions, unsigned cpu, const CpuSnapshot& state,
                                   uint64_t arg0, uint64_t arg1, std::string detail) {
  stamp();
  m_result.timeline.push_back({TimelineEvent::Source::Machine, std::move(name),
                               StageRecord{.sequence = m_result.timeline.size(),
                                           .instructions = instructions,
                                           .cpu = cpu,
                                           .state = state,
                                           .code = 0,
                                           .arg0 = arg0,
                                           .arg1 = arg1,
                                           .observed = true},
                               std::move(detail)});
}

// An x86 CPU reports a port access with the PC of the translated block that made it
// (sim/port_io_insn.h says why): find the in/out in the live kernel's text. A PC outside it (a
// purgatory, a user program) stays the block's start.
uint64_t ScenarioDriver::port_instruction_pc(uint64_t block_pc, const Bus::UnmappedAccess& access) const {
  const KernelImage& live = m_kernels_started > 1 && m_result.next_kernel ? *m_result.next_kernel : m_kernel;
  for (const KernelSegment& seg : live.segments()) {
    const uint64_t va = seg.vaddr.value();
    if (block_pc < va || block_pc - va >= seg.bytes.size()) continue;
    return find_port_io_instruction(seg.bytes.subspan(block_pc - va), block_pc,
                                    {static_cast<uint32_t>(access.address), access.width, access.is_write})
        .value_or(block_pc);
  }
  return block_pc;
}

// Seen by the machine, not reported: a CPU touched an address or port where no device sits (a
// driver probing hardware the board does not have, a wrong ioremap). The guest carries on (reads
// float high, writes are dropped), so the timeline names the access where it happened.
void ScenarioDriver::unmapped_device_access(const UnmappedDeviceAccess& a) {
  const bool port = a.space == "ports";
  const Bus::UnmappedAccess& x = a.access;
  CpuSnapshot state = a.state;
  if (port) state.pc = VirtAddr(port_instruction_pc(state.pc.value(), x));
  std::string where = port ? fmt::format("port 0x{:x}", x.address) : fmt::format("{}", PhysAddr(x.address));
  std::string what = x.is_write ? fmt::format("write of 0x{:x} ({} bytes) to {}: no device there, dropped", x.value,
                                              x.width, where)
                                : fmt::format("read of {} bytes from {}: no device there, read as 0x{:x} (a floating bus)",
                                              x.width, where, x.value);
  machine_event(port ? "unmapped_port" : "unmapped_mmio", a.instructions, a.cpu, state, x.address, x.value,
                std::move(what));
}

// Seen by the machine: a device was handed a bus address that is no RAM (a wild DMA). The bus
// refuses the transfer and the device reports an error status; the guest may carry on, so the
// timeline names the range and the CPU that rang the doorbell.
void ScenarioDriver::dma_refused(const RefusedDma& d) {
  ++m_result.refused_dma;
  machine_event("wild_dma", d.instructions, d.cpu, d.state, d.phys.value(), d.len,
                fmt::format("{}: DMA refused, {}: no memory there", d.device, d.what));
}

// kexec-tools' own refusal (KexecToolsExit: a crashkernel= region too small, say) is the kexec
// step's result, as `kexec -p` printing an error and exiting 1 is in a shell: a scenario may
// expect it. Anything else (a purgatory of the other arch) means the step could not be carried
// out at all: a run error.
void ScenarioDriver::kexec_tools_failed(const Action& a, llvm::Error err) {
  llvm::Error rest = llvm::handleErrors(std::move(err), [&](const KexecToolsExit& e) {
    // "kexec -p: kexec_load(KEXEC_ON_CRASH)" -> "kexec -p: ...": the call was never made.
    const std::string label = a.label.substr(0, a.label.find(':')) + ": kexec-tools exits before kexec_load";
    m_result.steps.push_back({a.origin, label, "", e.output(), e.status(), m_machine->instructions()});
    host_event("kexec_failed", fmt::format("{}; kexec-tools exits {}: {}", e.why(), e.status(),
                                           e.output().substr(0, e.output().find('\n'))));
  });
  if (rest) {
    std::string why = toString(std::move(rest));
    m_result.errors.push_back(fmt::format("{}: {}", a.label, why));
    host_event("kexec_failed", why);
  }
  record_kexec_load(m_result, "kexec-tools-error");
}

// Another kernel took over (kexec -e, or the capture kernel): whatever the old init had in
// flight never completes; the new init says hello again and gets the remaining steps.
void ScenarioDriver::new_kernel() {
  m_hello = m_no_more_sent = false;
  m_actions.clear();
  m_in_flight.reset();
  m_machine->agent().reset();
}

void ScenarioDriver::enter_capture_kernel() {
  m_in_capture_kernel = true;
  m_hello = m_no_more_sent = false;
  m_actions.clear();
  m_in_flight.reset();
  m_steps = &m_scenario.capture_steps;
  m_next_step = 0;
  m_machine->agent().reset();
}

void ScenarioDriver::finish() {
  cancel_serial_input("the run ended first");
  auto list = [&](const std::vector<Step>& steps, const char* name, size_t from) {
    for (size_t i = from; i < steps.size(); ++i)
      m_result.not_reached.push_back(fmt::format("{}[{}] {}", name, i, steps[i].label));
  };
  if (m_in_capture_kernel) return list(m_scenario.capture_steps, "capture_steps", m_next_step);
  list(m_scenario.steps, "steps", m_next_step);
  // Capture steps count only when the scenario loads a crash kernel to run them.
  const bool loads_crash_kernel = std::any_of(m_scenario.steps.begin(), m_scenario.steps.end(),
                                              [](const Step& s) { return s.kind == Step::Kind::KexecCrash; });
  if (loads_crash_kernel) list(m_scenario.capture_steps, "capture_steps", 0);
}

void ScenarioDriver::stamp() {
  if (m_options.timing_path.empty()) return;
  m_event_seconds.push_back(std::chrono::duration<double>(m_options.host_clock() - m_started).count());
}

void ScenarioDriver::host_event(std::string name, std::string detail, unsigned cpu) {
  stamp();
  TimelineEvent e{TimelineEvent::Source::Host, std::move(name), {}, std::move(detail)};
  e.record.sequence = m_result.timeline.size();
  e.record.instructions = m_machine->instructions();
  e.record.cpu = cpu;
  m_result.timeline.push_back(std::move(e));
}

void ScenarioDriver::console_output(std::string_view bytes) {
  m_result.console.append(bytes);
  if (m_options.live_console) m_options.live_console(bytes);
}

void ScenarioDriver::stage_recorded(const StageRecord& r) {
  auto name = stage_name(r.code, m_scenario.arch);
  stamp();
  TimelineEvent e{r.observed ? TimelineEvent::Source::Machine : TimelineEvent::Source::Guest,
                  name ? std::string(*name) : fmt::format("stage_0x{:x}", r.code), r, {}};
  e.record.sequence = m_result.timeline.size();
  m_result.timeline.push_back(std::move(e));
  // The three stages that end the kernel scheduled serial input was meant for.
  if (static_cast<StageCode>(r.code) == StageCode::Panic) cancel_serial_input("the kernel panicked first");
  if (static_cast<StageCode>(r.code) == StageCode::CrashKexec) cancel_serial_input("the kernel crashed first (crash_kexec)");
  if (static_cast<StageCode>(r.code) == StageCode::MachineKexec)
    cancel_serial_input("the kernel handed over first (machine_kexec)");
  if (!r.observed && static_cast<StageCode>(r.code) == StageCode::KernelEntry && m_kernels_started++ > 0) new_kernel();
  if (static_cast<StageCode>(r.code) == StageCode::CaptureEntry && !m_in_capture_kernel) enter_capture_kernel();
  if (static_cast<StageCode>(r.code) == StageCode::PurgatoryEntry && !m_options.ram_snapshot_path.empty() &&
      !m_snapshot_taken) {
    m_snapshot_taken = true;
    if (auto err = write_ram_snapshot(m_machine->ram(), m_options.ram_snapshot_path))
      m_result.warnings.push_back(toString(std::move(err)));
    else
      host_event("ram_snapshot", m_options.ram_snapshot_path.string());
  }
}

void ScenarioDriver::agent_hello() {
  m_hello = true;
  host_event("agent_hello", m_in_capture_kernel ? "the capture kernel's init waits for commands"
                                                : "init is up and waits for commands");
}

void ScenarioDriver::agent_output(std::string_view bytes) {
  if (!m_result.steps.empty()) m_result.steps.back().output.append(bytes);
}

void ScenarioDriver::agent_done(int32_t status) {
  if (m_result.steps.empty() || !m_in_flight) return m_result.warnings.push_back("agent DONE with no command in flight");
  m_result.steps.back().exit_status = status;
  host_event("step_done", fmt::format("exit status {}", status));
  Action done = std::move(*m_in_flight);
  m_in_flight.reset();
  if (done.on_done) done.on_done(m_result.steps.back());
}

void ScenarioDriver::agent_error(std::string_view what) {
  m_result.warnings.push_back(fmt::format("agent: {}", what));
  host_event("agent_error", std::string(what));
}

void ScenarioDriver::dump_complete(uint64_t size) {
  m_result.vmcore_size = size;
  host_event("vmcore_saved", fmt::format("{} bytes", size));
}

void ScenarioDriver::dump_error(std::string_view what) {
  m_result.warnings.push_back(fmt::format("dump disk: {}", what));
  host_event("dump_error", std::string(what));
}

}  // namespace kdsim
