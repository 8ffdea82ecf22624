// Exception, interrupt and syscall entry through the guest's IDT / LSTAR (mechanism 3).
#include "tests/unit/x86_64/x86_test_machine.h"

using namespace kdsim;
using namespace kdsim::x86_test;

namespace {
// The frame a stub finds at RSP: [error code], RIP, CS, RFLAGS, RSP, SS.
std::vector<uint64_t> frame(TestMachine& m, unsigned words) {
  std::vector<uint64_t> f;
  const uint64_t rsp = m.cpu->reg(X86Reg::Rsp);
  for (unsigned i = 0; i < words; ++i) f.push_back(m.get64(rsp + 8 * i));
  return f;
}
// mov [0x1e00010], rax: a write to the absent 2 MiB page (#PF error 2)
constexpr std::initializer_list<uint8_t> kWriteAbsent = {0x48, 0x89, 0x04, 0x25, 0x10, 0x00, 0xe0, 0x01};
}  // namespace

TEST_CASE("x86 #PF: CR2 and error code reach the IDT handler, iretq returns") {
  TestMachine m;
  m.boot();
  m.put(kCode, kWriteAbsent);
  m.put(kCode + 8, {0xf4});  // hlt
  m.set_gate(14, kHandler);
  m.put(kHandler, {
      0x5b,                          // pop rbx            (error code)
      0x0f, 0x20, 0xd1,              // mov rcx, cr2
      0x48, 0x83, 0x04, 0x24, 0x08,  // add qword [rsp], 8 (skip the faulting insn)
      0x48, 0xcf,                    // iretq
  });
  HaltReason h = m.run();
  REQUIRE(h.kind == HaltKind::Idle);
  CHECK(m.cpu->pc() == kCode + 9);
  CHECK(m.cpu->reg(X86Reg::Rbx) == 2);  // write, not present, supervisor
  CHECK(m.cpu->reg(X86Reg::Rcx) == kAbsentPage2M + 0x10);
  CHECK(m.cpu->reg(X86Reg::Rsp) == kStack);
  CHECK(m.cpu->reg(X86Reg::R15) == ~0ull);  // no stub (#DF etc.) ran
}

TEST_CASE("x86 nested #PF inside a handler stays #PF (old_exception reset), three in a row") {
  TestMachine m;
  m.boot();
  m.put(kCode, kWriteAbsent);
  m.put(kCode + 8, {0x48, 0x89, 0x04, 0x25, 0x18, 0x00, 0xe0, 0x01, 0xf4});  // mov [0x1e00018], rax ; hlt
  m.set_gate(14, kHandler);
  m.put(kHandler, {
      0x5b,                                            // pop rbx
      0x49, 0xff, 0xc2,                                // inc r10
      0x49, 0x83, 0xfa, 0x01,                          // cmp r10, 1
      0x75, 0x08,                                      // jne +8
      0x48, 0x8b, 0x04, 0x25, 0x20, 0x00, 0xe0, 0x01,  // mov rax, [0x1e00020] (nested #PF)
      0x48, 0x83, 0x04, 0x24, 0x08,                    // add qword [rsp], 8
      0x48, 0xcf,                                      // iretq
  });
  HaltReason h = m.run();
  REQUIRE(h.kind == HaltKind::Idle);
  CHECK(m.cpu->reg(X86Reg::R10) == 3);
  CHECK(m.cpu->reg(X86Reg::R15) == ~0ull);  // the #DF stub never ran
  CHECK(m.cpu->pc() == kCode + 17);
}

TEST_CASE("x86 #DE: vector 0, no error code, RIP at the div") {
  TestMachine m;
  m.boot();
  m.put(kCode, {0x31, 0xc9, 0xf7, 0xf1});  // xor ecx, ecx ; div ecx
  REQUIRE(m.run().kind == HaltKind::Idle);
  CHECK(m.cpu->reg(X86Reg::R15) == 0);
  CHECK(frame(m, 5) == std::vector<uint64_t>{kCode + 2, 0x08, 0x46, kStack, 0x10});
  CHECK(m.cpu->reg(X86Reg::Rsp) == kStack - 40);
}

