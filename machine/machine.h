// A simulated machine: RAM, CPUs, buses and devices wired per board, and the deterministic
// run loop (one host thread, CPUs round-robin with a fixed instruction quantum, time is the
// instruction count; nothing reads the host clock).
#pragma once
#include "machine/board.h"
#include "machine/bus.h"
#include "machine/cpu.h"
#include "machine/devices/agent.h"
#include "machine/devices/dump_disk.h"
#include "machine/devices/gic.h"
#include "machine/devices/hpet.h"
#include "machine/devices/lapic.h"
#include "machine/devices/rtc.h"
#include "machine/devices/sinks.h"
#include "machine/devices/uart.h"
#include "machine/ram.h"
#include "machine/stage.h"
#include <llvm/Support/Error.h>
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <set>
#include <span>
#include <vector>

namespace kdsim {

struct MachineConfig {
  Arch arch = Arch::Arm64;
  uint64_t ram_size = 0;
  unsigned cpus = 1;
  uint64_t quantum = 100'000;  // instructions per CPU per round
  // A debugger drives the machine (kdsim run --gdb): every CPU gets the per-instruction hook
  // for breakpoints and single steps. Instruction counts may then run ahead by the rest of a
  // block at each stop; a normal run has no such hook.
  bool debug = false;
  // The wall clock at power-on, in seconds since the epoch (the RTC counts on from it with
  // machine time).
  int64_t wall_clock_at_boot = WallClock::kDefaultBootEpoch;
};

// A CPU's access to an MMIO address or I/O port where no device sits.
struct UnmappedDeviceAccess {
  std::string_view space;  // "mmio" or "ports"
  Bus::UnmappedAccess access;
  unsigned cpu = 0;
  uint64_t instructions = 0;  // machine time
  CpuSnapshot state;          // the accessing CPU, at the access
};

// A DMA the bus refused: a device was handed a bus address that is no RAM (machine/devices/
// dump_disk.h). The CPU is the one whose doorbell write started the transfer.
struct RefusedDma {
  std::string_view device;
  PhysAddr phys;
  uint64_t len = 0;
  std::string_view what;
  unsigned cpu = 0;
  uint64_t instructions = 0;
  CpuSnapshot state;
};

// What the machine reports while it runs. Called synchronously from the run loop.
class MachineObserver {
public:
  virtual ~MachineObserver() = default;
  virtual void console_output(std::string_view bytes) = 0;
  virtual void stage_recorded(const StageRecord& record) = 0;
  virtual void agent_hello() = 0;
  virtual void agent_output(std::string_view bytes) = 0;
  virtual void agent_done(int32_t status) = 0;
  virtual void agent_error(std::string_view what) = 0;
  virtual void dump_complete(uint64_t size) = 0;
  virtual void dump_error(std::string_view what) = 0;
  // Input scheduled with Machine::schedule_serial_input reached the UART at machine time `at`.
  virtual void serial_input_delivered(uint64_t /*at*/, std::span<const SerialRx> /*input*/) {}
  // A CPU read or wrote an MMIO address or I/O port where no device sits (the first
  // Bus::kKeptUnmapped per address space; Machine::unmapped_device_accesses() counts them all).
  virtual void unmapped_device_access(const UnmappedDeviceAccess& /*access*/) {}
  virtual void dma_refused(const RefusedDma& /*dma*/) {}
};


enum class StopCause {
  PowerOff,          // PSCI SYSTEM_OFF / ACPI S5
  Reset,             // PSCI SYSTEM_RESET / port 0xcf9
  AllIdle,           // every online CPU waits for an event (wfi/hlt)
  AllOff,            // every CPU turned itself off (PSCI CPU_OFF)
  InstructionLimit,  // the run's instruction budget is used up
  GuestFault,        // a CPU did something the machine cannot continue from
  Spin,              // a CPU loops without progress and nothing else can change that
  Debug,             // a breakpoint or a single step (MachineConfig::debug); `cpu` stopped first
  // init finished a command while another CPU still runs (a busy loop there): AllIdle may never
  // come, so the host gets its turn now. Not an end: the caller feeds a command or runs on.
  HostTurn,
};

// What a successful kexec_load put where, as the kexec-tools role planned it. The machine
// watches these ranges itself: entering the purgatory and reaching the next kernel's entry
// are observed, whatever code the guest brings and whether it reports anything.
struct KexecWatch {
  PhysRange purgatory;       // the purgatory segment
  PhysAddr next_entry;       // the next kernel's entry the purgatory jumps to
  bool verify_digest = true; // false: kexec --no-checks (the purgatory skips its SHA-256 check)
  // Crash loads: the loaded segments, in place since kexec_load. Guest stores into them are
  // recorded until a CPU enters the purgatory (digest forensics names the writer). Empty for a
  // normal load, whose destinations are the running kernel's own memory until kexec -e.
  std::vector<PhysRange> segments;
};

// A guest store into a loaded segment between kexec_load and the hand-off.
struct SegmentStore {
  unsigned cpu = 0;
  PhysAddr at;
  unsigned size = 0;
  VirtAddr pc;
  uint64_t instructions = 0;  // machine time
};

// What the machine saw of the hand-off so far.
struct HandoffObservation {
  std::optional<KexecWatch> watch;
  std::optional<unsigned> purgatory_cpu;   // the CPU whose PC first entered the purgatory
  bool next_kernel_entered = false;
  std::vector<SegmentStore> segment_stores;  // the first kMaxSegmentStores, in order
  uint64_t segment_store_count = 0;          // all of them
  static constexpr size_t kMaxSegmentStores = 256;
  // The purgatory runs with the MMU off (arm64) or identity-mapped (x86_64): its PCs are the
  // physical addresses of its segment.
  bool in_purgatory(VirtAddr pc) const {
    return watch && purgatory_cpu && !next_kernel_entered && watch->purgatory.contains(PhysAddr(pc.value()));
  }
};

struct RunStop {
  StopCause cause = StopCause::AllIdle;
  unsigned cpu = 0;    // the CPU that caused it (PowerOff, Reset, GuestFault)
  std::string detail;  // GuestFault: what happened
};

class Machine final : ConsoleSink, PowerSink, StageSink, AgentListener, DumpDiskListener, CpuHost {
public:
  static llvm::Expected<std::unique_ptr<Machine>> create(const MachineConfig& config, MachineObserver& observer);
  ~Machine() override;

