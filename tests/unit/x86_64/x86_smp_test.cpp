// The local APIC's CPU-side deliveries: an NMI through IDT vector 2 whatever RFLAGS.IF says, and
// INIT + STARTUP into real mode, from where a Linux-like trampoline reaches long mode by itself.
#include "machine/machine.h"
#include "tests/unit/null_observer.h"
#include "x86_test_machine.h"

using namespace kdsim;
using namespace kdsim::x86_test;

namespace {
constexpr uint64_t kTrampoline = 0x8000, kMarker = 0x7000;
constexpr uint8_t kStartupVector = kTrampoline >> 12;

// A reduced arch/x86/realmode/rm/trampoline_64.S (llvm-mc -triple x86_64), loaded at 0x8000:
//   .code16  cli; mov %cs,%ax; mov %ax,%ds; lgdtl gdt_desc; CR0.PE; ljmpl $0x18,$pm32
//   .code32  pm32: ds=ss=0x10; CR3=0x10000; CR4.PAE; EFER.LME (rdmsr/wrmsr); CR0.PG;
//            ljmpl $0x08,$lm64
//   .code64  lm64: movl $0x4b4f, 0x7000; hlt
//   gdt: null, 0x08 code64, 0x10 data, 0x18 code32; gdt_desc: .word 31; .long gdt
constexpr uint8_t kTrampolineCode[] = {
    0xfa, 0x8c, 0xc8, 0x8e, 0xd8, 0x66, 0x0f, 0x01, 0x16, 0x88, 0x00, 0x0f, 0x20, 0xc0, 0x66, 0x83, 0xc8, 0x01,
    0x0f, 0x22, 0xc0, 0x66, 0xea, 0x1d, 0x80, 0x00, 0x00, 0x18, 0x00, 0x66, 0xb8, 0x10, 0x00, 0x8e, 0xd8, 0x8e,
    0xd0, 0xb8, 0x00, 0x00, 0x01, 0x00, 0x0f, 0x22, 0xd8, 0x0f, 0x20, 0xe0, 0x83, 0xc8, 0x20, 0x0f, 0x22, 0xe0,
    0xb9, 0x80, 0x00, 0x00, 0xc0, 0x0f, 0x32, 0x0d, 0x00, 0x01, 0x00, 0x00, 0x0f, 0x30, 0x0f, 0x20, 0xc0, 0x0d,
    0x00, 0x00, 0x00, 0x80, 0x0f, 0x22, 0xc0, 0xea, 0x56, 0x80, 0x00, 0x00, 0x08, 0x00, 0xc7, 0x04, 0x25, 0x00,
    0x70, 0x00, 0x00, 0x4f, 0x4b, 0x00, 0x00, 0xf4, 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00, 0x00, 0x9a, 0xaf, 0x00, 0xff, 0xff, 0x00, 0x00, 0x00, 0x92,
    0xcf, 0x00, 0xff, 0xff, 0x00, 0x00, 0x00, 0x9a, 0xcf, 0x00, 0x1f, 0x00, 0x68, 0x80, 0x00, 0x00};
}  // namespace

TEST_CASE("x86 an NMI is taken at IDT vector 2 with IF clear and wakes hlt") {
  TestMachine m;
  m.boot();
  m.put(kCode, {0xf4, 0xeb, 0xfe});  // hlt ; jmp $   (RFLAGS.IF clear since boot)
  REQUIRE(m.run().kind == HaltKind::Idle);
  CHECK_FALSE(m.cpu->deliver_interrupt(0x20));
  REQUIRE(m.cpu->deliver_nmi());
  REQUIRE(m.run().kind == HaltKind::Idle);
  CHECK(m.cpu->reg(X86Reg::R15) == 2);
  CHECK(m.get64(kStack - 40) == kCode + 1);  // the frame's RIP: after the hlt
}

TEST_CASE("x86 INIT + STARTUP: real mode at vector << 12; the trampoline reaches long mode") {
  TestMachine m;
  m.boot(kCode);
  m.put(kCode, {0xf4});
  REQUIRE(m.run().kind == HaltKind::Idle);  // the CPU ran in long mode before (an INIT resets it)
  REQUIRE(!m.ram->write(PhysAddr(kTrampoline), std::span<const uint8_t>(kTrampolineCode)));
  m.cpu->start_up(kStartupVector);
  CHECK(m.cpu->reg(X86Reg::Cs) == 0x0800);
  CHECK(m.cpu->reg(X86Reg::Rip) == 0);
  CHECK((m.cpu->reg(X86Reg::Cr0) & 1) == 0);
  const HaltReason h = m.run();
  INFO(h.detail);
  REQUIRE(h.kind == HaltKind::Idle);
  CHECK((m.get64(kMarker) & 0xffffffff) == 0x4b4f);
  CHECK(m.cpu->reg(X86Reg::Cs) == 0x08);
  CHECK(m.cpu->reg(X86Reg::Rip) == kTrampoline + 0x62);  // after the hlt
  CHECK((m.cpu->reg(X86Reg::Cr0) & 0x80000001) == 0x80000001);
  CHECK((m.cpu->msr(0xc0000080) & 0x500) == 0x500);  // EFER.LME | LMA
}

TEST_CASE("machine: INIT + STARTUP through the local APIC start CPU 1 in real mode") {
  // CPU 0 (64-bit): ICR2 = APIC ID 1, INIT (level, assert), STARTUP vector 0x08; then counts.
  constexpr uint8_t cpu0[] = {
      0xb8, 0x00, 0x00, 0xe0, 0xfe,                                // mov eax, 0xfee00000
      0xc7, 0x80, 0x10, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,  // mov dword [rax+0x310], 0x01000000
      0xc7, 0x80, 0x00, 0x03, 0x00, 0x00, 0x00, 0xc5, 0x00, 0x00,  // mov dword [rax+0x300], 0xc500
      0xc7, 0x80, 0x00, 0x03, 0x00, 0x00, 0x08, 0x06, 0x00, 0x00,  // mov dword [rax+0x300], 0x608
      0x48, 0xff, 0xc3,                                            // 1: inc rbx
      0xeb, 0xfb,                                                  // jmp 1b
  };
  // CPU 1 (real mode, CS = 0x0800): mov word [0x7000], 0x4b4f; then counts.
  constexpr uint8_t cpu1[] = {0xc7, 0x06, 0x00, 0x70, 0x4f, 0x4b, 0x43, 0xeb, 0xfd};
  test::NullObserver quiet;
  auto m = Machine::create({.arch = Arch::X86_64, .ram_size = 64ull << 20, .cpus = 2, .quantum = 10'000}, quiet);
  REQUIRE(bool(m));
  REQUIRE(!(*m)->ram().write(PhysAddr(0x10000), std::span<const uint8_t>(cpu0)));
  REQUIRE(!(*m)->ram().write(PhysAddr(kTrampoline), std::span<const uint8_t>(cpu1)));
  (*m)->cpu(0).set_pc(0x10000);
  (*m)->start_cpu(0);
  CHECK((*m)->run(200'000).cause == StopCause::InstructionLimit);
  uint16_t marker = 0;
  std::memcpy(&marker, (*m)->ram().host_ptr(PhysAddr(kMarker), 2), 2);
  CHECK(marker == 0x4b4f);
  auto& ap = static_cast<X86_64Cpu&>((*m)->cpu(1));
  CHECK(ap.reg(X86Reg::Cs) == 0x0800);
  CHECK(ap.instructions() > 1000);  // it keeps running its loop
  CHECK((*m)->lapic()->undeliverable() == 0);
}
