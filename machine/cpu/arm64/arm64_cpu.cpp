// Arm64Cpu: engine setup, register access and the run loop.
#include "machine/cpu/arm64/arm64_cpu.h"
#include "machine/cpu/arm64/arm64_page_walk.h"
#include "machine/assert.h"
#include "machine/bus.h"
#include "machine/cpu/arm64/arm64_context.h"
#include "machine/error.h"
#include "machine/ram.h"
#include <unicorn/unicorn.h>
#include <algorithm>
#include <sys/mman.h>

namespace kdsim {

namespace {

constexpr uint64_t kShadowSize = 1ull << 30;
// uc_emu_start's `until`: an odd address, which no arm64 PC can equal, so only hooks, `wfi` or an
// error end a slice.
constexpr uint64_t kNeverReached = 1;
// SCR_EL3 = RW | NS | HCE: EL1 tables are walked as AArch64 and `hvc` raises EXCP_HVC
// (unicorn-2.0.1.md 1.1); HCR_EL2.RW for the same reason.
constexpr uint64_t kScrEl3 = 0x501, kHcrEl2 = 1ull << 31;

int x_reg_id(unsigned n) {
  KDSIM_ASSERT(n <= 30, "x{} is not a general-purpose register", n);
  if (n <= 28) return UC_ARM64_REG_X0 + int(n);
  return n == 29 ? UC_ARM64_REG_X29 : UC_ARM64_REG_X30;
}

void check_uc(uc_err err, std::string_view what) {
  KDSIM_ASSERT(err == UC_ERR_OK, "{}: {}", what, uc_strerror(err));
}

}  // namespace

void Arm64Cpu::EngineDeleter::operator()(uc_struct* uc) const { uc_close(uc); }
void Arm64Cpu::ContextDeleter::operator()(uc_context* ctx) const { uc_context_free(ctx); }
void Arm64Cpu::ShadowDeleter::operator()(uint8_t* p) const { munmap(p, kShadowSize); }

Arm64Cpu::Arm64Cpu(const CpuConfig& config, const Arm64ContextLayout& layout)
    : Cpu(config.index), m_ram(config.ram), m_mmio(config.mmio), m_host(config.host),
      m_machine_clock(config.machine_clock), m_layout(layout) {}

// The generic timer's system counter is one counter shared by all CPUs (ARM DDI 0487, D11.1):
// the machine's instruction count at the slice start plus this CPU's progress in the slice.
uint64_t Arm64Cpu::system_counter() const {
  if (!m_machine_clock) return m_instructions;
  return *m_machine_clock + (m_instructions - m_slice_start_instructions);
}

Arm64Cpu::~Arm64Cpu() = default;

llvm::Expected<std::unique_ptr<Arm64Cpu>> Arm64Cpu::create(const CpuConfig& config) {
  if (!config.ram) return make_error("arm64 CPU {}: no RAM in the CPU config", config.index);
  auto layout = arm64_context_layout();
  if (!layout) return layout.takeError();
  std::unique_ptr<Arm64Cpu> cpu(new Arm64Cpu(config, **layout));
  if (auto e = cpu->init_engine()) return e;
  if (auto e = cpu->map_memory()) return e;
  if (auto e = cpu->install_hooks()) return e;
  cpu->init_watches(cpu->m_uc.get(), config.host, config.ram);
  return cpu;
}

std::optional<uint64_t> Arm64Cpu::physical_address(uint64_t va) {
  return arm64::translate(*m_ram, {.sctlr = sysreg(Arm64SysReg::SCTLR_EL1),
                                   .tcr = sysreg(Arm64SysReg::TCR_EL1),
                                   .ttbr0 = sysreg(Arm64SysReg::TTBR0_EL1),
                                   .ttbr1 = sysreg(Arm64SysReg::TTBR1_EL1)},
                          va);
}

std::vector<Cpu::Register> Arm64Cpu::registers() {
  static constexpr const char* kNames[31] = {"x0",  "x1",  "x2",  "x3",  "x4",  "x5",  "x6",  "x7",  "x8",  "x9",  "x10",
                                             "x11", "x12", "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x20", "x21",
                                             "x22", "x23", "x24", "x25", "x26", "x27", "x28", "x29", "x30"};
  std::vector<Register> out;
  for (unsigned n = 0; n < 31; ++n) out.push_back({kNames[n], 64, x(n)});
  out.push_back({"sp", 64, sp()});
  out.push_back({"pc", 64, pc()});
  out.push_back({"cpsr", 32, pstate() & 0xffffffffu});
  return out;
}

// From the debugger hook: like fault(), a stop before the next instruction, without a fault.
void Arm64Cpu::stop_for_debugger() {
  m_stop_requested = true;
  m_stop_at = 0;
  uc_emu_stop(m_uc.get());
}

uint64_t Arm64Cpu::state_fingerprint() {
  const Arm64Regs r = regs();
  uint64_t h = 0xcbf29ce484222325ull;
  auto mix = [&h](uint64_t v) { h = (h ^ v) * 0x100000001b3ull + (h >> 29); };
  for (uint64_t x : r.x) mix(x);
  mix(r.sp);
  mix(r.pc);
  mix(r.pstate);
  return h;
}

llvm::Error Arm64Cpu::init_engine() {
  uc_engine* uc = nullptr;
  if (uc_err err = uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &uc); err != UC_ERR_OK)
    return make_error("arm64 CPU {}: uc_open: {}", index(), uc_strerror(err));
  m_uc.reset(uc);
  // Must be the first call after uc_open, or the default A72 stays (unicorn-2.0.1.md 7).
  if (uc_err err = uc_ctl_set_cpu_model(uc, UC_CPU_ARM64_A57); err != UC_ERR_OK)
    return make_error("arm64 CPU {}: selecting Cortex-A57: {}", index(), uc_strerror(err));
  write_cp(sysreg_encoding(Arm64SysReg::SCR_EL3), kScrEl3);
  write_cp(sysreg_encoding(Arm64SysReg::HCR_EL2), kHcrEl2);
  if (auto e = rebuild_hflags()) return e;
  uc_context* ctx = nullptr;
  if (uc_err err = uc_context_alloc(uc, &ctx); err != UC_ERR_OK)
    return make_error("arm64 CPU {}: uc_context_alloc: {}", index(), uc_strerror(err));
  m_ctx.reset(ctx);
  KDSIM_ASSERT(uc_context_size(uc) >= m_layout.blob_size, "context blob shrank after calibration");
  // The engine starts at EL1: its translation flags are the ones an EL0 -> EL1 entry needs.
  check_uc(uc_context_save(uc, ctx), "uc_context_save");
  capture_hflags_if_el1();

