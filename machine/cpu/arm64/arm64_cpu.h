// One arm64 CPU = one Unicorn engine (a Cortex-A57, cross-checked against QEMU -cpu cortex-a57).
//
// Unicorn 2.0.1 delivers no exceptions, hides ESR/FAR, keeps a stale EL after host PSTATE writes
// and cannot see a VA outside its region list; this class makes up for each of these as
// unicorn-2.0.1.md sections 1-3, 5 and 7 describe:
// - exceptions are taken by the host through the guest's VBAR_EL1 (arm64_exceptions.cpp), with
//   ESR/FAR from the calibrated context blob (arm64_context.h);
// - VAs the MMU uses get a lazily mapped 1 GiB shadow (never when SCTLR_EL1.M = 0, so a stray
//   MMU-off access is still a fault);
// - `hvc`/`smc` go to CpuHost::firmware_call, `wfi` ends a slice as Idle;
// - the generic timer and MPIDR_EL1 are answered by the host (deterministic, per-CPU);
// - `tlbi ...is` and `ic` are forwarded to the peers set with set_peers().
#pragma once
#include "machine/cpu.h"
#include "machine/cpu/arm64/arm64_sysregs.h"
#include "machine/cpu/arm64/arm64_timer.h"
#include <llvm/Support/Error.h>
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct uc_struct;   // uc_engine
struct uc_context;

namespace kdsim {

struct Arm64ContextLayout;

// Batch view of the general-purpose state.
struct Arm64Regs {
  std::array<uint64_t, 31> x{};  // x0..x30
  uint64_t sp = 0;               // the SP currently selected by PSTATE (SP_EL0 or SP_EL1)
  uint64_t pc = 0;
  uint64_t pstate = 0;           // NZCV, DAIF, EL, SPSel as SPSR lays them out
};

class Arm64Cpu final : public Cpu {
public:
  static llvm::Expected<std::unique_ptr<Arm64Cpu>> create(const CpuConfig& config);
  ~Arm64Cpu() override;

  Arch arch() const override { return Arch::Arm64; }
  HaltReason run(uint64_t budget) override;
  CpuSnapshot snapshot() override;
  bool in_user_mode() override { return snapshot().privilege == 0; }
  uint64_t pc() override;
  void set_pc(uint64_t pc) override;
  void request_stop() override;
  // IRQ (vector offset 0x80) through VBAR_EL1; `vector` is ignored (there is no GIC yet).
  bool deliver_interrupt(uint8_t vector) override;
  void invalidate_code(PhysRange range) override;
  uint64_t state_fingerprint() override;
  std::vector<Register> registers() override;

  uint64_t x(unsigned n);  // n = 0..30
  void set_x(unsigned n, uint64_t value);
  uint64_t sp();
  void set_sp(uint64_t value);
  uint64_t pstate();
  // Host PSTATE writes do not rebuild QEMU's translation flags; changing the EL here is only
  // supported towards EL1 (it patches the EL1 flags in). Use a guest `eret` to go to EL0.
  void set_pstate(uint64_t value);
  Arm64Regs regs();
  void set_regs(const Arm64Regs& regs);

  // SP_EL0/SP_EL1 return the architectural value, whichever of them is live in SP.
  // Writes to SCTLR/TCR/TTBR are followed by TLBI VMALLE1 (unicorn-2.0.1.md 1.2).
  uint64_t sysreg(Arm64SysReg reg);
  void set_sysreg(Arm64SysReg reg, uint64_t value);

  // Affinity of this CPU: Aff0 = index (the guest reads MPIDR_EL1 = 0x80000000 | mpidr()).
  uint64_t mpidr() const { return index(); }
  // PSCI CPU_ON: reset to EL1h, MMU off, DAIF masked, x0 = context, PC = entry_pa.
  void power_on(uint64_t entry_pa, uint64_t context);
  // Other CPUs sharing the RAM: targets of `tlbi ...is` and `ic` broadcasts.
  void set_peers(std::vector<Arm64Cpu*> peers);
  // Drops every translated block (e.g. a peer's `ic`, or the host loaded code).
  void flush_translations();

