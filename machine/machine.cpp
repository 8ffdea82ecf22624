#include "machine/machine.h"
#include "machine/assert.h"
#include "machine/cpu_factory.h"
#include "machine/devices/empty_slots.h"
#include "machine/devices/power.h"
#include "machine/devices/psci.h"
#include "machine/devices/stage_port.h"
#include "machine/devices/uart.h"
#include "machine/error.h"
#include <algorithm>
#include <utility>
#include <fmt/format.h>

namespace kdsim {

llvm::Expected<std::unique_ptr<Machine>> Machine::create(const MachineConfig& config, MachineObserver& observer) {
  if (config.cpus == 0 || config.cpus > 8)
    return make_error("machine.cpus: {} is not between 1 and 8", config.cpus);
  auto board = make_board(config.arch, config.ram_size);
  if (!board) return board.takeError();
  std::unique_ptr<Machine> m(new Machine(config, observer, std::move(*board)));
  if (auto err = m->build()) return err;
  return m;
}

Machine::~Machine() = default;

llvm::Error Machine::build() {
  auto ram = Ram::create(m_board.ram);
  if (!ram) return ram.takeError();
  m_ram = std::move(*ram);
  for (const PhysRange& r : m_board.ram)
    if (auto err = m_mmio.reserve(r.base.value(), r.size, "RAM")) return err;
  if (auto err = attach_devices()) return err;
  if (m_board.device_window.size) m_mmio.add_decode_window(m_board.device_window.base.value(), m_board.device_window.size);
  auto report = [this](const Bus& bus, const Bus::UnmappedAccess& access) {
    Cpu& cpu = *m_cpus[m_current_cpu];
    m_observer.unmapped_device_access(UnmappedDeviceAccess{.space = bus.space_name(),
                                                           .access = access,
                                                           .cpu = m_current_cpu,
                                                           .instructions = instructions(),
                                                           .state = cpu.snapshot()});
  };
  m_mmio.set_unmapped_listener(report);
  m_ports.set_unmapped_listener(report);
  return create_cpus();
}

void Machine::dma_refused(PhysAddr phys, uint64_t len, std::string_view what) {
  Cpu& cpu = *m_cpus[m_current_cpu];
  m_observer.dma_refused(RefusedDma{.device = m_dump_disk->name(),
                                    .phys = phys,
                                    .len = len,
                                    .what = what,
                                    .cpu = m_current_cpu,
                                    .instructions = instructions(),
                                    .state = cpu.snapshot()});
}

llvm::Error Machine::attach_devices() {
  auto attach = [&](Bus& bus, uint64_t at, std::unique_ptr<Device> d) -> llvm::Error {
    if (auto err = bus.attach(at, *d)) return err;
    m_devices.push_back(std::move(d));
    return llvm::Error::success();
  };
  auto add = [&](PhysAddr at, std::unique_ptr<Device> d) { return attach(m_mmio, at.value(), std::move(d)); };
  auto add_port = [&](IoPort at, std::unique_ptr<Device> d) { return attach(m_ports, at.value(), std::move(d)); };
  // The sinks are private bases: name them here, where the conversion is accessible.
  ConsoleSink& console = *this;
  PowerSink& power = *this;
  StageSink& stages = *this;
  auto agent = std::make_unique<Agent>(*m_ram, static_cast<AgentListener&>(*this));
  m_agent = agent.get();
  if (auto err = add(m_board.agent, std::move(agent))) return err;
  if (auto err = add(m_board.stage_port, std::make_unique<StagePort>(stages))) return err;
  auto disk = std::make_unique<DumpDisk>(*m_ram, static_cast<DumpDiskListener&>(*this));
  m_dump_disk = disk.get();
  if (auto err = add(m_board.dump_disk, std::move(disk))) return err;
  uint64_t used = m_board.dump_disk.value() + 0x200 - m_board.kdsim_window.base.value();
  if (auto err = add(m_board.kdsim_window.base.offset(used),
                     std::make_unique<EmptySlots>(m_board.kdsim_window.size - used)))
    return err;
  m_wall_clock = std::make_unique<WallClock>(m_config.wall_clock_at_boot, [this] { return m_clock; });
  switch (m_config.arch) {
  case Arch::Arm64: {
    if (auto err = add(m_board.rtc, std::make_unique<Pl031>(*m_wall_clock))) return err;
    m_gic = std::make_unique<GicState>(m_config.cpus);
    auto current = [this] { return m_current_cpu; };
    if (auto err = add(m_board.gic_distributor, std::make_unique<GicDistributor>(*m_gic, current))) return err;
    if (auto err = add(m_board.gic_cpu_interface, std::make_unique<GicCpuInterface>(*m_gic, current)))
      return err;
    auto uart = std::make_unique<Pl011>(console);
    m_serial = uart.get();
    return add(m_board.uart, std::move(uart));
  }
  case Arch::X86_64: {
    auto uart = std::make_unique<Uart16550>(console);
    m_serial = uart.get();
    if (auto err = add_port(m_board.uart_port, std::move(uart))) return err;
    if (auto err = add_port(m_board.rtc_port, std::make_unique<CmosRtc>(*m_wall_clock))) return err;
    if (auto err = add(m_board.hpet, std::make_unique<Hpet>([this] { return instructions(); }))) return err;
    if (auto err = add_port(m_board.acpi_pm1a_control, std::make_unique<AcpiPowerControl>(power))) return err;
    m_lapic = std::make_unique<LapicState>(m_config.cpus);
    m_waiting_for_sipi.assign(m_config.cpus, true);
    // An IPI ends the sender's slice (a CPU alone runs long slices): the target gets it at once.
    auto sent = [this] { m_cpus[m_current_cpu]->request_stop(); };
    if (auto err = add(m_board.local_apic,
                       std::make_unique<LocalApic>(*m_lapic, [this] { return m_current_cpu; }, sent)))
      return err;
    return add_port(m_board.reset_control, std::make_unique<ResetControl>(power));
  }
  }
  return llvm::Error::success();
}

llvm::Error Machine::create_cpus() {
  for (unsigned i = 0; i < m_config.cpus; ++i) {
    CpuConfig cc{
        .index = i, .ram = m_ram.get(), .mmio = &m_mmio, .ports = &m_ports, .host = this, .machine_clock = &m_clock};
    auto cpu = create_cpu(m_config.arch, cc);
    if (!cpu) return cpu.takeError();
    if (m_config.debug) {
      if (!(*cpu)->enable_debug()) return make_error("CPU {}: cannot install the debugger hook", i);
      (*cpu)->set_breakpoints(&m_breakpoints);
    }
    m_cpus.push_back(std::move(*cpu));
    m_run_state.push_back(CpuRunState::Off);
    m_new_kernel_entered.push_back(false);
    m_spin.push_back(SpinState{});
  }
  connect_peers(m_config.arch, m_cpus);
  return llvm::Error::success();
}

uint64_t Machine::instructions() const {
  uint64_t total = 0;
  for (const auto& c : m_cpus) total += c->instructions();
  return total;
}

void Machine::debug_resume(std::optional<unsigned> step_cpu) {
  for (auto& cpu : m_cpus) cpu->debug_resume(step_cpu == cpu->index());
}

void Machine::start_cpu(unsigned index) {
  m_run_state.at(index) = CpuRunState::Running;
  if (!m_waiting_for_sipi.empty()) m_waiting_for_sipi[index] = false;
}

void Machine::wake_idle_cpus() {
  for (CpuRunState& s : m_run_state)
    if (s == CpuRunState::Idle) s = CpuRunState::Running;
}

RunStop Machine::run(uint64_t instruction_limit) {
  for (;;) {
    bool any_running = false, any_on = false;
    for (unsigned i = 0; i < m_cpus.size(); ++i) {
      deliver_due_serial_input();
      route_interrupts(i);
      any_on |= m_run_state[i] != CpuRunState::Off;
      if (m_run_state[i] != CpuRunState::Running) continue;
      any_running = true;
      if (auto stop = run_one_slice(i, slice_budget(i, instruction_limit))) return *stop;
      if (std::exchange(m_host_turn, false) && other_cpu_running(i)) return {StopCause::HostTurn, i, {}};
      check_spin(i);
      if (auto stop = spin_stop()) return *stop;
      if (instructions() >= instruction_limit) return {StopCause::InstructionLimit, i, {}};
    }
    if (!any_on) return {StopCause::AllOff, 0, {}};
    if (!any_running) return {StopCause::AllIdle, 0, {}};
  }
}

bool Machine::other_cpu_running(unsigned index) const {
  for (unsigned i = 0; i < m_run_state.size(); ++i)
    if (i != index && m_run_state[i] == CpuRunState::Running) return true;
  return false;
}

// The quantum only shares the host thread between CPUs. A CPU alone in the machine (every other
// one off) runs until the instruction limit in one slice: each slice costs a uc_emu_start,
// which at a 100k quantum took a third of the guest's speed. Anything that brings another CPU
// into play (PSCI CPU_ON) ends the slice, so the round-robin resumes at once.
uint64_t Machine::slice_budget(unsigned index, uint64_t instruction_limit) const {
  const uint64_t now = instructions();
  uint64_t left = std::max<uint64_t>(instruction_limit > now ? instruction_limit - now : 0, 1);
  // Scheduled serial input: the slice ends where it is due (at the next block boundary).
  if (m_serial_input)
    left = std::min(left, std::max<uint64_t>(m_serial_input->at > now ? m_serial_input->at - now : 0, 1));
  for (unsigned i = 0; i < m_run_state.size(); ++i)
    if (i != index && m_run_state[i] != CpuRunState::Off) return std::min(m_config.quantum, left);
  // Alone: up to the next spin sample (one uc_emu_start per ~1M instructions costs nothing).
  const uint64_t to_sample = m_spin[index].next_sample > m_cpus[index]->instructions()
                                 ? m_spin[index].next_sample - m_cpus[index]->instructions()
                                 : 1;
  return std::min(left, to_sample);
}

// ---- spin detection -------------------------------------------------------------------------

void Machine::check_spin(unsigned index) {
  SpinState& st = m_spin[index];
  Cpu& cpu = *m_cpus[index];
  if (m_run_state[index] != CpuRunState::Running) {  // idle or off: waiting is not spinning
    if (st.verifying) cpu.stop_store_watch();
    st = SpinState{.next_sample = cpu.instructions() + kSpinWindow};
    return;
  }
  if (cpu.instructions() < st.next_sample) return;
  st.next_sample = cpu.instructions() + kSpinWindow;
  const uint64_t fp = cpu.state_fingerprint();
  const bool repeated = std::find(st.recent.begin(), st.recent.begin() + std::min<unsigned>(st.samples, 8), fp) !=
                        st.recent.begin() + std::min<unsigned>(st.samples, 8);
  st.recent[st.samples++ % st.recent.size()] = fp;
  if (st.verifying) {
    // The window since the suspicion: no store, no device access, and the same registers
    // again. Nothing the CPU does can change anything it reads: a spin.
    const bool quiet = cpu.stores() == 0 && device_accesses() == st.devices_at_start;
    cpu.stop_store_watch();
    st.verifying = false;
    st.spinning = quiet && repeated;
    if (st.spinning && m_handoff.in_purgatory(VirtAddr(cpu.pc())) && m_handoff.watch->verify_digest)
      record_observed(StageCode::DigestMismatch, cpu, cpu.pc(), 0);
    return;
  }
  if (!repeated) return;
  // Any store counts, its own stack included: registers alone can repeat while the state lives
  // in memory (x86 SHA-256 rounds with everything spilled matched 6 samples apart). A loop
  // that stores nothing, touches no device and comes back to the same registers can never
  // leave. Spins that keep storing are left to the instruction limit.
  st.verifying = cpu.start_store_watch();
  st.devices_at_start = device_accesses();
}

// A spinning CPU stops the machine only when nothing else could still change its memory or
// wake it: every other CPU is off, idle (only a running CPU could interrupt it) or spinning.
std::optional<RunStop> Machine::spin_stop() const {
  std::optional<unsigned> spinner;
  for (unsigned i = 0; i < m_cpus.size(); ++i) {
    if (m_run_state[i] != CpuRunState::Running) continue;
    if (!m_spin[i].spinning) return std::nullopt;
    if (!spinner) spinner = i;
  }
  if (!spinner) return std::nullopt;
  Cpu& cpu = *m_cpus[*spinner];
  return RunStop{StopCause::Spin, *spinner,
                 fmt::format("cpu{} spins at PC {}: the same registers {} instructions apart, no store and no device "
                             "access in between",
                             *spinner, VirtAddr(cpu.pc()), kSpinWindow)};
}

// ---- the kexec hand-off, observed ----------------------------------------------------------

namespace {
enum WatchTag : unsigned { kPurgatoryTag = 1, kNextKernelTag = 2 };
}

void Machine::watch_kexec(const KexecWatch& watch) {
  for (auto& cpu : m_cpus) {
    cpu->unwatch_blocks(kPurgatoryTag);
    cpu->unwatch_blocks(kNextKernelTag);
    cpu->watch_blocks(watch.purgatory.base.value(), watch.purgatory.last(), kPurgatoryTag);
    cpu->watch_blocks(watch.next_entry.value(), watch.next_entry.value(), kNextKernelTag);
    cpu->unwatch_stores_to();
    if (!watch.segments.empty()) cpu->watch_stores_to(watch.segments);
  }
  m_handoff = HandoffObservation{.watch = watch};
}

void Machine::store_watched(Cpu& cpu, PhysAddr at, unsigned size, VirtAddr pc) {
  ++m_handoff.segment_store_count;
  if (m_handoff.segment_stores.size() < HandoffObservation::kMaxSegmentStores)
    m_handoff.segment_stores.push_back({cpu.index(), at, size, pc, instructions()});
}

// The purgatory runs with the MMU off (arm64) or identity-mapped (x86_64), so its PCs are the
// physical addresses kexec_load was given. User code whose virtual addresses happen to equal
// them is not the hand-off: only kernel-mode entries count.
void Machine::block_watched(Cpu& cpu, unsigned tag, VirtAddr pc) {
  if (!m_handoff.watch) return;
  if (cpu.in_user_mode()) return;
  if (tag == kPurgatoryTag) {
    if (!m_handoff.purgatory_cpu) {
      m_handoff.purgatory_cpu = cpu.index();
      record_observed(StageCode::PurgatoryEntry, cpu, pc.value(), 0);
    }
    for (auto& c : m_cpus) {
      c->unwatch_blocks(kPurgatoryTag);  // once is enough: no cost inside it
      c->unwatch_stores_to();            // from here on the purgatory (x86: its backup copy) writes
    }
    return;
  }
  if (tag != kNextKernelTag || m_handoff.next_kernel_entered) return;
  m_handoff.next_kernel_entered = true;
  record_observed(StageCode::NextKernelEntry, cpu, pc.value(), 0);
  // Reaching the next kernel through the purgatory is its verdict: with checks on it verified
  // every digest (it spins otherwise), with --no-checks it did not look.
  if (m_handoff.purgatory_cpu)
    record_observed(m_handoff.watch->verify_digest ? StageCode::DigestOk : StageCode::DigestSkipped, cpu, pc.value(), 0);
  for (auto& c : m_cpus) c->unwatch_blocks(kNextKernelTag);
  // A kernel starts whether or not it says so: the previous one's address space goes.
  m_new_kernel_entered[cpu.index()] = true;
  cpu.request_stop();
}

void Machine::record_observed(StageCode code, Cpu& cpu, uint64_t arg0, uint64_t arg1) {
  emit_stage(StageRecord{.sequence = 0,
                         .instructions = instructions(),
                         .cpu = cpu.index(),
                         .state = cpu.snapshot(),
                         .code = static_cast<uint32_t>(code),
                         .arg0 = arg0,
                         .arg1 = arg1,
                         .observed = true});
}

void Machine::emit_stage(StageRecord record) {
  record.sequence = m_stage_sequence++;
  m_observer.stage_recorded(record);
}

std::optional<RunStop> Machine::run_one_slice(unsigned index, uint64_t budget) {
  m_current_cpu = index;
  m_clock = instructions();
  HaltReason halt = m_cpus[index]->run(budget);
  if (m_new_kernel_entered[index]) {
    m_new_kernel_entered[index] = false;
    new_kernel_entered(*m_cpus[index]);
  }
  if (m_debug_stop) {
    const unsigned cpu = *m_debug_stop;
    m_debug_stop.reset();
    return RunStop{StopCause::Debug, cpu, {}};
  }
  if (m_power_request) {
    PowerRequest req = *m_power_request;
    m_power_request.reset();
    return RunStop{req == PowerRequest::Off ? StopCause::PowerOff : StopCause::Reset, index,
                   std::exchange(m_power_detail, {})};
  }
  switch (halt.kind) {
  case HaltKind::QuantumExpired:
  case HaltKind::StopRequested: return std::nullopt;  // CPU_OFF already changed the run state
  case HaltKind::Idle:
    m_run_state[index] = CpuRunState::Idle;
    return std::nullopt;
  case HaltKind::GuestFault: return RunStop{StopCause::GuestFault, index, halt.detail};
  }
  return std::nullopt;
}

void Machine::schedule_serial_input(uint64_t at, std::vector<SerialRx> input) {
  m_serial_input = ScheduledSerialInput{at, std::move(input)};
}

std::optional<uint64_t> Machine::cancel_serial_input() {
  if (!m_serial_input) return std::nullopt;
  const uint64_t at = m_serial_input->at;
  m_serial_input.reset();
  return at;
}

void Machine::deliver_due_serial_input() {
  if (!m_serial_input || instructions() < m_serial_input->at) return;
  const ScheduledSerialInput due = std::move(*m_serial_input);
  m_serial_input.reset();
  for (const SerialRx& rx : due.input) m_serial->receive(rx);
  m_observer.serial_input_delivered(instructions(), due.input);
}

// The legacy PC wiring of COM1: IRQ 4, which Linux maps to vector ISA_IRQ_VECTOR(4) = 0x34
// (arch/x86/include/asm/irq_vectors.h). The x86_64 board has no PIC or I/O APIC model: the
// machine delivers the vector itself while the UART's line is high, as a PIC would with IRQ 4
// unmasked and nothing to acknowledge.
constexpr uint8_t kX86Com1Vector = 0x34;
// QEMU virt wires the PL011 to SPI 1: INTID 33.
constexpr unsigned kArm64UartIntid = 33;

// A pending interrupt wakes a CPU idling in wfi (even with IRQs masked, as WFI does) and is
// taken once the CPU has interrupts unmasked. It stays pending until the guest acknowledges
// it (GICC_IAR), so a masked CPU takes it later. The UART's line is level-sensitive: it stays
// high until the driver has read what was received.
void Machine::route_interrupts(unsigned index) {
  if (m_lapic) route_lapic(index);  // INIT and STARTUP reach CPUs that are off
  if (m_run_state[index] == CpuRunState::Off) return;
  if (!m_gic) {
    // x86_64: CPU 0 takes the UART's interrupt when it runs with RFLAGS.IF set.
    if (index == 0 && m_run_state[index] == CpuRunState::Running && m_serial->irq_asserted())
      m_cpus[index]->deliver_interrupt(kX86Com1Vector);
    return;
  }
  m_gic->set_spi_level(kArm64UartIntid, m_serial->irq_asserted());
  if (!m_gic->has_pending(index)) return;
  m_run_state[index] = CpuRunState::Running;
  m_cpus[index]->deliver_interrupt(0);
}

// What the local APICs sent this CPU (SDM Vol. 3A 10.6.1, 8.4.4): INIT puts it in the
// wait-for-SIPI state whatever it was doing; a STARTUP IPI starts a waiting CPU in real mode and
// is ignored otherwise; an NMI is taken at once, waking a halted CPU; a fixed vector wakes and
// enters the CPU once RFLAGS.IF is set (a halted CPU with IF clear stays halted, as `hlt` does).
void Machine::route_lapic(unsigned index) {
  LapicCpu& apic = m_lapic->cpu(index);
  if (!m_lapic->has_pending(index)) return;
  if (apic.init) {
    apic.init = false;
    m_run_state[index] = CpuRunState::Off;
    m_waiting_for_sipi[index] = true;
  }
  if (apic.startup_vector) {
    const uint8_t vector = *apic.startup_vector;
    apic.startup_vector.reset();
    if (m_waiting_for_sipi[index] && m_run_state[index] == CpuRunState::Off) {
      m_waiting_for_sipi[index] = false;
      x86_start_up(*m_cpus[index], vector);
      m_run_state[index] = CpuRunState::Running;
    }
  }
  if (m_run_state[index] == CpuRunState::Off) {  // an NMI or vector to a CPU not started is lost
    apic.nmi = false;
    apic.irr.reset();
    return;
  }
  if (apic.nmi) {
    apic.nmi = false;
    m_run_state[index] = CpuRunState::Running;
    x86_deliver_nmi(*m_cpus[index]);  // a failure is the next slice's GuestFault
    return;  // the handler's first instruction runs before anything else is taken
  }
  if (auto vector = m_lapic->deliverable_vector(index); vector && m_cpus[index]->deliver_interrupt(*vector)) {
    apic.irr.reset(*vector);
    m_run_state[index] = CpuRunState::Running;
  }
}

// x86 shutdown (a triple fault): the PC platform answers with a reset, as QEMU does by default.
void Machine::cpu_shutdown(Cpu& cpu, std::string_view why) {
  m_power_request = PowerRequest::Reset;
  (void)cpu;
  m_power_detail = fmt::format("the CPU shut down ({}); the platform resets", why);
}

void Machine::power_request(PowerRequest request) {
  m_power_request = request;
  m_cpus[m_current_cpu]->request_stop();
}

void Machine::stage(uint32_t code, uint64_t arg0, uint64_t arg1) {
  Cpu& cpu = *m_cpus[m_current_cpu];
  if (static_cast<StageCode>(code) == StageCode::KernelEntry) {
    // A kernel starts (first boot, kexec, kdump): CPU state that encodes the previous kernel's
    // address space must go (x86 linear aliases). Done between slices, not inside this MMIO
    // callback; the entry code runs identity-mapped until then.
    m_new_kernel_entered[m_current_cpu] = true;
    cpu.request_stop();
  }
  emit_stage(StageRecord{.sequence = 0,
                         .instructions = instructions(),
                         .cpu = m_current_cpu,
                         .state = cpu.snapshot(),
                         .code = code,
                         .arg0 = arg0,
                         .arg1 = arg1});
}

void Machine::firmware_call(Cpu& cpu, FirmwareConduit, uint16_t) {
  ++m_firmware_calls;
  auto args = smccc_arguments(cpu);
  auto power_of = [&](uint64_t mpidr) {
    if (mpidr >= m_cpus.size()) return psci::CpuPower::NotPresent;
    return m_run_state[mpidr] == CpuRunState::Off ? psci::CpuPower::Off : psci::CpuPower::On;
  };
  psci::Outcome out = psci::handle({args[0], args[1], args[2], args[3]}, power_of);
  switch (out.action) {
  case psci::Action::None: break;
  case psci::Action::SystemOff: return power_request(PowerRequest::Off);
  case psci::Action::SystemReset: return power_request(PowerRequest::Reset);
  case psci::Action::CpuOff:
    m_run_state[cpu.index()] = CpuRunState::Off;
    cpu.request_stop();
    return;
  case psci::Action::CpuOn:
    arm64_power_on(*m_cpus[out.target_cpu], out.entry, out.context);
    m_run_state[out.target_cpu] = CpuRunState::Running;
    cpu.request_stop();  // a solo slice (slice_budget) ends: the new CPU gets its turn
    break;
  }
  set_smccc_result(cpu, static_cast<uint64_t>(out.result));
}

}  // namespace kdsim