  void* shadow = mmap(nullptr, kShadowSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (shadow == MAP_FAILED) return make_error("arm64 CPU {}: cannot reserve the 1 GiB VA shadow", index());
  m_shadow.reset(static_cast<uint8_t*>(shadow));
  return llvm::Error::success();
}

// QEMU computed the reset hflags with SCR_EL3 = 0, i.e. for the *Secure* EL1&0 regime, and the
// host writes above do not rebuild them. The translator would keep using the Secure MMU index,
// which a (Non-secure) TLBI VMALLE1 from the host never flushes: host TLB maintenance silently
// did nothing (measured). Any guest `msr` rebuilds them, so run one from a scratch page before
// anything else is mapped.
llvm::Error Arm64Cpu::rebuild_hflags() {
  constexpr uint64_t kScratch = 0, kScratchSize = 0x400;
  const uint32_t code[] = {
      0xd518d080,  // msr tpidr_el1, x0   (x0 = 0 = TPIDR_EL1 at reset)
      0xd503201f,  // nop
  };
  uc_engine* uc = m_uc.get();
  uc_err err = uc_mem_map(uc, kScratch, kScratchSize, UC_PROT_ALL);
  if (err == UC_ERR_OK) err = uc_mem_write(uc, kScratch, code, sizeof code);
  if (err == UC_ERR_OK) err = uc_emu_start(uc, kScratch, kScratch + 4, 0, 0);
  uc_err unmap = uc_mem_unmap(uc, kScratch, kScratchSize);
  if (err == UC_ERR_OK) err = unmap;
  if (err != UC_ERR_OK) return make_error("arm64 CPU {}: rebuilding EL1 translation flags: {}", index(), uc_strerror(err));
  write_reg(UC_ARM64_REG_PC, 0);
  return llvm::Error::success();
}

llvm::Error Arm64Cpu::map_memory() {
  for (const Ram::Region& r : m_ram->regions()) {
    uc_err err = uc_mem_map_ptr(m_uc.get(), r.range.base.value(), r.range.size, UC_PROT_ALL, m_ram->region_host_base(r));
    if (err != UC_ERR_OK) return make_error("arm64 CPU {}: mapping RAM {}: {}", index(), r.range, uc_strerror(err));
  }
  if (!m_mmio) return llvm::Error::success();

  // Unicorn maps whole 1 KiB pages, but kdsim devices may be smaller (0x200) and share a page,
  // so each run of device pages becomes one MMIO region decoded by the Bus.
  size_t page_size = 0;
  check_uc(uc_query(m_uc.get(), UC_QUERY_PAGE_SIZE, &page_size), "page size");
  std::vector<std::pair<uint64_t, uint64_t>> spans;  // [begin, end)
  auto add_span = [&](uint64_t base, uint64_t size) {
    spans.emplace_back(base & ~(page_size - 1), (base + size + page_size - 1) & ~(page_size - 1));
  };
  for (const Bus::Mapping& m : m_mmio->mappings())
    if (m.device) add_span(m.base, m.size);  // no device: reserved (RAM)
  for (const Bus::Mapping& w : m_mmio->decode_windows()) add_span(w.base, w.size);
  std::sort(spans.begin(), spans.end());
  std::vector<std::pair<uint64_t, uint64_t>> merged;
  for (auto [begin, end] : spans) {
    if (!merged.empty() && begin <= merged.back().second)
      merged.back().second = std::max(merged.back().second, end);
    else
      merged.emplace_back(begin, end);
  }
  spans = std::move(merged);
  auto mmio_read = +[](uc_engine*, uint64_t offset, unsigned size, void* user) -> uint64_t {
    auto* span = static_cast<MmioSpan*>(user);
    return span->cpu->m_mmio->read(span->base + offset, size);
  };
  auto mmio_write = +[](uc_engine*, uint64_t offset, unsigned size, uint64_t value, void* user) {
    auto* span = static_cast<MmioSpan*>(user);
    span->cpu->m_mmio->write(span->base + offset, size, value);
  };
  for (auto [begin, end] : spans) {
    auto span = std::make_unique<MmioSpan>(MmioSpan{this, begin});
    uc_err err = uc_mmio_map(m_uc.get(), begin, end - begin, mmio_read, span.get(), mmio_write, span.get());
    if (err != UC_ERR_OK)
      return make_error("arm64 CPU {}: mapping MMIO [0x{:x}, 0x{:x}): {}", index(), begin, end, uc_strerror(err));
    m_mmio_spans.push_back(std::move(span));
  }
  return llvm::Error::success();
}

// --- register access -------------------------------------------------------------------------

uint64_t Arm64Cpu::read_reg(int id) {
  uint64_t v = 0;
  check_uc(uc_reg_read(m_uc.get(), id, &v), "uc_reg_read");
  return v;
}

void Arm64Cpu::write_reg(int id, uint64_t value) { check_uc(uc_reg_write(m_uc.get(), id, &value), "uc_reg_write"); }

uint64_t Arm64Cpu::read_cp(Arm64SysRegEncoding e) {
  uc_arm64_cp_reg r{.crn = e.crn, .crm = e.crm, .op0 = e.op0, .op1 = e.op1, .op2 = e.op2, .val = 0};
  check_uc(uc_reg_read(m_uc.get(), UC_ARM64_REG_CP_REG, &r), "CP_REG read");
  return r.val;
}

void Arm64Cpu::write_cp(Arm64SysRegEncoding e, uint64_t value) {
  uc_arm64_cp_reg r{.crn = e.crn, .crm = e.crm, .op0 = e.op0, .op1 = e.op1, .op2 = e.op2, .val = value};
  check_uc(uc_reg_write(m_uc.get(), UC_ARM64_REG_CP_REG, &r), "CP_REG write");
}

uint64_t Arm64Cpu::x(unsigned n) { return read_reg(x_reg_id(n)); }
void Arm64Cpu::set_x(unsigned n, uint64_t value) { write_reg(x_reg_id(n), value); }
uint64_t Arm64Cpu::sp() { return read_reg(UC_ARM64_REG_SP); }
void Arm64Cpu::set_sp(uint64_t value) { write_reg(UC_ARM64_REG_SP, value); }
uint64_t Arm64Cpu::pc() { return read_reg(UC_ARM64_REG_PC); }
void Arm64Cpu::set_pc(uint64_t pc) { write_reg(UC_ARM64_REG_PC, pc); }
uint64_t Arm64Cpu::pstate() { return read_reg(UC_ARM64_REG_PSTATE); }

void Arm64Cpu::set_pstate(uint64_t value) {
  using namespace arm64_pstate;
  unsigned from = el(pstate()), to = el(value);
  KDSIM_ASSERT(from == to || to == 1, "host PSTATE write 0x{:x} changes EL{} to EL{}: only entries to EL1 "
               "are modelled (use a guest eret)", value, from, to);
  write_reg(UC_ARM64_REG_PSTATE, value);
  if (from != to) set_el1_hflags_in_blob();
}

Arm64Regs Arm64Cpu::regs() {
  Arm64Regs r;
  std::array<int, 34> ids;
  std::array<void*, 34> ptrs;
  for (unsigned n = 0; n < 31; ++n) ids[n] = x_reg_id(n), ptrs[n] = &r.x[n];
  ids[31] = UC_ARM64_REG_SP, ptrs[31] = &r.sp;
  ids[32] = UC_ARM64_REG_PC, ptrs[32] = &r.pc;
  ids[33] = UC_ARM64_REG_PSTATE, ptrs[33] = &r.pstate;
  check_uc(uc_reg_read_batch(m_uc.get(), ids.data(), ptrs.data(), int(ids.size())), "uc_reg_read_batch");
  return r;
}

void Arm64Cpu::set_regs(const Arm64Regs& r) {
  std::array<int, 32> ids;
  std::array<void*, 32> ptrs;
  Arm64Regs copy = r;
  for (unsigned n = 0; n < 31; ++n) ids[n] = x_reg_id(n), ptrs[n] = &copy.x[n];
  ids[31] = UC_ARM64_REG_SP, ptrs[31] = &copy.sp;
  check_uc(uc_reg_write_batch(m_uc.get(), ids.data(), ptrs.data(), int(ids.size())), "uc_reg_write_batch");
  set_pstate(r.pstate);
  set_pc(r.pc);
}

uint64_t Arm64Cpu::sysreg(Arm64SysReg reg) {
  using namespace arm64_pstate;
  switch (reg) {
  case Arm64SysReg::SP_EL0: return uses_sp_el0(pstate()) ? sp() : read_reg(UC_ARM64_REG_SP_EL0);
  case Arm64SysReg::SP_EL1: {
    uint64_t ps = pstate();
    return el(ps) == 1 && (ps & kSpSel) ? sp() : read_reg(UC_ARM64_REG_SP_EL1);
  }
  case Arm64SysReg::MPIDR_EL1: return 0x80000000u | mpidr();
  default: return read_cp(sysreg_encoding(reg));
  }
}

void Arm64Cpu::set_sysreg(Arm64SysReg reg, uint64_t value) {
  using namespace arm64_pstate;
  switch (reg) {
  case Arm64SysReg::SP_EL0:
    if (uses_sp_el0(pstate())) set_sp(value);
    write_reg(UC_ARM64_REG_SP_EL0, value);
    return;
  case Arm64SysReg::SP_EL1: {
    uint64_t ps = pstate();
    if (el(ps) == 1 && (ps & kSpSel)) set_sp(value);
    write_reg(UC_ARM64_REG_SP_EL1, value);
    return;
  }
  case Arm64SysReg::SCTLR_EL1:
  case Arm64SysReg::TCR_EL1:
  case Arm64SysReg::TTBR0_EL1:
  case Arm64SysReg::TTBR1_EL1:
  case Arm64SysReg::MAIR_EL1:
    // Host writes are raw: without the TLBI the softmmu TLB keeps the old translation.
    write_cp(sysreg_encoding(reg), value);
    write_cp(arm64_enc::TLBI_VMALLE1, 0);
    return;
  default: write_cp(sysreg_encoding(reg), value); return;
  }
}

// --- run loop --------------------------------------------------------------------------------

void Arm64Cpu::request_stop() {
  KDSIM_ASSERT(m_running, "arm64 CPU {}: request_stop outside run()", index());
  // Takes effect at the start of the next translated block, from on_block. Not uc_emu_stop()
  // here: called from an MMIO callback it rewinds PC to the start of the block, so the access
  // (and everything before it in the block) would run again in the next slice (measured).
  m_stop_requested = true;
  m_stop_at = 0;
}

HaltReason Arm64Cpu::run(uint64_t budget) {
  KDSIM_ASSERT(!m_running, "arm64 CPU {}: run() re-entered", index());
  if (!m_shadow_ranges.empty() && !(read_cp(sysreg_encoding(Arm64SysReg::SCTLR_EL1)) & kSctlrM)) unmap_shadows();
  if (m_tb_flush_pending) {
    m_tb_flush_pending = false;
    flush_translations();
  }
  m_slice_start_instructions = m_instructions;
  m_slice_end = m_instructions + budget < m_instructions ? ~0ull : m_instructions + budget;
  m_stop_at = m_slice_end;
  m_stop_requested = m_quantum_expired = false;
  m_exceptions_without_progress = 0;
  m_progress_mark = m_instructions;
  m_fault.reset();
  m_last_unmapped.reset();
  if (budget == 0) return {HaltKind::QuantumExpired, {}};

  m_running = true;
  uc_err err = uc_emu_start(m_uc.get(), pc(), kNeverReached, 0, 0);
  // A fetch from a VA whose shadow was just mapped (see on_unmapped): resume where it stopped.
  while (err == UC_ERR_FETCH_UNMAPPED && m_refetch_at && !m_fault && pc() == *m_refetch_at) {
    m_refetch_at.reset();
    m_last_unmapped.reset();
    err = uc_emu_start(m_uc.get(), pc(), kNeverReached, 0, 0);
  }
  m_refetch_at.reset();
  m_running = false;
  if (m_fault) return *m_fault;
  if (err != UC_ERR_OK) return fault_from_error(err);
  if (m_stop_requested) return {HaltKind::StopRequested, {}};
  if (m_quantum_expired) return {HaltKind::QuantumExpired, {}};
  return {HaltKind::Idle, {}};  // nothing of ours stopped it: `wfi` (unicorn-2.0.1.md 3, 7)
}

void Arm64Cpu::fault(std::string detail) {
  if (!m_fault) m_fault = HaltReason{HaltKind::GuestFault, std::move(detail)};
  m_stop_at = 0;
  uc_emu_stop(m_uc.get());
}

HaltReason Arm64Cpu::fault_from_error(int err) {
  auto e = static_cast<uc_err>(err);
  uint64_t at = pc();
  std::string addr = m_last_unmapped ? fmt::format("{}", VirtAddr(m_last_unmapped->address)) : "an unknown address";
  auto detail = [&](std::string_view what) {
    return HaltReason{HaltKind::GuestFault, fmt::format("{} {} (PC {})", what, addr, VirtAddr(at))};
  };
  switch (e) {
  case UC_ERR_FETCH_UNMAPPED: return detail("instruction fetch from unmapped");
  case UC_ERR_READ_UNMAPPED: return detail("data read from unmapped");
  case UC_ERR_WRITE_UNMAPPED: return detail("data write to unmapped");
  case UC_ERR_FETCH_PROT: return detail("instruction fetch from non-executable");
  case UC_ERR_READ_PROT: return detail("data read from non-readable");
  case UC_ERR_WRITE_PROT: return detail("data write to read-only");
  case UC_ERR_FETCH_UNALIGNED:
  case UC_ERR_READ_UNALIGNED:
  case UC_ERR_WRITE_UNALIGNED:
  case UC_ERR_INSN_INVALID:
  case UC_ERR_EXCEPTION:
  case UC_ERR_RESOURCE:
  case UC_ERR_MAP:
    return {HaltKind::GuestFault, fmt::format("unicorn stopped: {} (PC {})", uc_strerror(e), VirtAddr(at))};
  default: break;
  }
  KDSIM_ASSERT(false, "arm64 CPU {}: uc_emu_start: {}", index(), uc_strerror(e));
  return {};
}

CpuSnapshot Arm64Cpu::snapshot() {
  Arm64Regs r = regs();
  return CpuSnapshot{
      .pc = VirtAddr(r.pc),
      .privilege = arm64_pstate::el(r.pstate),
      .mmu_on = (sysreg(Arm64SysReg::SCTLR_EL1) & kSctlrM) != 0,
      .translation_root = sysreg(Arm64SysReg::TTBR1_EL1),
      .sp = r.sp,
  };
}

void Arm64Cpu::invalidate_code(PhysRange range) {
  if (range.size == 0) return;
  // uc_ctl_remove_cache translates through the current MMU; with the MMU on a physical range
  // may not be mapped at the same VA, so drop everything then.
  if (read_cp(sysreg_encoding(Arm64SysReg::SCTLR_EL1)) & kSctlrM)
    flush_translations();
  else
    check_uc(uc_ctl_remove_cache(m_uc.get(), range.base.value(), range.base.value() + range.size), "remove_cache");
}

void Arm64Cpu::flush_translations() { check_uc(uc_ctl_flush_tlb(m_uc.get()), "TB flush"); }

void Arm64Cpu::set_peers(std::vector<Arm64Cpu*> peers) {
  std::erase(peers, this);
  m_peers = std::move(peers);
}

void Arm64Cpu::power_on(uint64_t entry_pa, uint64_t context) {
  KDSIM_ASSERT(!m_running, "arm64 CPU {}: power_on while running", index());
  Arm64Regs r;
  r.x[0] = context;
  r.pc = entry_pa;
  r.pstate = arm64_pstate::kDaif | arm64_pstate::kEl1h;
  set_regs(r);
  set_sysreg(Arm64SysReg::SCTLR_EL1, kSctlrEl1Reset);
}

}  // namespace kdsim
