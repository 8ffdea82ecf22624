// The x86_64 CPU: one Unicorn 2.0.1 engine in 64-bit mode (unicorn-2.0.1.md section 4).
//
// What the host emulates because 2.0.1 does not (all through "mechanism 3", the context blob,
// see x86_context.h):
// - exception, software-interrupt and IRQ entry through the guest IDT, with the TSS.RSP0 / IST
//   stack switch on a ring change and the CPL change (x86_exceptions.cpp);
// - `syscall` (LSTAR entry at CPL 0); the return (`sysretq`, `iretq`) is native;
// - the physical address of a paged access: 2.0.1 uses the virtual address as the physical one,
//   so every VA the guest touches under paging is backed by a lazily mapped alias of the RAM (or
//   device) its page tables point to (x86_linear_aliases.cpp).
//
// Limitations a guest kernel must respect (the toy kernels do):
// - low-half VAs must be identity mapped (VA == PA): RAM is mapped at its physical address, so
//   a low VA that is also a RAM address never reaches the alias logic;
// - every mapping must be linear per page-table leaf, and a VA window keeps the PA it first
//   resolved to until forget_linear_aliases() (no per-process remaps of the same VA);
// - `rdtsc` returns the host TSC (2.0.1 has no hook for it): it is not deterministic, so
//   kernels must not use it; derive time from the machine's instruction count instead;
// - NX (PTE bit 63) works because EFER.NXE is set at creation; CPUID still reports no NX/SYSCALL.
#pragma once
#include "machine/cpu.h"
#include "machine/cpu/x86_64/x86_boot_state.h"
#include "machine/cpu/x86_64/x86_context.h"
#include <llvm/Support/Error.h>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

struct uc_struct;
struct uc_context;

namespace kdsim {

enum class X86Reg {
  Rax, Rbx, Rcx, Rdx, Rsi, Rdi, Rbp, Rsp,
  R8, R9, R10, R11, R12, R13, R14, R15,
  Rip, Rflags,
  Cr0, Cr2, Cr3, Cr4,
  Cs, Ds, Es, Ss, Fs, Gs,  // selectors
  FsBase, GsBase,
};

// The general-purpose state (what a pt_regs / crash_save_cpu records), read and written in
// one batch. Control and segment registers have side effects and go through set_reg().
struct X86Regs {
  uint64_t rax = 0, rbx = 0, rcx = 0, rdx = 0, rsi = 0, rdi = 0, rbp = 0, rsp = 0;
  uint64_t r8 = 0, r9 = 0, r10 = 0, r11 = 0, r12 = 0, r13 = 0, r14 = 0, r15 = 0;
  uint64_t rip = 0, rflags = 0x2;
};



enum class X86LinearKind { Ram, Device, FaultShadow };
// One lazily created Unicorn region at a virtual address (see x86_linear_aliases.cpp).
struct X86LinearMapping {
  VirtAddr va;
  uint64_t size = 0;
  X86LinearKind kind = X86LinearKind::Ram;
  PhysAddr pa;  // Ram/Device: the PA behind va; FaultShadow: unused
};
struct X86LinearStats {
  uint64_t ram_aliases = 0;
  uint64_t device_aliases = 0;
  uint64_t fault_shadows = 0;  // created; each is removed again when its #PF is delivered
};

class X86_64Cpu final : public Cpu {
public:
  // Opens the engine, maps RAM and MMIO, installs the hooks, sets EFER.SCE|NXE. Fails when the
  // context-blob calibration (once per process) finds a Unicorn layout other than 2.0.1's.
  static llvm::Expected<std::unique_ptr<X86_64Cpu>> create(const CpuConfig& config);
  ~X86_64Cpu() override;

  Arch arch() const override { return Arch::X86_64; }
  HaltReason run(uint64_t budget) override;
  CpuSnapshot snapshot() override;
  bool in_user_mode() override { return cpl() == 3; }
  uint64_t pc() override { return reg(X86Reg::Rip); }
  void set_pc(uint64_t pc) override { set_reg(X86Reg::Rip, pc); }
  // The slice ends at the end of the current translated block (Unicorn checks stop requests
  // only at block boundaries), not right after the instruction. Called outside run(), the
  // next run() returns StopRequested without executing.
  void request_stop() override;
  // Returns true when RFLAGS.IF was set. If the IDT cannot deliver the vector, the next run()
  // returns GuestFault naming it.
  bool deliver_interrupt(uint8_t vector) override;
  void invalidate_code(PhysRange range) override;
  uint64_t state_fingerprint() override;
  std::vector<Register> registers() override;