TEST_CASE("x86 #UD from ud2: vector 6, RIP at the insn, run continues into the handler") {
  TestMachine m;
  m.boot();
  m.put(kCode, {0x90, 0x0f, 0x0b});  // nop ; ud2
  HaltReason h = m.run();
  REQUIRE(h.kind == HaltKind::Idle);
  CHECK(m.cpu->reg(X86Reg::R15) == 6);
  CHECK(m.cpu->pc() == kStubs + 16 * 6 + 7);
  CHECK(frame(m, 2) == std::vector<uint64_t>{kCode + 1, 0x08});
}

TEST_CASE("x86 int3: vector 3, RIP after the insn") {
  TestMachine m;
  m.boot();
  m.put(kCode, {0xcc});  // int3
  REQUIRE(m.run().kind == HaltKind::Idle);
  CHECK(m.cpu->reg(X86Reg::R15) == 3);
  CHECK(frame(m, 2) == std::vector<uint64_t>{kCode + 1, 0x08});
}

TEST_CASE("x86 ring 3 -> ring 0 entries switch to TSS.RSP0 / IST and CPL 0") {
  TestMachine m;
  m.boot();
  enter_user_code(m);
  SUBCASE("int3 through a DPL 3 gate") {
    m.put(kUserCode, {0xcc});  // int3
    REQUIRE(m.run().kind == HaltKind::Idle);
    CHECK(m.cpu->reg(X86Reg::R15) == 3);
    CHECK(m.cpu->cpl() == 0);
    CHECK(m.cpu->reg(X86Reg::Rsp) == kRsp0 - 40);
    CHECK(frame(m, 5) == std::vector<uint64_t>{kUserCode + 1, 0x2b, 0x202, kUserStack, 0x23});
  }
  SUBCASE("int 0x81 through a DPL 0 gate is #GP(0x81*8+2) on the int") {
    m.put(kUserCode, {0xcd, 0x81});  // int 0x81
    REQUIRE(m.run().kind == HaltKind::Idle);
    CHECK(m.cpu->reg(X86Reg::R15) == 13);
    CHECK(frame(m, 3) == std::vector<uint64_t>{0x40a, kUserCode, 0x2b});
  }
  SUBCASE("an IRQ through an IST1 gate") {
    m.put(kUserCode, {0xeb, 0xfe});  // jmp $
    m.set_gate(0x20, kStubs + 16 * 0x20, 0, 1);
    REQUIRE(m.run(200).kind == HaltKind::QuantumExpired);
    CHECK(m.cpu->cpl() == 3);
    REQUIRE(m.cpu->deliver_interrupt(0x20));
    REQUIRE(m.run().kind == HaltKind::Idle);
    CHECK(m.cpu->reg(X86Reg::R15) == 0x20);
    CHECK(m.cpu->cpl() == 0);
    CHECK(m.cpu->reg(X86Reg::Rsp) == kIst1 - 40);
    CHECK(frame(m, 5) == std::vector<uint64_t>{kUserCode, 0x2b, 0x202, kUserStack, 0x23});
  }
}

TEST_CASE("x86 syscall from ring 3 to LSTAR at CPL 0, sysretq back to ring 3") {
  TestMachine m;
  m.boot();
  enter_user_code(m);
  m.put(kUserCode, {
      0xb8, 0x2a, 0x00, 0x00, 0x00,  // mov eax, 42
      0x0f, 0x05,                    // syscall
      0xbb, 0x07, 0x00, 0x00, 0x00,  // mov ebx, 7
      0xeb, 0xfe,                    // jmp $
  });
  m.put(kHandler, {
      0xe6, 0x80,                    // out 0x80, al   (the test records CPL/CS here)
      0xb8, 0x99, 0x00, 0x00, 0x00,  // mov eax, 0x99
      0x48, 0x0f, 0x07,              // sysretq
  });
  m.cpu->set_msr(0xc0000081, (0x18ull << 48) | (0x08ull << 32));  // STAR
  m.cpu->set_msr(0xc0000082, kHandler);                           // LSTAR
  m.cpu->set_msr(0xc0000084, kIf);                                // FMASK
  unsigned kernel_cpl = 99;
  uint64_t kernel_cs = 0, kernel_ss = 0, kernel_flags = 0, kernel_rcx = 0, kernel_r11 = 0;
  m.post.on_write = [&] {
    kernel_cpl = m.cpu->cpl();
    kernel_cs = m.cpu->reg(X86Reg::Cs);
    kernel_ss = m.cpu->reg(X86Reg::Ss);
    kernel_flags = m.cpu->reg(X86Reg::Rflags);
    kernel_rcx = m.cpu->reg(X86Reg::Rcx);
    kernel_r11 = m.cpu->reg(X86Reg::R11);
  };
  REQUIRE(m.run(500).kind == HaltKind::QuantumExpired);
  REQUIRE(m.post.writes.size() == 1);
  CHECK(m.post.writes[0].value == 42);
  CHECK(kernel_cpl == 0);
  CHECK(kernel_cs == 0x08);
  CHECK(kernel_ss == 0x10);
  CHECK((kernel_flags & kIf) == 0);
  CHECK(kernel_rcx == kUserCode + 7);
  CHECK(kernel_r11 == 0x202);
  CHECK(m.cpu->cpl() == 3);
  CHECK(m.cpu->reg(X86Reg::Cs) == 0x2b);
  CHECK(m.cpu->reg(X86Reg::Rbx) == 7);
  CHECK(m.cpu->reg(X86Reg::Rax) == 0x99);
  CHECK(m.cpu->pc() == kUserCode + 12);
}

