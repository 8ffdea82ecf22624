// What the local APIC makes a CPU do (machine/devices/lapic.h): take an NMI, and start at a
// STARTUP IPI's vector in real mode after INIT (Intel SDM Vol. 3A 8.4.4.1 and 10.6.1).
#include "machine/cpu/x86_64/x86_64_cpu.h"
#include "machine/cpu/x86_64/x86_page_walk.h"
#include <unicorn/unicorn.h>

namespace kdsim {
namespace {
constexpr uint8_t kVectorNmi = 2;
constexpr uint64_t kEferLme = 1ull << 8, kEferLma = 1ull << 10;
constexpr uint64_t kCr0Et = 1ull << 4;
// QEMU hflags (target/i386/cpu.h) a real-mode CPU has clear, and HF_ADDSEG_MASK it has set
// (segment bases are added to every data access).
constexpr uint32_t kHfCs32 = 1u << 4, kHfAddseg = 1u << 6, kHfPe = 1u << 7;
// Real-mode descriptor caches as QEMU's cpu_x86_load_seg() makes them: present, code/data,
// writable, accessed, 64 KiB limit.
constexpr uint32_t kRealModeData = 0x9300, kRealModeCode = 0x9b00;
}  // namespace

// An NMI is not masked by RFLAGS.IF. Not modelled: the blocking of further NMIs until the next
// iretq (Linux's crash callback never returns; a second NMI would nest).
bool X86_64Cpu::deliver_nmi() { return deliver_external(kVectorNmi, "NMI"); }

// INIT then STARTUP: the state of SDM Table 9-1 after INIT, with CS:IP = vector << 8 : 0. Two
// differences, both forced by Unicorn 2.0.1: the engine stays a 64-bit one (the guest's own
// lgdt / CR0.PE / EFER.LME / CR0.PG / far jumps take it to long mode, as on hardware), and
// EFER.SCE|NXE stay set (a guest wrmsr cannot set them back, see enable_efer_bits()).
void X86_64Cpu::start_up(uint8_t vector) {
  forget_linear_aliases();  // whatever this engine ran before, its aliases are stale now
  set_reg(X86Reg::Cr0, kCr0Et);  // clears EFER.LMA and HF_LMA/HF_CS64/HF_PE in QEMU
  set_reg(X86Reg::Cr4, 0);
  set_reg(X86Reg::Cr3, 0);
  x86::ContextView blob = save_blob();
  blob.set_efer(blob.efer() & ~(kEferLme | kEferLma));
  blob.set_hflags((blob.hflags() & ~(x86::kHfCplMask | kHfCs32 | x86::kHfSs32 | x86::kHfLma | x86::kHfCs64 | kHfPe)) |
                  kHfAddseg);
  const uint32_t cs = uint32_t{vector} << 8;
  blob.set_segment(x86::Seg::Cs, {cs, uint64_t{cs} << 4, 0xffff, kRealModeCode});
  for (x86::Seg s : {x86::Seg::Ds, x86::Seg::Es, x86::Seg::Ss, x86::Seg::Fs, x86::Seg::Gs})
    blob.set_segment(s, {0, 0, 0xffff, kRealModeData});
  blob.clear_old_exception();
  restore_blob();
  set_gdtr(0, 0xffff);
  set_idtr(0, 0xffff);
  set_regs(X86Regs{});  // RIP 0 (IP of CS:IP), RFLAGS 0x2, general registers 0
  m_ud_delivered = false;
  m_fault.reset();
}

}  // namespace kdsim