  uint64_t reg(X86Reg r);
  // Segment selectors: CS/SS/DS/ES store the selector only (the descriptor cache is kept);
  // FS/GS do a real GDT load. Never change privilege this way (reference 4.4, mechanism 1).
  // CR writes only store the value and flush no TLB: use them before the first run.
  void set_reg(X86Reg r, uint64_t value);
  X86Regs regs();
  void set_regs(const X86Regs& r);
  uint64_t msr(uint32_t id);
  void set_msr(uint32_t id, uint64_t value);
  X86TableReg gdtr();
  X86TableReg idtr();
  void set_gdtr(uint64_t base, uint16_t limit);
  void set_idtr(uint64_t base, uint16_t limit);
  // QEMU's real CPL (hflags bits 0-1 from the context blob), not CS & 3.
  unsigned cpl();

  // docs/boot.md's x86_64 entry state. Only before the first run(): host CR writes neither
  // flush the TLB nor the translated blocks, which are empty then.
  void enter_boot_state(const X86BootState& state);

  // The local APIC's deliveries (x86_smp.cpp). An NMI goes through IDT vector 2 whatever
  // RFLAGS.IF says; false when the IDT cannot deliver it (the next run() is a GuestFault).
  bool deliver_nmi();
  // INIT + STARTUP: real mode at CS:IP = (vector << 8):0, i.e. physical vector << 12.
  void start_up(uint8_t vector);

  // Unmaps every linear alias and fault shadow and drops all translated blocks. The machine
  // calls it when a new kernel starts (kexec/kdump): the aliases encode the old kernel's page
  // tables, and the new kernel may map the same VAs to other PAs (a crash kernel linked at the
  // same VA but loaded elsewhere); a stale alias would silently send its accesses to the old
  // kernel's memory.
  void forget_linear_aliases();
  std::span<const X86LinearMapping> linear_mappings() const { return m_linear; }
  const X86LinearStats& linear_stats() const { return m_linear_stats; }

private:
  // A uc_mmio_map region (at a PA, or at a VA aliasing it) forwarding to the MMIO bus, so
  // several small devices can share one 4 KiB Unicorn page.
  struct MmioWindow {
    X86_64Cpu* cpu = nullptr;
    uint64_t at = 0;  // where the window is mapped (PA, or an alias VA)
    uint64_t pa_base = 0;
  };
  struct Gate;
  // One slot of the block cache: what Unicorn translated at `address` (hook_size is the size the
  // block hook reports, checked on every hit so that a block translated anew with another
  // length is looked up again).
  struct BlockInfo {
    uint64_t address = ~0ull;
    uint32_t hook_size = 0;
    uint16_t icount = 0;
    uint16_t size = 0;
  };
  static constexpr size_t kBlockCacheSlots = 4096;  // direct-mapped, a power of two
  struct UnmappedAccess {
    int type = 0;
    uint64_t address = 0;
  };

  X86_64Cpu(const CpuConfig& config, const x86::ContextLayout& layout, uc_struct* uc, uc_context* ctx);
  llvm::Error map_ram();
  llvm::Error map_mmio();
  llvm::Error install_hooks();
  llvm::Error enable_efer_bits();

  x86::ContextView save_blob();
  void restore_blob();
  static uint64_t mmio_read(uc_struct* uc, uint64_t offset, unsigned size, void* window);
  static void mmio_write(uc_struct* uc, uint64_t offset, unsigned size, uint64_t value, void* window);
  bool map_mmio_window(uint64_t at, uint64_t size, uint64_t pa_base);

  // Hooks (private members: the trampolines in install_hooks() forward here).
  void on_block(uint64_t address, uint32_t size);
  [[gnu::noinline, gnu::cold]] void on_block_slow(uint64_t address, uint32_t size);
  void on_interrupt(uint32_t intno);
  bool on_invalid_instruction();
  void on_syscall();
  bool on_unmapped(int type, uint64_t address, int size);
  uint64_t on_port_in(uint32_t port, int size);
  void on_port_out(uint32_t port, int size, uint32_t value);

