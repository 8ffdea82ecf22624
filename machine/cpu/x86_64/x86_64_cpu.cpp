// Engine setup, the run loop and register access of X86_64Cpu.
#include "machine/cpu/x86_64/x86_64_cpu.h"
#include "machine/assert.h"
#include "machine/bus.h"
#include "machine/cpu/x86_64/x86_page_walk.h"
#include "machine/error.h"
#include "machine/ram.h"
#include <unicorn/unicorn.h>
#include <algorithm>
#include <array>

namespace kdsim {
namespace {

// `until` of every uc_emu_start: non-canonical, so no guest ever executes there (and it is not
// the first byte of a page, see "until at the start of a page" in reference 4.4).
constexpr uint64_t kNeverPc = 0x8000'0000'0000'0f00ull;
constexpr uint32_t kMsrEfer = 0xc0000080;
constexpr uint64_t kEferSce = 1ull << 0;
constexpr uint64_t kEferNxe = 1ull << 11;

constexpr std::array<int, 30> kUcReg = {
    UC_X86_REG_RAX, UC_X86_REG_RBX, UC_X86_REG_RCX, UC_X86_REG_RDX, UC_X86_REG_RSI, UC_X86_REG_RDI,
    UC_X86_REG_RBP, UC_X86_REG_RSP, UC_X86_REG_R8,  UC_X86_REG_R9,  UC_X86_REG_R10, UC_X86_REG_R11,
    UC_X86_REG_R12, UC_X86_REG_R13, UC_X86_REG_R14, UC_X86_REG_R15, UC_X86_REG_RIP, UC_X86_REG_RFLAGS,
    UC_X86_REG_CR0, UC_X86_REG_CR2, UC_X86_REG_CR3, UC_X86_REG_CR4, UC_X86_REG_CS,  UC_X86_REG_DS,
    UC_X86_REG_ES,  UC_X86_REG_SS,  UC_X86_REG_FS,  UC_X86_REG_GS,  UC_X86_REG_FS_BASE, UC_X86_REG_GS_BASE,
};
static_assert(static_cast<size_t>(X86Reg::GsBase) + 1 == kUcReg.size());

int uc_id(X86Reg r) { return kUcReg[static_cast<size_t>(r)]; }

uint64_t page_down(uint64_t a) { return a & ~(x86::kPageSize - 1); }
uint64_t page_up(uint64_t a) { return (a + x86::kPageSize - 1) & ~(x86::kPageSize - 1); }

}  // namespace

X86_64Cpu::X86_64Cpu(const CpuConfig& config, const x86::ContextLayout& layout, uc_struct* uc, uc_context* ctx)
    : Cpu(config.index), m_layout(layout), m_uc(uc), m_ctx(ctx), m_ram(config.ram), m_mmio(config.mmio),
      m_ports(config.ports) {}

X86_64Cpu::~X86_64Cpu() {
  if (m_ctx) uc_context_free(m_ctx);
  if (m_uc) uc_close(m_uc);  // RAM stays: the host owns it (reference 5.1)
}

llvm::Expected<std::unique_ptr<X86_64Cpu>> X86_64Cpu::create(const CpuConfig& config) {
  auto layout = x86::context_layout();
  if (!layout) return layout.takeError();
  if (!config.ram) return make_error("x86_64 CPU {}: no RAM given", config.index);
  uc_engine* uc = nullptr;
  if (uc_err e = uc_open(UC_ARCH_X86, UC_MODE_64, &uc); e != UC_ERR_OK)
    return make_error("x86_64 CPU {}: uc_open failed: {}", config.index, uc_strerror(e));
  uc_context* ctx = nullptr;
  if (uc_err e = uc_context_alloc(uc, &ctx); e != UC_ERR_OK) {
    uc_close(uc);
    return make_error("x86_64 CPU {}: uc_context_alloc failed: {}", config.index, uc_strerror(e));
  }
  std::unique_ptr<X86_64Cpu> cpu(new X86_64Cpu(config, *layout, uc, ctx));
  if (auto e = cpu->map_ram()) return e;
  if (auto e = cpu->map_mmio()) return e;
  if (auto e = cpu->install_hooks()) return e;
  if (auto e = cpu->enable_efer_bits()) return e;
  cpu->init_watches(uc, config.host, config.ram);
  return cpu;
}

std::vector<Cpu::Register> X86_64Cpu::registers() {
  using R = X86Reg;
  static constexpr std::pair<const char*, R> k64[] = {
      {"rax", R::Rax}, {"rbx", R::Rbx}, {"rcx", R::Rcx}, {"rdx", R::Rdx}, {"rsi", R::Rsi}, {"rdi", R::Rdi},
      {"rbp", R::Rbp}, {"rsp", R::Rsp}, {"r8", R::R8},   {"r9", R::R9},   {"r10", R::R10}, {"r11", R::R11},
      {"r12", R::R12}, {"r13", R::R13}, {"r14", R::R14}, {"r15", R::R15}, {"rip", R::Rip}};
  static constexpr std::pair<const char*, R> k32[] = {{"eflags", R::Rflags}, {"cs", R::Cs}, {"ss", R::Ss},
                                                      {"ds", R::Ds},         {"es", R::Es}, {"fs", R::Fs},
                                                      {"gs", R::Gs}};
  std::vector<Register> out;
  for (auto [name, r] : k64) out.push_back({name, 64, reg(r)});
  for (auto [name, r] : k32) out.push_back({name, 32, reg(r) & 0xffffffffu});
  return out;
}

// From the debugger hook: the run loop sees a stop request and returns before the instruction.
void X86_64Cpu::stop_for_debugger() {
  m_stop_requested = true;
  m_stop_at = 0;
  uc_emu_stop(m_uc);
}

uint64_t X86_64Cpu::state_fingerprint() {
  const X86Regs r = regs();
  uint64_t h = 0xcbf29ce484222325ull;
  auto mix = [&h](uint64_t v) { h = (h ^ v) * 0x100000001b3ull + (h >> 29); };
  for (uint64_t v : {r.rax, r.rbx, r.rcx, r.rdx, r.rsi, r.rdi, r.rbp, r.rsp, r.r8, r.r9, r.r10, r.r11, r.r12, r.r13,
                     r.r14, r.r15, r.rip, r.rflags})
    mix(v);
  return h;
}

llvm::Error X86_64Cpu::map_ram() {
  for (const Ram::Region& r : m_ram->regions()) {
    uc_err e = uc_mem_map_ptr(m_uc, r.range.base.value(), r.range.size, UC_PROT_ALL, m_ram->region_host_base(r));
    if (e != UC_ERR_OK) return make_error("x86_64 CPU {}: cannot map RAM {}: {}", index(), r.range, uc_strerror(e));
    m_regions[r.range.base.value()] = r.range.base.value() + r.range.size;
  }
  return llvm::Error::success();
}

// Devices may be smaller than a Unicorn page (the kdsim devices are 0x200 bytes, three to a
// page), so the pages holding devices are mapped as windows onto the bus, which decodes.
llvm::Error X86_64Cpu::map_mmio() {
  if (!m_mmio) return llvm::Error::success();
  std::vector<std::pair<uint64_t, uint64_t>> spans;  // page-rounded [begin, end)
  for (const Bus::Mapping& m : m_mmio->mappings()) {
    if (!m.device) continue;
    uint64_t b = page_down(m.base), e = page_up(m.base + m.size);
    if (e == 0 || e <= b) return make_error("x86_64 CPU {}: device {} at 0x{:x} reaches the top of memory", index(), m.name, m.base);
    if (!spans.empty() && b <= spans.back().second) spans.back().second = std::max(spans.back().second, e);
    else spans.emplace_back(b, e);
  }
  for (auto [b, e] : spans) {
    if (!region_free(b, e) || !map_mmio_window(b, e - b, b))
      return make_error("x86_64 CPU {}: cannot map the MMIO pages [0x{:x}, 0x{:x}) (overlapping RAM?)", index(), b, e);
  }
  return llvm::Error::success();
}

bool X86_64Cpu::map_mmio_window(uint64_t at, uint64_t size, uint64_t pa_base) {
  auto w = std::make_unique<MmioWindow>(MmioWindow{this, at, pa_base});
  if (uc_mmio_map(m_uc, at, size, &X86_64Cpu::mmio_read, w.get(), &X86_64Cpu::mmio_write, w.get()) != UC_ERR_OK)
    return false;
  m_windows.push_back(std::move(w));
  m_regions[at] = at + size;
  return true;
}

uint64_t X86_64Cpu::mmio_read(uc_struct*, uint64_t offset, unsigned size, void* window) {
  auto* w = static_cast<MmioWindow*>(window);
  return w->cpu->m_mmio->read(w->pa_base + offset, size);
}

void X86_64Cpu::mmio_write(uc_struct*, uint64_t offset, unsigned size, uint64_t value, void* window) {
  auto* w = static_cast<MmioWindow*>(window);
  w->cpu->m_mmio->write(w->pa_base + offset, size, value);
}

llvm::Error X86_64Cpu::install_hooks() {
  auto add = [&](int type, void* fn, int insn, const char* what) -> llvm::Error {
    uc_hook h;
    uc_err e = insn < 0 ? uc_hook_add(m_uc, &h, type, fn, this, 1, 0)
                        : uc_hook_add(m_uc, &h, type, fn, this, 1, 0, insn);
    if (e != UC_ERR_OK) return make_error("x86_64 CPU {}: cannot add the {} hook: {}", index(), what, uc_strerror(e));
    return llvm::Error::success();
  };
  auto block = +[](uc_engine*, uint64_t a, uint32_t s, void* ud) { static_cast<X86_64Cpu*>(ud)->on_block(a, s); };
  auto intr = +[](uc_engine*, uint32_t n, void* ud) { static_cast<X86_64Cpu*>(ud)->on_interrupt(n); };
  auto invalid = +[](uc_engine*, void* ud) { return static_cast<X86_64Cpu*>(ud)->on_invalid_instruction(); };
  auto syscall = +[](uc_engine*, void* ud) { static_cast<X86_64Cpu*>(ud)->on_syscall(); };
  auto in = +[](uc_engine*, uint32_t port, int size, void* ud) {
    return static_cast<uint32_t>(static_cast<X86_64Cpu*>(ud)->on_port_in(port, size));
  };
  auto out = +[](uc_engine*, uint32_t port, int size, uint32_t v, void* ud) {
    static_cast<X86_64Cpu*>(ud)->on_port_out(port, size, v);
  };
  auto unmapped = +[](uc_engine*, uc_mem_type t, uint64_t a, int size, int64_t, void* ud) {
    return static_cast<X86_64Cpu*>(ud)->on_unmapped(t, a, size);
  };
  if (auto e = add(UC_HOOK_BLOCK, reinterpret_cast<void*>(block), -1, "block budget")) return e;
  if (auto e = add(UC_HOOK_INTR, reinterpret_cast<void*>(intr), -1, "interrupt")) return e;
  if (auto e = add(UC_HOOK_INSN_INVALID, reinterpret_cast<void*>(invalid), -1, "invalid instruction")) return e;
  if (auto e = add(UC_HOOK_INSN, reinterpret_cast<void*>(syscall), UC_X86_INS_SYSCALL, "syscall")) return e;
  if (auto e = add(UC_HOOK_INSN, reinterpret_cast<void*>(in), UC_X86_INS_IN, "port in")) return e;
  if (auto e = add(UC_HOOK_INSN, reinterpret_cast<void*>(out), UC_X86_INS_OUT, "port out")) return e;
  if (auto e = add(UC_HOOK_MEM_UNMAPPED, reinterpret_cast<void*>(unmapped), -1, "unmapped memory")) return e;
  return llvm::Error::success();
}

// A guest `wrmsr` cannot set SCE or NXE (the CPUID-derived mask leaves them out), but
// `sysretq` needs SCE and NX PTEs need NXE: set both once through the blob (reference 4.4).
llvm::Error X86_64Cpu::enable_efer_bits() {
  x86::ContextView blob = save_blob();
  blob.set_efer(blob.efer() | kEferSce | kEferNxe);
  restore_blob();
  uint64_t efer = msr(kMsrEfer);
  if ((efer & (kEferSce | kEferNxe)) != (kEferSce | kEferNxe))
    return make_error("x86_64 CPU {}: EFER reads 0x{:x} after setting SCE|NXE through the context blob", index(), efer);
  return llvm::Error::success();
}

x86::ContextView X86_64Cpu::save_blob() {
  KDSIM_ASSERT(uc_context_save(m_uc, m_ctx) == UC_ERR_OK, "uc_context_save failed");
  return x86::ContextView(m_layout, m_ctx);
}

void X86_64Cpu::restore_blob() {
  KDSIM_ASSERT(uc_context_restore(m_uc, m_ctx) == UC_ERR_OK, "uc_context_restore failed");
}

// ---- run loop -------------------------------------------------------------------------------

HaltReason X86_64Cpu::run(uint64_t budget) {
  m_has_run = true;
  m_slice_end = m_instructions + budget < m_instructions ? ~0ull : m_instructions + budget;
  for (;;) {
    if (m_fault) {
      HaltReason h{HaltKind::GuestFault, std::move(*m_fault)};
      m_fault.reset();
      return h;
    }
    if (m_stop_requested) {
      m_stop_requested = false;
      return {HaltKind::StopRequested, {}};
    }
    m_ud_delivered = false;
    m_last_unmapped.reset();
    m_last_block = nullptr;
    m_block_refused = false;
    const uint64_t start = reg(X86Reg::Rip);
    m_fresh_start = true;
    m_stop_at = 0;  // the first block takes the slow path
    uc_err err = uc_emu_start(m_uc, start, kNeverPc, 0, 0);
    if (m_fault || m_stop_requested) continue;
    if (err != UC_ERR_OK) {
      m_fault = describe_uc_error(err);
      continue;
    }
    if (m_ud_delivered) {
      // #UD was delivered from UC_HOOK_INSN_INVALID, which always ends uc_emu_start.
      if (m_instructions >= m_slice_end) return {HaltKind::QuantumExpired, {}};
      continue;
    }
    const uint64_t rip = reg(X86Reg::Rip);
    if (!m_block_refused && stopped_at_hlt(rip)) return {HaltKind::Idle, {}};
    if (m_instructions >= m_slice_end) return {HaltKind::QuantumExpired, {}};
    m_fault = fmt::format("emulation stopped without a known cause (triple fault?) at RIP {}", VirtAddr(rip));
  }
}

// 2.0.1 reports `hlt` only by ending uc_emu_start with UC_ERR_OK and RIP past it. So a run that
// ended without the block hook refusing a block (budget) is a `hlt` when, as `hlt` always ends
// its translated block, RIP is the end of the last block entered and the byte before it is
// 0xf4. (The byte test alone is not enough: `jnz -12` ends in 0xf4 too.)
bool X86_64Cpu::stopped_at_hlt(uint64_t rip) {
  if (!m_last_block || rip != m_last_block->address + m_last_block->size || rip == 0) return false;
  uint8_t byte = 0;
  return read_linear(rip - 1, &byte, 1) && byte == 0xf4;
}

std::string X86_64Cpu::describe_uc_error(int err) {
  const uint64_t rip = reg(X86Reg::Rip);
  const char* kind = nullptr;
  switch (err) {
  case UC_ERR_FETCH_UNMAPPED: kind = "instruction fetch from unmapped"; break;
  case UC_ERR_READ_UNMAPPED: kind = "read from unmapped"; break;
  case UC_ERR_WRITE_UNMAPPED: kind = "write to unmapped"; break;
  case UC_ERR_FETCH_PROT: kind = "instruction fetch from non-executable"; break;
  case UC_ERR_READ_PROT: kind = "read from non-readable"; break;
  case UC_ERR_WRITE_PROT: kind = "write to read-only"; break;
  default: break;
  }
  if (kind && m_last_unmapped)
    return fmt::format("{} {} (RIP {})", kind, VirtAddr(m_last_unmapped->address), VirtAddr(rip));
  if (kind) return fmt::format("{} memory (RIP {})", kind, VirtAddr(rip));
  return fmt::format("Unicorn stopped with \"{}\" at RIP {}", uc_strerror(static_cast<uc_err>(err)), VirtAddr(rip));
}

// The quantum: count each translated block's instructions when it is entered, stop at a block
// boundary once the slice is used up (reference section 6, mechanism (e)). A uc_emu_stop from
// this hook takes effect before the block runs (measured: the block is entered again by the
// next slice), so a block that is stopped is not counted. The check runs on every block,
// because a RIP write from a later hook cancels an earlier uc_emu_stop.
void X86_64Cpu::on_block(uint64_t address, uint32_t size) {
  // The hot path: a tight loop re-enters cached blocks with nothing else to do. Everything
  // rare (first block of a run, end of slice, stop, fault, a block not cached) makes
  // m_stop_at 0 or misses the cache, one branch away from on_block_slow.
  BlockInfo& block = block_slot(address);
  if ((m_instructions >= m_stop_at) | (block.address != address) | (block.hook_size != size)) [[unlikely]]
    return on_block_slow(address, size);
  m_instructions += block.icount;
  m_last_block = &block;
}

void X86_64Cpu::on_block_slow(uint64_t address, uint32_t size) {
  if (m_fresh_start) {
    // Every uc_emu_start raises a #GP inside Unicorn while it probes the page below `until`
    // (non-canonical here) and leaves QEMU's old_exception set, which is only reset by an
    // exception delivery Unicorn never runs; the guest's next #PF would become #DF or a triple
    // fault. Reset it before the first guest instruction of the run.
    m_fresh_start = false;
    x86::ContextView blob = save_blob();
    blob.clear_old_exception();
    restore_blob();
  }
  if (m_instructions >= m_slice_end || m_stop_requested || m_fault) {
    m_stop_at = 0;
    m_block_refused = true;
    uc_emu_stop(m_uc);
    return;
  }
  m_stop_at = m_slice_end;
  BlockInfo& block = block_slot(address);
  if (block.address != address || block.hook_size != size) fill_block_slot(block, address, size);
  m_instructions += block.icount;
  m_last_block = &block;
}

void X86_64Cpu::fill_block_slot(BlockInfo& slot, uint64_t address, uint32_t hook_size) {
  uc_tb tb{};
  slot = BlockInfo{address, hook_size, 1, static_cast<uint16_t>(hook_size)};
  if (uc_ctl_request_cache(m_uc, address, &tb) == UC_ERR_OK && tb.icount > 0) {
    slot.icount = tb.icount;
    slot.size = tb.size;
  }
}

// Only a flag: the block hook stops the slice at the next block boundary. A uc_emu_stop from
// inside an MMIO/port callback makes Unicorn resume at the start of the translated block, so
// the block (and the device access that asked to stop) would run again.
void X86_64Cpu::request_stop() {
  m_stop_requested = true;
  m_stop_at = 0;
}

uint64_t X86_64Cpu::on_port_in(uint32_t port, int size) {
  if (!m_ports) return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
  return m_ports->read(port, static_cast<unsigned>(size));
}

void X86_64Cpu::on_port_out(uint32_t port, int size, uint32_t value) {
  if (m_ports) m_ports->write(port, static_cast<unsigned>(size), value);
}

void X86_64Cpu::invalidate_code(PhysRange range) {
  if (range.size == 0) return;
  // With paging on, uc_ctl_remove_cache translates the address through the guest MMU (and the
  // code may also be cached at alias VAs): drop everything instead.
  if ((reg(X86Reg::Cr0) & x86::kCr0Pg) || !m_linear.empty()) {
    uc_ctl_flush_tlb(m_uc);
    forget_blocks();
    return;
  }
  const uint64_t end = range.base.value() + range.size < range.base.value() ? ~0ull : range.base.value() + range.size;
  uc_ctl_remove_cache(m_uc, range.base.value(), end);
  for (BlockInfo& slot : m_block_cache)
    if (slot.address != ~0ull && slot.address + slot.size > range.base.value() && slot.address < end) slot = BlockInfo{};
}

// ---- registers ------------------------------------------------------------------------------

uint64_t X86_64Cpu::read_reg(int id) {
  uint64_t v = 0;
  KDSIM_ASSERT(uc_reg_read(m_uc, id, &v) == UC_ERR_OK, "uc_reg_read({}) failed", id);
  return v;
}

void X86_64Cpu::write_reg(int id, uint64_t v) {
  KDSIM_ASSERT(uc_reg_write(m_uc, id, &v) == UC_ERR_OK, "uc_reg_write({}, 0x{:x}) failed", id, v);
}

uint64_t X86_64Cpu::reg(X86Reg r) {
  uint64_t v = read_reg(uc_id(r));
  if (r >= X86Reg::Cs && r <= X86Reg::Gs) v &= 0xffff;
  return v;
}

void X86_64Cpu::set_reg(X86Reg r, uint64_t value) { write_reg(uc_id(r), value); }

X86Regs X86_64Cpu::regs() {
  X86Regs r;
  uint64_t* fields[18] = {&r.rax, &r.rbx, &r.rcx, &r.rdx, &r.rsi, &r.rdi, &r.rbp, &r.rsp, &r.r8,
                          &r.r9,  &r.r10, &r.r11, &r.r12, &r.r13, &r.r14, &r.r15, &r.rip, &r.rflags};
  int ids[18];
  void* vals[18];
  for (int i = 0; i < 18; ++i) ids[i] = kUcReg[static_cast<size_t>(i)], vals[i] = fields[i];
  KDSIM_ASSERT(uc_reg_read_batch(m_uc, ids, vals, 18) == UC_ERR_OK, "uc_reg_read_batch failed");
  return r;
}

void X86_64Cpu::set_regs(const X86Regs& r) {
  const uint64_t* fields[18] = {&r.rax, &r.rbx, &r.rcx, &r.rdx, &r.rsi, &r.rdi, &r.rbp, &r.rsp, &r.r8,
                                &r.r9,  &r.r10, &r.r11, &r.r12, &r.r13, &r.r14, &r.r15, &r.rip, &r.rflags};
  int ids[18];
  void* vals[18];
  for (int i = 0; i < 18; ++i) ids[i] = kUcReg[static_cast<size_t>(i)], vals[i] = const_cast<uint64_t*>(fields[i]);
  KDSIM_ASSERT(uc_reg_write_batch(m_uc, ids, vals, 18) == UC_ERR_OK, "uc_reg_write_batch failed");
}

uint64_t X86_64Cpu::msr(uint32_t id) {
  uc_x86_msr m{id, 0};
  KDSIM_ASSERT(uc_reg_read(m_uc, UC_X86_REG_MSR, &m) == UC_ERR_OK, "reading MSR 0x{:x} failed", id);
  return m.value;
}

void X86_64Cpu::set_msr(uint32_t id, uint64_t value) {
  uc_x86_msr m{id, value};
  KDSIM_ASSERT(uc_reg_write(m_uc, UC_X86_REG_MSR, &m) == UC_ERR_OK, "writing MSR 0x{:x} failed", id);
}

X86TableReg X86_64Cpu::gdtr() {
  uc_x86_mmr m{};
  KDSIM_ASSERT(uc_reg_read(m_uc, UC_X86_REG_GDTR, &m) == UC_ERR_OK, "reading GDTR failed");
  return {m.base, static_cast<uint16_t>(m.limit)};
}

X86TableReg X86_64Cpu::idtr() {
  uc_x86_mmr m{};
  KDSIM_ASSERT(uc_reg_read(m_uc, UC_X86_REG_IDTR, &m) == UC_ERR_OK, "reading IDTR failed");
  return {m.base, static_cast<uint16_t>(m.limit)};
}

void X86_64Cpu::set_gdtr(uint64_t base, uint16_t limit) {
  uc_x86_mmr m{0, base, limit, 0};
  KDSIM_ASSERT(uc_reg_write(m_uc, UC_X86_REG_GDTR, &m) == UC_ERR_OK, "writing GDTR failed");
}

void X86_64Cpu::set_idtr(uint64_t base, uint16_t limit) {
  uc_x86_mmr m{0, base, limit, 0};
  KDSIM_ASSERT(uc_reg_write(m_uc, UC_X86_REG_IDTR, &m) == UC_ERR_OK, "writing IDTR failed");
}

unsigned X86_64Cpu::cpl() { return save_blob().cpl(); }

CpuSnapshot X86_64Cpu::snapshot() {
  return {.pc = VirtAddr(reg(X86Reg::Rip)),
          .privilege = cpl(),
          .mmu_on = (reg(X86Reg::Cr0) & x86::kCr0Pg) != 0,
          .translation_root = reg(X86Reg::Cr3),
          .sp = reg(X86Reg::Rsp)};
}

// docs/boot.md: GDT with __BOOT_CS/__BOOT_DS, identity tables, CR0.PG|PE, CR4.PAE,
// EFER.LME|LMA (already set at reset), interrupts off, RSP 0, RSI = boot_params.
void X86_64Cpu::enter_boot_state(const X86BootState& s) {
  KDSIM_ASSERT(!m_has_run, "enter_boot_state after the CPU ran: host CR writes do not flush the TLB");
  set_gdtr(s.gdtr.base, s.gdtr.limit);
  set_reg(X86Reg::Cr3, s.cr3);
  set_reg(X86Reg::Cr4, reg(X86Reg::Cr4) | x86::kCr4Pae);
  set_reg(X86Reg::Cr0, reg(X86Reg::Cr0) | x86::kCr0Pg | x86::kCr0Pe);
  // 64-bit engine: CS/SS/DS/ES writes store the selector only; the reset caches are flat
  // 64-bit already, and a kernel reloads them from the GDT on its first far jump/iretq.
  set_reg(X86Reg::Cs, s.code_selector);
  set_reg(X86Reg::Ds, s.data_selector);
  set_reg(X86Reg::Es, s.data_selector);
  set_reg(X86Reg::Ss, s.data_selector);
  X86Regs r;
  r.rip = s.rip;
  r.rsi = s.rsi;
  r.rflags = 0x2;  // IF clear
  set_regs(r);
}

}  // namespace kdsim