  const Arm64GenericTimer& timer() const { return m_timer; }

private:
  struct Hooks;  // Unicorn callbacks (arm64_hooks.cpp)
  friend struct Hooks;
  struct MmioSpan {
    Arm64Cpu* cpu;
    uint64_t base;
  };
  struct EngineDeleter {
    void operator()(uc_struct* uc) const;
  };
  struct ContextDeleter {
    void operator()(uc_context* ctx) const;
  };
  struct ShadowDeleter {
    void operator()(uint8_t* p) const;
  };

  Arm64Cpu(const CpuConfig& config, const Arm64ContextLayout& layout);
  llvm::Error init_engine();
  llvm::Error map_memory();
  llvm::Error install_hooks();

  // Run-loop state, written by the hooks.
  void on_block(uint32_t size);
  [[gnu::noinline, gnu::cold]] void on_block_slow();
  bool on_unmapped(int type, uint64_t address, int size);
  void on_interrupt(uint32_t intno);
  bool on_sys(Arm64SysRegEncoding e);
  std::optional<uint64_t> on_mrs(Arm64SysRegEncoding e);
  bool on_msr(Arm64SysRegEncoding e, uint64_t value);
  void fault(std::string detail);
  HaltReason fault_from_error(int err);

  // Exception entry (arm64_exceptions.cpp).
  enum class Vector : uint64_t { Sync = 0x000, Irq = 0x080 };
  struct Syndrome {
    uint32_t esr = 0;
    std::optional<uint64_t> far;
  };
  void take_exception(Vector kind, std::optional<Syndrome> syndrome);
  void set_el1_hflags_in_blob();
  llvm::Error rebuild_hflags();
  void capture_hflags_if_el1();
  bool map_shadow(uint64_t address);
  void unmap_shadows();

  std::optional<uint64_t> physical_address(uint64_t va) override;  // arm64_page_walk.h
  void stop_for_debugger() override;
  uint64_t read_cp(Arm64SysRegEncoding e);
  void write_cp(Arm64SysRegEncoding e, uint64_t value);
  uint64_t read_reg(int id);
  void write_reg(int id, uint64_t value);

  Ram* m_ram;
  Bus* m_mmio;
  CpuHost* m_host;
  const uint64_t* m_machine_clock;   // CpuConfig::machine_clock (may be null)
  uint64_t m_slice_start_instructions = 0;
  uint64_t system_counter() const;   // CNTVCT/CNTPCT: machine time, deterministic
  const Arm64ContextLayout& m_layout;

  std::unique_ptr<uint8_t, ShadowDeleter> m_shadow;  // 1 GiB MAP_NORESERVE, content unused
  std::unique_ptr<uc_struct, EngineDeleter> m_uc;     // destroyed before the shadow
  std::unique_ptr<uc_context, ContextDeleter> m_ctx;
  std::vector<std::unique_ptr<MmioSpan>> m_mmio_spans;
  struct VaRange {
    uint64_t base, size;
  };
  std::vector<VaRange> m_shadow_ranges;  // VA ranges currently mapped to the shadow
  std::vector<Arm64Cpu*> m_peers;
  Arm64GenericTimer m_timer;

  uint32_t m_el1_hflags = 0;  // QEMU's translation flags while at EL1 (see set_el1_hflags_in_blob)
  bool m_running = false;
  bool m_tb_flush_pending = false;
  uint64_t m_slice_end = 0;  // m_instructions at which the slice's budget is used up
  // What the block hook compares against: m_slice_end, or 0 once a stop or a fault asks the
  // next block to end the run.
  uint64_t m_stop_at = 0;
  bool m_stop_requested = false, m_quantum_expired = false;
  unsigned m_exceptions_without_progress = 0;  // exceptions since a block last ran
  uint64_t m_progress_mark = 0;                // m_instructions at the last exception
  std::optional<HaltReason> m_fault;
  struct UnmappedAccess {
    int type = 0;
    uint64_t address = 0;
  };
  std::optional<UnmappedAccess> m_last_unmapped;
  std::optional<uint64_t> m_refetch_at;  // a fetch stopped only to map its VA shadow
};

}  // namespace kdsim