TEST_CASE("x86 IRQ injection: refused with IF clear, delivered with IF set, wakes hlt") {
  TestMachine m;
  m.boot();
  m.put(kCode, {0xf4, 0xeb, 0xfe});  // hlt ; jmp $
  REQUIRE(m.run().kind == HaltKind::Idle);
  CHECK_FALSE(m.cpu->deliver_interrupt(0x20));
  REQUIRE(m.run().kind == HaltKind::QuantumExpired);  // nothing delivered: still in the jmp $
  CHECK(m.cpu->reg(X86Reg::R15) == ~0ull);
  m.cpu->set_pc(kCode + 1);
  m.cpu->set_reg(X86Reg::Rflags, 0x202);
  REQUIRE(m.cpu->deliver_interrupt(0x20));
  REQUIRE(m.run().kind == HaltKind::Idle);
  CHECK(m.cpu->reg(X86Reg::R15) == 0x20);
  CHECK((m.cpu->reg(X86Reg::Rflags) & kIf) == 0);  // interrupt gate
  CHECK(frame(m, 3) == std::vector<uint64_t>{kCode + 1, 0x08, 0x202});
}

TEST_CASE("x86 a fault while delivering an exception escalates: #GP, #DF, then a triple fault") {
  TestMachine m;
  m.boot();
  SUBCASE("#PF and #DF beyond the IDT limit: triple fault") {
    m.put(kCode, kWriteAbsent);
    m.cpu->set_idtr(kIdt, 16 * 8 - 1);  // vectors 0..7 only
    HaltReason h = m.run();
    CHECK(h.kind == HaltKind::GuestFault);  // no CpuHost here; the machine resets (e2e)
    CHECK(h.detail == "triple fault at RIP V0x20000: CR2 V0x1e00010; exception 14 (error code 0x2): vector 14 lies "
                      "beyond the IDT limit 0x7f; then exception 8 (error code 0x0): vector 8 lies beyond the IDT "
                      "limit 0x7f");
  }
  SUBCASE("#DE's gate not present: contributory, so #DF is delivered") {
    m.put(kCode, {0x31, 0xc9, 0xf7, 0xf1});  // xor ecx, ecx ; div ecx
    m.put64(kIdt, 0);
    m.put64(kIdt + 8, 0);
    REQUIRE(m.run().kind == HaltKind::Idle);  // the #DF stub's hlt
    CHECK(m.cpu->reg(X86Reg::R15) == 8);
    CHECK(frame(m, 2) == std::vector<uint64_t>{0, kCode + 2});  // #DF's error code is 0
  }
  SUBCASE("#UD's gate not present: benign, so #GP(6*8 + IDT + EXT) is delivered") {
    m.put(kCode, {0x0f, 0x0b});  // ud2
    m.put64(kIdt + 16 * 6, 0);
    m.put64(kIdt + 16 * 6 + 8, 0);
    REQUIRE(m.run().kind == HaltKind::Idle);  // the #GP stub's hlt
    CHECK(m.cpu->reg(X86Reg::R15) == 13);
    CHECK(frame(m, 2) == std::vector<uint64_t>{6 * 8 + 3, kCode});
  }
}

