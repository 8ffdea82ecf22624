// The CPU abstraction the run loop drives. One object per Unicorn engine; Arm64Cpu and
// X86_64Cpu (machine/cpu/) are the only code in kdsim that calls uc_*.
//
// A CPU runs in bounded slices (a UC_HOOK_BLOCK budget, never an asynchronous stop: see
// unicorn-2.0.1.md section 6) and returns a typed halt reason. Guest misbehaviour (a fetch from
// nowhere, a triple fault) is a halt reason, never an abort: it is the result being simulated.
#pragma once
#include "machine/addr.h"
#include "machine/cpu/common/unicorn_watches.h"
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <vector>
#include <string>


namespace kdsim {

class Ram;
class Bus;

enum class Arch { Arm64, X86_64 };
inline constexpr size_t kArchCount = 2;
// The row of `arch` in a per-arch table (arm64 first, as the enum lists them).
constexpr size_t arch_index(Arch arch) { return static_cast<size_t>(arch); }
static_assert(arch_index(Arch::Arm64) == 0 && arch_index(Arch::X86_64) == 1);
std::string_view arch_name(Arch arch);
// "arm64" (or "aarch64") and "x86_64"; none for anything else.
std::optional<Arch> parse_arch(std::string_view name);
// ELF e_machine: EM_AARCH64 / EM_X86_64, and back (none for any other machine).
uint16_t elf_machine(Arch arch);
std::optional<Arch> arch_of_elf_machine(uint16_t e_machine);

enum class HaltKind {
  QuantumExpired,  // the slice's instruction budget is used up
  Idle,            // wfi / hlt: nothing to do until an interrupt or an event
  StopRequested,   // request_stop() was called (power off, reset, CPU_OFF, a host breakpoint)
  GuestFault,      // the guest did something the machine cannot continue from (see detail)
};

struct HaltReason {
  HaltKind kind = HaltKind::QuantumExpired;
  // GuestFault only: what happened, with addresses in hex, e.g.
  // "instruction fetch from unmapped V0x0 (PC V0x0)".
  std::string detail;
};

// The CPU state a stage record carries.
struct CpuSnapshot {
  VirtAddr pc;  // with the MMU off, the physical address it equals
  unsigned privilege = 0;  // arm64: exception level 0..3; x86_64: CPL 0..3
  bool mmu_on = false;     // arm64: SCTLR_EL1.M; x86_64: CR0.PG
  uint64_t translation_root = 0;  // arm64: TTBR1_EL1; x86_64: CR3
  uint64_t sp = 0;
};

enum class FirmwareConduit { Hvc, Smc };

// What a CPU needs from the machine around it. Called synchronously from inside run().
class CpuHost {
public:
  virtual ~CpuHost() = default;
  // arm64 `hvc #imm` / `smc #imm` (PSCI). PC is already past the instruction; the handler
  // reads and writes the argument registers through the concrete CPU class.
  virtual void firmware_call(class Cpu& cpu, FirmwareConduit conduit, uint16_t imm) = 0;
  // A translated block inside a range watched with Cpu::watch_blocks(.., tag) is entered.
  virtual void block_watched(class Cpu&, unsigned /*tag*/, VirtAddr /*pc*/) {}
  // A store into a range armed with Cpu::watch_stores_to, before it happens: its physical
  // address, its size and the storing instruction's PC.
  virtual void store_watched(class Cpu&, PhysAddr /*at*/, unsigned /*size*/, VirtAddr /*pc*/) {}
  // A CPU with the debugger hook stopped before `pc` (a breakpoint, or the end of a step).
  virtual void debug_stopped(class Cpu&, VirtAddr /*pc*/) {}
  // The CPU shut down (x86 triple fault: a fault while delivering #DF); a PC's chipset then
  // resets the platform, as QEMU does by default. The CPU's run stops.
  virtual void cpu_shutdown(class Cpu&, std::string_view /*why*/) {}
};

struct CpuConfig {
  unsigned index = 0;
  Ram* ram = nullptr;      // shared by all engines (uc_mem_map_ptr)
  Bus* mmio = nullptr;     // each device becomes a uc_mmio_map region
  Bus* ports = nullptr;    // x86_64 only: IN/OUT
  CpuHost* host = nullptr;
  // Machine time (instructions executed by all CPUs) at the start of this CPU's current slice;
  // the architectural system counter derives from it. Null: the CPU's own count (unit tests).
  const uint64_t* machine_clock = nullptr;
};

class Cpu {
public:
  virtual ~Cpu();
  Cpu(const Cpu&) = delete;
  Cpu& operator=(const Cpu&) = delete;

