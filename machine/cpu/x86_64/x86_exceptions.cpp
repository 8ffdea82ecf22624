// Exception, software-interrupt, IRQ and `syscall` entry for Unicorn 2.0.1, which never vectors
// through the IDT itself (reference 4.2-4.4). Everything goes through "mechanism 3": one
// uc_context_save / patch / uc_context_restore pass changes the CPL (hflags), the CS/SS
// descriptor caches and resets `old_exception` together; the architectural registers are
// written afterwards. The return path (`iretq`, `sysretq`) is native.
#include "machine/cpu/x86_64/x86_64_cpu.h"
#include "machine/cpu/x86_64/x86_page_walk.h"
#include <unicorn/unicorn.h>

namespace kdsim {
namespace {

constexpr uint64_t kRflagsTf = 1ull << 8, kRflagsIf = 1ull << 9, kRflagsNt = 1ull << 14;
constexpr uint64_t kRflagsRf = 1ull << 16, kRflagsVm = 1ull << 17;
constexpr uint8_t kVectorUd = 6, kVectorGp = 13, kVectorPf = 14;
constexpr unsigned kGateInterrupt = 0xe, kGateTrap = 0xf;
constexpr unsigned kMaxDeliveriesWithoutProgress = 64;
constexpr uint32_t kMsrStar = 0xc0000081, kMsrLstar = 0xc0000082, kMsrFmask = 0xc0000084;

// Intel SDM Vol. 3A 6.3.1: the vectors that push an error code (when not raised by `int n`).
bool pushes_error_code(uint8_t v) { return v == 8 || (v >= 10 && v <= 14) || v == 17; }

// Intel SDM Vol. 3A 6.15, interrupt 8, table 6-5: the contributory exceptions. A fault while
// delivering a benign one is handled serially; while delivering a contributory one or #PF it
// becomes #DF; while delivering #DF the CPU shuts down (triple fault).
bool contributory(uint8_t v) { return v == 0 || (v >= 10 && v <= 13); }
constexpr uint8_t kVectorDf = 8;

}  // namespace

struct X86_64Cpu::Gate {
  uint64_t offset = 0;
  uint16_t selector = 0;
  unsigned type = 0, dpl = 0, ist = 0;
};

std::optional<std::string> X86_64Cpu::read_gate(uint8_t vector, Gate& gate) {
  const X86TableReg idt = idtr();
  if (16u * vector + 15 > idt.limit)
    return fmt::format("vector {} lies beyond the IDT limit 0x{:x}", vector, idt.limit);
  uint64_t g[2];
  if (!read_linear(idt.base + 16ull * vector, g, sizeof g))
    return fmt::format("IDT entry {} at {} is not in RAM", vector, VirtAddr(idt.base + 16ull * vector));
  gate.offset = (g[0] & 0xffff) | ((g[0] >> 32) & 0xffff0000ull) | (g[1] << 32);
  gate.selector = static_cast<uint16_t>(g[0] >> 16);
  gate.type = (g[0] >> 40) & 0xf;
  gate.dpl = (g[0] >> 45) & 3;
  gate.ist = (g[0] >> 32) & 7;
  if (!((g[0] >> 47) & 1)) return fmt::format("IDT gate {} is not present", vector);
  if (gate.type != kGateInterrupt && gate.type != kGateTrap)
    return fmt::format("IDT entry {} has type 0x{:x}, not a 64-bit interrupt/trap gate", vector, gate.type);
  return std::nullopt;
}

// The reference's x86_enter (4.4), with the checks a real CPU makes turned into errors.
std::optional<std::string> X86_64Cpu::enter(x86::ContextView& blob, uint8_t vector,
                                            std::optional<uint64_t> error_code, uint64_t frame_rip) {
  Gate gate;
  if (auto e = read_gate(vector, gate)) return e;
  const X86TableReg gdt = gdtr();
  if ((gate.selector & ~7u) == 0 || (gate.selector | 7u) > gdt.limit)
    return fmt::format("IDT gate {} selector 0x{:x} is null or beyond the GDT limit 0x{:x}", vector, gate.selector, gdt.limit);
  uint64_t d = 0;
  if (!read_linear(gdt.base + (gate.selector & ~7u), &d, 8))
    return fmt::format("GDT entry 0x{:x} at {} is not in RAM", gate.selector, VirtAddr(gdt.base + (gate.selector & ~7u)));
  const uint32_t e1 = static_cast<uint32_t>(d), e2 = static_cast<uint32_t>(d >> 32);
  const bool code = (e2 & (1u << 12)) && (e2 & (1u << 11)), present = e2 & (1u << 15), longmode = e2 & (1u << 21);
  if (!code || !present || !longmode)
    return fmt::format("IDT gate {} selector 0x{:x} is not a present 64-bit code segment (0x{:016x})", vector, gate.selector, d);

  const unsigned cpl = blob.cpl();
  const unsigned dpl = (e2 & (1u << 10)) ? cpl : (e2 >> 13) & 3;  // a conforming CS keeps the CPL
  if (dpl > cpl) return fmt::format("IDT gate {} targets DPL {} from CPL {}", vector, dpl, cpl);
  const bool new_stack = dpl < cpl || gate.ist != 0;

  const uint64_t rsp = reg(X86Reg::Rsp), rflags = reg(X86Reg::Rflags);
  uint64_t stack = rsp;
  if (new_stack) {
    uc_x86_mmr tr{};
    uc_reg_read(m_uc, UC_X86_REG_TR, &tr);
    const unsigned slot = gate.ist ? gate.ist + 3 : dpl;  // RSP0..2 at +4, IST1..7 at +0x24
    if (4 + 8 * slot + 7 > tr.limit)
      return fmt::format("TSS limit 0x{:x} does not hold {}{}", tr.limit, gate.ist ? "IST" : "RSP", gate.ist ? gate.ist : dpl);
    if (!read_linear(tr.base + 4 + 8 * slot, &stack, 8))
      return fmt::format("TSS at {} is not in RAM", VirtAddr(tr.base));
  }
  uint64_t frame[6];
  unsigned n = 0;
  if (error_code) frame[n++] = *error_code;  // lowest address first
  frame[n++] = frame_rip;
  frame[n++] = reg(X86Reg::Cs);
  frame[n++] = rflags;
  frame[n++] = rsp;
  frame[n++] = reg(X86Reg::Ss);
  const uint64_t new_rsp = (stack & ~0xfull) - 8 * n;  // 64-bit mode: align, always push SS:RSP
  if (!write_linear(new_rsp, frame, 8 * n))
    return fmt::format("cannot push the exception frame at {} (not in RAM)", VirtAddr(new_rsp));

  uint32_t hf = (blob.hflags() & ~x86::kHfCplMask) | dpl;
  if (new_stack) hf &= ~x86::kHfSs32;
  blob.set_hflags(hf);
  const uint32_t base = (e1 >> 16) | ((e2 & 0xff) << 16) | (e2 & 0xff000000);
  uint32_t limit = (e1 & 0xffff) | (e2 & 0xf0000);
  if (e2 & (1u << 23)) limit = (limit << 12) | 0xfff;
  blob.set_segment(x86::Seg::Cs, {(gate.selector & ~3u) | dpl, base, limit, e2});
  if (new_stack) blob.set_segment(x86::Seg::Ss, {dpl, 0, 0, dpl << 13});  // NULL|CPL, as do_interrupt64
  blob.clear_old_exception();  // reference 4.2: else the next #PF becomes #DF
  restore_blob();              // hidden state first, then the architectural registers
  set_reg(X86Reg::Rsp, new_rsp);
  uint64_t new_flags = rflags & ~(kRflagsTf | kRflagsNt | kRflagsRf | kRflagsVm);
  if (gate.type == kGateInterrupt) new_flags &= ~kRflagsIf;
  set_reg(X86Reg::Rflags, new_flags);
  set_reg(X86Reg::Rip, gate.offset);
  return std::nullopt;
}

// Delivers `vector`, escalating as the CPU does when delivery itself faults (an IDT entry beyond
// the limit, not present, a bad selector, an unmapped stack): a benign vector's failure raises
// #GP with the IDT error code (vector*8 + IDT + EXT), a contributory one's or #PF's raises #DF,
// and #DF's is a triple fault. Returns the chain of failures when the CPU shut down.
std::optional<std::string> X86_64Cpu::enter_or_escalate(x86::ContextView& blob, uint8_t vector,
                                                        std::optional<uint64_t> error, uint64_t frame_rip,
                                                        std::string_view what) {
  std::string chain;
  for (;;) {
    auto failed = enter(blob, vector, error, frame_rip);
    if (!failed) return std::nullopt;
    chain += fmt::format("{}{} {} (error code 0x{:x}): {}", chain.empty() ? "" : "; then ",
                         chain.empty() ? what : "exception", vector, error.value_or(0), *failed);
    if (vector == kVectorDf) return chain;
    if (contributory(vector) || vector == kVectorPf) {
      vector = kVectorDf;
      error = 0;
    } else {
      error = vector * 8u + 3;  // IDT (bit 1) + EXT (bit 0): the fault came from the delivery
      vector = kVectorGp;
    }
  }
}

// A triple fault: the CPU shuts down and the machine resets (CpuHost::cpu_shutdown); without a
// host (unit tests) it ends the run as a guest fault with the same words.
void X86_64Cpu::triple_fault(uint64_t frame_rip, const std::string& chain) {
  const std::string why = fmt::format("triple fault at RIP {}: {}", VirtAddr(frame_rip), chain);
  if (!m_watch_host) return fault_from_hook(why);
  m_watch_host->cpu_shutdown(*this, why);
  m_stop_at = 0;
  x86::ContextView blob = save_blob();
  blob.clear_old_exception();
  restore_blob();
  uc_emu_stop(m_uc);
}

// No RIP write here: that would cancel the uc_emu_stop (reference 4.4, "Writing RIP from a
// hook"). old_exception is reset so the re-executed instruction cannot escalate to a triple
// fault before the stop takes effect.
void X86_64Cpu::fault_from_hook(std::string detail) {
  if (!m_fault) m_fault = std::move(detail);
  m_stop_at = 0;  // the next block stops the run
  x86::ContextView blob = save_blob();
  blob.clear_old_exception();
  restore_blob();
  uc_emu_stop(m_uc);
}

void X86_64Cpu::on_interrupt(uint32_t intno) {
  const uint64_t rip = reg(X86Reg::Rip);
  if (m_fault) return fault_from_hook(*m_fault);
  if (intno > 0xff) return fault_from_hook(fmt::format("unexpected Unicorn exception {} at RIP {}", intno, VirtAddr(rip)));
  x86::ContextView blob = save_blob();
  uint8_t vector = static_cast<uint8_t>(intno);
  std::optional<uint64_t> error;
  uint64_t frame_rip = rip;  // faults: at the insn; traps and `int n`: after it
  if (blob.exception_is_int()) {
    // 2.0.1 skips the gate DPL check of software interrupts (reference 4.4): #GP(vec*8+2),
    // with RIP back on the `int3` (1 byte) or `int n` (2 bytes).
    Gate gate;
    if (!read_gate(vector, gate) && gate.dpl < blob.cpl()) {
      uint8_t last = 0;
      const bool int3 = vector == 3 && read_linear(rip - 1, &last, 1) && last == 0xcc;
      frame_rip = rip - (int3 ? 1 : 2);
      error = vector * 8u + 2;
      vector = kVectorGp;
    }
  } else if (pushes_error_code(vector)) {
    error = static_cast<uint32_t>(blob.error_code());
  }
  const uint64_t cr2 = reg(X86Reg::Cr2);
  if (vector == kVectorPf) drop_fault_shadow(cr2);
  // A handler that cannot be fetched faults again before any block runs, so the budget never
  // ends the slice: stop the storm (a real CPU would also loop until its stack faults into #DF).
  if (m_instructions != m_progress_mark) m_deliveries_without_progress = 0;  // a block ran since
  m_progress_mark = m_instructions;
  if (++m_deliveries_without_progress > kMaxDeliveriesWithoutProgress)
    return fault_from_hook(fmt::format("exception {} (error code 0x{:x}) at RIP {}: {} exceptions in a row without "
                                       "executing an instruction (handler unreachable?)",
                                       vector, error.value_or(0), VirtAddr(frame_rip), kMaxDeliveriesWithoutProgress));
  if (auto chain = enter_or_escalate(blob, vector, error, frame_rip))
    triple_fault(frame_rip, vector == kVectorPf ? fmt::format("CR2 {}; {}", VirtAddr(cr2), *chain) : *chain);
}

// `ud2` and other invalid opcodes reach only UC_HOOK_INSN_INVALID, with RIP on the insn.
// Returning true still ends uc_emu_start; run() resumes at the handler (m_ud_delivered).
bool X86_64Cpu::on_invalid_instruction() {
  const uint64_t rip = reg(X86Reg::Rip);
  if (m_fault) return true;
  x86::ContextView blob = save_blob();
  if (auto chain = enter_or_escalate(blob, kVectorUd, std::nullopt, rip)) triple_fault(rip, *chain);
  else
    m_ud_delivered = true;
  return true;
}

// `syscall` without a hook is a NOP in 2.0.1. Here: RCX/R11, RFLAGS &= ~FMASK, CPL 0 with the
// flat CS/SS caches upstream's helper_syscall loads, RIP = LSTAR - 2 (Unicorn adds the length).
void X86_64Cpu::on_syscall() {
  if (m_fault) return;
  const uint64_t rip = reg(X86Reg::Rip), rflags = reg(X86Reg::Rflags);  // RIP = the syscall
  const uint64_t star = msr(kMsrStar), lstar = msr(kMsrLstar), fmask = msr(kMsrFmask);
  const uint16_t kcs = static_cast<uint16_t>((star >> 32) & 0xfffc);
  x86::ContextView blob = save_blob();
  blob.set_hflags((blob.hflags() & ~x86::kHfCplMask) | x86::kHfSs32);
  blob.set_segment(x86::Seg::Cs, {kcs, 0, 0xffffffff, 0x00a09b00});      // G P S code R A L, DPL 0
  blob.set_segment(x86::Seg::Ss, {kcs + 8u, 0, 0xffffffff, 0x00c09300});  // G B P S data W A, DPL 0
  restore_blob();
  X86Regs r = regs();
  r.rcx = rip + 2;
  r.r11 = rflags;
  r.rflags = rflags & ~fmask & ~kRflagsRf;
  r.rip = lstar - 2;
  set_regs(r);
}

bool X86_64Cpu::deliver_interrupt(uint8_t vector) {
  if (!(reg(X86Reg::Rflags) & kRflagsIf)) return false;
  deliver_external(vector, "interrupt");
  return true;
}

// An external interrupt or NMI is a benign event (SDM Vol. 3A Table 6-5): a fault while
// delivering it raises #GP(vector*8 + IDT + EXT), and escalates from there as any exception.
// Returns false when the CPU shut down instead (triple fault).
bool X86_64Cpu::deliver_external(uint8_t vector, std::string_view what) {
  const uint64_t rip = reg(X86Reg::Rip);
  x86::ContextView blob = save_blob();
  auto chain = enter_or_escalate(blob, vector, std::nullopt, rip, what);
  if (chain) triple_fault(rip, *chain);
  return !chain;
}

}  // namespace kdsim