  const MachineConfig& config() const { return m_config; }
  const Board& board() const { return m_board; }
  Ram& ram() { return *m_ram; }
  Agent& agent() { return *m_agent; }
  DumpDisk& dump_disk() { return *m_dump_disk; }
  Cpu& cpu(unsigned index) { return *m_cpus.at(index); }
  unsigned cpu_count() const { return static_cast<unsigned>(m_cpus.size()); }
  uint64_t instructions() const;  // machine time

  // Marks CPU `index` as running (the boot CPU after its entry state is set).
  void start_cpu(unsigned index);
  // Wakes CPUs that idle in wfi/hlt (the host has queued an event for them).
  void wake_idle_cpus();
  // Runs until something stops the machine or `instruction_limit` total instructions ran.
  RunStop run(uint64_t instruction_limit);

  // Debugger: the PCs to stop before (any translation regime: a kernel VA or, with the MMU off,
  // a physical address), and how the next run() resumes: every CPU continues, `step_cpu` (if
  // any) stops again after one instruction. Only with MachineConfig::debug.
  void set_breakpoints(std::set<uint64_t> pcs) { m_breakpoints = std::move(pcs); }
  void debug_resume(std::optional<unsigned> step_cpu);

  // The host types on the serial console: `input` reaches the UART's receive side once machine
  // time reaches `at`, at the first slice boundary at or after it (slices are cut short to end
  // there; a slice ends at a block boundary). Replaces input not yet delivered. Call between runs.
  void schedule_serial_input(uint64_t at, std::vector<SerialRx> input);
  // Drops input not yet delivered (the kernel it was meant for is gone: it panicked or another
  // kernel took over). Returns the machine time it was due at, or nothing when none was
  // pending. Safe from an observer callback during a run: delivery happens between slices.
  std::optional<uint64_t> cancel_serial_input();

  // Arms the hand-off watches on every CPU (replacing earlier ones, as a new kexec_load
  // replaces the old image). Call between runs.
  void watch_kexec(const KexecWatch& watch);
  const HandoffObservation& handoff() const { return m_handoff; }
  // Accesses to addresses or ports where no device sits, in all (MMIO and I/O ports).
  uint64_t unmapped_device_accesses() const { return m_mmio.unmapped_count() + m_ports.unmapped_count(); }
  // x86_64: the local APICs (null on arm64).
  const LapicState* lapic() const { return m_lapic.get(); }