  // Exception entry through the IDT (x86_exceptions.cpp). `blob` is already saved; on success
  // it is restored with the new CPL/CS/SS caches and RSP/RFLAGS/RIP point at the handler.
  // On failure nothing changed and the returned text says why.
  std::optional<std::string> enter(x86::ContextView& blob, uint8_t vector, std::optional<uint64_t> error_code,
                                   uint64_t frame_rip);
  std::optional<std::string> read_gate(uint8_t vector, Gate& gate);
  // Stops the slice with a GuestFault. Safe from any hook (does not write RIP).
  void fault_from_hook(std::string detail);
  // `what` names the first event of a failure chain ("exception", "interrupt", "NMI").
  std::optional<std::string> enter_or_escalate(x86::ContextView& blob, uint8_t vector, std::optional<uint64_t> error,
                                               uint64_t frame_rip, std::string_view what = "exception");
  bool deliver_external(uint8_t vector, std::string_view what);
  void triple_fault(uint64_t frame_rip, const std::string& chain);

  std::optional<uint64_t> physical_address(uint64_t va) override;  // the guest's page tables
  void stop_for_debugger() override;
  // Linear aliases (x86_linear_aliases.cpp).
  bool map_linear_for(uint64_t va);
  void drop_fault_shadow(uint64_t va);
  bool region_free(uint64_t begin, uint64_t end) const;
  void clip_to_free(uint64_t around, uint64_t& begin, uint64_t& end) const;
  // Host access to guest linear memory: through the guest page tables when CR0.PG is set,
  // straight to RAM otherwise. Used for the IDT, GDT, TSS and exception frames.
  bool read_linear(uint64_t va, void* out, uint64_t len);
  bool write_linear(uint64_t va, const void* in, uint64_t len);
  uint8_t* linear_host_ptr(uint64_t va, uint64_t len);

  std::string describe_uc_error(int err);
  bool stopped_at_hlt(uint64_t rip);
  uint64_t read_reg(int uc_id);
  void write_reg(int uc_id, uint64_t value);

  x86::ContextLayout m_layout;
  uc_struct* m_uc = nullptr;
  uc_context* m_ctx = nullptr;
  Ram* m_ram = nullptr;
  Bus* m_mmio = nullptr;
  Bus* m_ports = nullptr;

  // Every Unicorn region this CPU created: begin -> end (exclusive).
  std::map<uint64_t, uint64_t> m_regions;
  std::vector<std::unique_ptr<MmioWindow>> m_windows;
  std::vector<X86LinearMapping> m_linear;
  X86LinearStats m_linear_stats;

  // icount per block start (x86 instructions have variable length), direct-mapped by VA: one
  // compare on the hot path instead of a hash-map lookup. Code the guest rewrites in place
  // with the same block length keeps the old count until invalidate_code/forget_linear_aliases
  // (the budget is then slightly off; execution itself is correct).
  std::vector<BlockInfo> m_block_cache = std::vector<BlockInfo>(kBlockCacheSlots);
  void forget_blocks() { std::fill(m_block_cache.begin(), m_block_cache.end(), BlockInfo{}); }
  BlockInfo& block_slot(uint64_t address) {
    return m_block_cache[(address ^ (address >> 13)) & (kBlockCacheSlots - 1)];
  }
  void fill_block_slot(BlockInfo& slot, uint64_t address, uint32_t hook_size);
  const BlockInfo* m_last_block = nullptr;  // the last block entered in this uc_emu_start
  bool m_block_refused = false;
  unsigned m_deliveries_without_progress = 0;  // exceptions delivered since a block last ran
  uint64_t m_progress_mark = 0;                // m_instructions at the last delivery
  uint64_t m_slice_end = 0;
  // What the block hook compares against: m_slice_end while nothing else needs attention, 0
  // when the next block must take the slow path (first block of a run, stop, fault).
  uint64_t m_stop_at = 0;
  bool m_has_run = false;
  bool m_fresh_start = false;  // the next block is the first of this uc_emu_start
  bool m_stop_requested = false;
  bool m_ud_delivered = false;
  std::optional<std::string> m_fault;  // set by a hook; ends the slice with GuestFault
  std::optional<UnmappedAccess> m_last_unmapped;
};

}  // namespace kdsim