TEST_CASE("x86 a fault while delivering an interrupt or NMI escalates as for a benign exception") {
  TestMachine m;
  m.boot();
  m.put(kCode, {0xf4, 0xeb, 0xfe});  // hlt ; jmp $
  REQUIRE(m.run().kind == HaltKind::Idle);
  m.cpu->set_pc(kCode + 1);
  m.cpu->set_reg(X86Reg::Rflags, 0x202);
  SUBCASE("an IRQ whose gate is not present: #GP(0x20*8 + IDT + EXT)") {
    m.put64(kIdt + 16 * 0x20, 0);
    m.put64(kIdt + 16 * 0x20 + 8, 0);
    REQUIRE(m.cpu->deliver_interrupt(0x20));
    REQUIRE(m.run().kind == HaltKind::Idle);  // the #GP stub's hlt
    CHECK(m.cpu->reg(X86Reg::R15) == 13);
    CHECK(frame(m, 2) == std::vector<uint64_t>{0x20 * 8 + 3, kCode + 1});
  }
  SUBCASE("an NMI whose gate is not present: #GP(2*8 + IDT + EXT)") {
    m.put64(kIdt + 16 * 2, 0);
    m.put64(kIdt + 16 * 2 + 8, 0);
    REQUIRE(m.cpu->deliver_nmi());
    REQUIRE(m.run().kind == HaltKind::Idle);
    CHECK(m.cpu->reg(X86Reg::R15) == 13);
    CHECK(frame(m, 2) == std::vector<uint64_t>{2 * 8 + 3, kCode + 1});
  }
  SUBCASE("an NMI with an IDT of two vectors: #GP and #DF fail too, a triple fault") {
    m.cpu->set_idtr(kIdt, 16 * 2 - 1);  // vectors 0 and 1 only
    CHECK_FALSE(m.cpu->deliver_nmi());
    HaltReason h = m.run();
    CHECK(h.kind == HaltKind::GuestFault);  // no CpuHost here; the machine resets (e2e)
    CHECK(h.detail == "triple fault at RIP V0x20001: NMI 2 (error code 0x0): vector 2 lies beyond the IDT limit 0x1f; "
                      "then exception 13 (error code 0x13): vector 13 lies beyond the IDT limit 0x1f; then exception 8 "
                      "(error code 0x0): vector 8 lies beyond the IDT limit 0x1f");
  }
}

TEST_CASE("x86 an exception storm (unreachable handler) is a guest fault, not a hang") {
  TestMachine m;
  m.boot();
  m.put(kCode, kWriteAbsent);
  m.set_gate(14, kAbsentPage2M);  // the #PF handler itself is not mapped
  HaltReason h = m.run();
  CHECK(h.kind == HaltKind::GuestFault);
  CHECK(h.detail == "exception 14 (error code 0x10) at RIP V0x1e00000: 64 exceptions in a row without executing "
                    "an instruction (handler unreachable?)");
}

// Regression: every uc_emu_start raises a #GP inside Unicorn (its probe of the page below the
// non-canonical `until`), leaving QEMU's old_exception set; a #PF in a later slice then became
// #DF / a silent triple fault. The CPU resets it on the first block of every run.
TEST_CASE("x86 a #PF taken many slices after the last exception is still a #PF") {
  TestMachine m;
  m.boot();
  m.put(kCode, {0xb9, 0xe8, 0x03, 0x00, 0x00,  // mov ecx, 1000
                0xff, 0xc9,                    // dec ecx
                0x75, 0xfc});                  // jnz -4
  m.put(kCode + 9, kWriteAbsent);
  m.put(kCode + 17, {0xf4});  // hlt
  m.set_gate(14, kHandler);
  m.put(kHandler, {
      0x5b,                          // pop rbx            (error code)
      0x48, 0x83, 0x04, 0x24, 0x08,  // add qword [rsp], 8 (skip the faulting insn)
      0x48, 0xcf,                    // iretq
  });
  HaltReason h;
  unsigned slices = 0;
  while ((h = m.cpu->run(50)).kind == HaltKind::QuantumExpired) ++slices;
  REQUIRE_MESSAGE(h.kind == HaltKind::Idle, h.detail);
  CHECK(slices > 20);
  CHECK(m.cpu->pc() == kCode + 18);
  CHECK(m.cpu->reg(X86Reg::Rbx) == 2);
  CHECK(m.cpu->reg(X86Reg::R15) == ~0ull);  // no #DF stub ran
}