  // Spin detection: a CPU is sampled every kSpinWindow of its instructions; a repeated register
  // state starts one window of verification (a store watch, device accesses counted); a repeat
  // after that with neither is a spin.
  static constexpr uint64_t kSpinWindow = 1ull << 20;

private:
  enum class CpuRunState { Off, Running, Idle };
  Machine(const MachineConfig& config, MachineObserver& observer, Board board)
      : m_config(config), m_observer(observer), m_board(std::move(board)), m_mmio("mmio"), m_ports("ports") {}
  llvm::Error build();
  llvm::Error attach_devices();
  llvm::Error create_cpus();
  uint64_t slice_budget(unsigned index, uint64_t instruction_limit) const;
  std::optional<RunStop> run_one_slice(unsigned index, uint64_t budget);
  bool other_cpu_running(unsigned index) const;
  void route_interrupts(unsigned index);
  void route_lapic(unsigned index);
  void deliver_due_serial_input();

  // Sinks the devices and CPUs report to.
  void console_write(std::string_view bytes) override { m_observer.console_output(bytes); }
  void power_request(PowerRequest request) override;
  void stage(uint32_t code, uint64_t arg0, uint64_t arg1) override;
  void agent_hello() override {
    m_host_turn = true;
    m_observer.agent_hello();
  }
  void agent_output(std::string_view bytes) override { m_observer.agent_output(bytes); }
  void agent_done(int32_t status) override {
    m_host_turn = true;
    m_observer.agent_done(status);
  }
  void agent_error(std::string_view what) override { m_observer.agent_error(what); }
  void dump_complete(uint64_t size) override { m_observer.dump_complete(size); }
  void dump_error(std::string_view what) override { m_observer.dump_error(what); }
  void dma_refused(PhysAddr phys, uint64_t len, std::string_view what) override;
  void firmware_call(Cpu& cpu, FirmwareConduit conduit, uint16_t imm) override;
  void block_watched(Cpu& cpu, unsigned tag, VirtAddr pc) override;
  void store_watched(Cpu& cpu, PhysAddr at, unsigned size, VirtAddr pc) override;
  void debug_stopped(Cpu& cpu, VirtAddr) override { m_debug_stop = cpu.index(); }
  void cpu_shutdown(Cpu& cpu, std::string_view why) override;

  void emit_stage(StageRecord record);
  void record_observed(StageCode code, Cpu& cpu, uint64_t arg0, uint64_t arg1);
  void check_spin(unsigned index);
  std::optional<RunStop> spin_stop() const;
  uint64_t device_accesses() const { return m_mmio.accesses() + m_ports.accesses() + m_firmware_calls; }

  struct SpinState {
    uint64_t next_sample = kSpinWindow;  // this CPU's instruction count at the next sample
    std::array<uint64_t, 8> recent{};   // fingerprints of the last samples (a ring)
    unsigned samples = 0;
    bool verifying = false;             // a store watch is armed for this window
    uint64_t devices_at_start = 0;
    bool spinning = false;
  };

  MachineConfig m_config;
  MachineObserver& m_observer;
  Board m_board;
  std::unique_ptr<Ram> m_ram;
  Bus m_mmio;
  Bus m_ports;
  std::vector<std::unique_ptr<Device>> m_devices;
  Agent* m_agent = nullptr;
  SerialPort* m_serial = nullptr;  // the console UART
  struct ScheduledSerialInput {
    uint64_t at = 0;
    std::vector<SerialRx> input;
  };
  std::optional<ScheduledSerialInput> m_serial_input;
  DumpDisk* m_dump_disk = nullptr;
  std::unique_ptr<GicState> m_gic;  // arm64 only
  std::unique_ptr<LapicState> m_lapic;  // x86_64 only
  // x86_64: CPUs in the wait-for-SIPI state (every CPU at power-on, a CPU after INIT); the boot
  // CPU leaves it through start_cpu().
  std::vector<bool> m_waiting_for_sipi;
  std::vector<bool> m_new_kernel_entered;  // per CPU: a kernel_entry stage during the slice
  std::vector<std::unique_ptr<Cpu>> m_cpus;
  std::set<uint64_t> m_breakpoints;
  std::optional<unsigned> m_debug_stop;
  std::vector<CpuRunState> m_run_state;
  unsigned m_current_cpu = 0;
  std::unique_ptr<WallClock> m_wall_clock;  // read by the RTC device
  uint64_t m_clock = 0;  // machine time at the start of the current slice (CpuConfig::machine_clock)
  std::optional<PowerRequest> m_power_request;
  std::string m_power_detail;  // why, when the machine itself asked (a CPU shutdown)
  uint64_t m_stage_sequence = 0;
  HandoffObservation m_handoff;
  std::vector<SpinState> m_spin;
  uint64_t m_firmware_calls = 0;
  bool m_host_turn = false;  // agent_hello()/agent_done() since the last check (StopCause::HostTurn)
};

}  // namespace kdsim