  virtual Arch arch() const = 0;
  unsigned index() const { return m_index; }

  // Runs about `budget` instructions (a slice ends at a block boundary, so it may overshoot by
  // at most one translated block).
  virtual HaltReason run(uint64_t budget) = 0;
  // Instructions executed so far (counted per translated block entered). Time in the machine.
  uint64_t instructions() const { return m_instructions; }

  virtual CpuSnapshot snapshot() = 0;
  // Running user code: arm64 EL0, x86_64 CPL 3.
  virtual bool in_user_mode() = 0;
  virtual uint64_t pc() = 0;
  virtual void set_pc(uint64_t pc) = 0;

  // Ends the current slice after the current instruction; only valid from a callback made
  // by this CPU's run() (device access, firmware call). run() then returns StopRequested.
  virtual void request_stop() = 0;

  // Delivers an external interrupt through the guest's vectors if the CPU has interrupts
  // unmasked (arm64: PSTATE.I clear; x86_64: RFLAGS.IF set, `vector` selects the IDT entry).
  // Call between slices. Returns false, delivering nothing, when masked.
  virtual bool deliver_interrupt(uint8_t vector) = 0;

  // The host wrote code into guest RAM: drop translated blocks that may cover it.
  virtual void invalidate_code(PhysRange range) = 0;

  // ---- What the machine observes without a per-instruction hook ----
  // Entering a translated block whose PC is in [first_pc, last_pc] calls
  // CpuHost::block_watched(.., tag, pc); code elsewhere pays nothing. Blocks translated before
  // the watch was set keep running without it: watch code that has not run yet (kexec's
  // freshly loaded segments; a relocation that copies code over old code invalidates it).
  bool watch_blocks(uint64_t first_pc, uint64_t last_pc, unsigned tag) {
    return m_watches->watch_blocks(first_pc, last_pc, tag);
  }
  void unwatch_blocks(unsigned tag) { m_watches->unwatch_blocks(tag); }
  // Counts the CPU's stores until stop_store_watch(): armed only while a suspected spin is
  // verified.
  bool start_store_watch() { return m_watches->start_store_watch(); }
  void stop_store_watch() { m_watches->stop_store_watch(); }
  uint64_t stores() const { return m_watches->stores(); }
  // Reports every store of this CPU whose physical address (through the current translation)
  // falls in `ranges` to CpuHost::store_watched until unwatch_stores_to(). Every store pays a
  // hook call and a host page walk while armed: the machine arms it only from a crash load to
  // the hand-off, over the loaded segments.
  bool watch_stores_to(std::vector<PhysRange> ranges);
  void unwatch_stores_to();
  // ---- Debugger support (kdsim run --gdb) ----
  // Installs the per-instruction debugger hook; call before the CPU first runs.
  bool enable_debug();
  void set_breakpoints(const std::set<uint64_t>* pcs) { m_watches->set_breakpoints(pcs); }
  void debug_resume(bool step) { m_watches->resume(pc(), step); }
  // The architectural registers in the arch's usual order (arm64: x0-x30, sp, pc, cpsr;
  // x86_64: rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp, r8-r15, rip, eflags, cs, ss, ds, es, fs, gs).
  struct Register {
    const char* name;
    unsigned bits;
    uint64_t value;
  };
  virtual std::vector<Register> registers() = 0;
  // Reads guest memory through the CPU's current translation (RAM only); false when any byte is
  // unmapped or not RAM.
  bool read_virtual(uint64_t va, std::span<uint8_t> out);

  // A hash of the architectural registers (general-purpose, SP, PC, flags). Equal values at two
  // points with no store outside the stack and no device access in between: the CPU goes round
  // a loop that cannot end by itself.
  virtual uint64_t state_fingerprint() = 0;

protected:
  explicit Cpu(unsigned index) : m_index(index) {}
  // The physical address the CPU's current translation gives `va` (identity with the MMU or
  // paging off; no permission checks); none when unmapped. Host-side: callable from hooks.
  virtual std::optional<uint64_t> physical_address(uint64_t va) = 0;
  // Ends the current run before the next instruction (called from the debugger hook).
  virtual void stop_for_debugger() = 0;

  // Called once by the derived class when its engine exists.
  void init_watches(uc_struct* uc, CpuHost* host, Ram* ram);
  uint64_t m_instructions = 0;
  std::unique_ptr<UnicornWatches> m_watches;
  CpuHost* m_watch_host = nullptr;
  Ram* m_watch_ram = nullptr;  // read_virtual's memory

private:
  unsigned m_index;
};

}  // namespace kdsim
