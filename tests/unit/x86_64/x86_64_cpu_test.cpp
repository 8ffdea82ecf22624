// X86_64Cpu basics: calibration, budget, registers, hlt, port I/O, MMIO, stops, guest faults.
#include "tests/unit/x86_64/x86_test_machine.h"

using namespace kdsim;
using namespace kdsim::x86_test;

namespace {
// mov ecx, 1000 ; 1: add rax, 1 ; dec rcx ; jnz 1b ; hlt
// Blocks: [mov add dec jnz] = 4, then [add dec jnz] = 3 x 999, then [hlt] = 1: 3002 in all.
constexpr std::initializer_list<uint8_t> kLoop = {
    0xb9, 0xe8, 0x03, 0x00, 0x00,  // mov ecx, 1000
    0x48, 0x83, 0xc0, 0x01,        // add rax, 1
    0x48, 0xff, 0xc9,              // dec rcx
    0x75, 0xf7,                    // jnz -9 (to the add)
    0xf4,                          // hlt
};
constexpr uint64_t kLoopInstructions = 3002;
}  // namespace

TEST_CASE("x86 context blob calibration succeeds on this Unicorn build") {
  auto l = x86::context_layout();
  REQUIRE(l);
  // The reference's offsets for Debian's 2.0.1 (informative: calibration found them itself).
  CHECK(l->eip == 128);
  CHECK(l->hflags == 176);
  CHECK(l->segs == 184);
  CHECK(l->old_exception == l->error_code + 112);
}

TEST_CASE("x86 budget: a slice overshoots by at most one block and the count is exact") {
  TestMachine m;
  m.put(kCode, kLoop);
  m.cpu->set_pc(kCode);
  SUBCASE("one long slice") {
    HaltReason h = m.run(1'000'000);
    CHECK(h.kind == HaltKind::Idle);
    CHECK(m.cpu->instructions() == kLoopInstructions);
    CHECK(m.cpu->reg(X86Reg::Rax) == 1000);
  }
  SUBCASE("slices of 100") {
    int slices = 0;
    for (;;) {
      const uint64_t before = m.cpu->instructions();
      HaltReason h = m.run(100);
      ++slices;
      if (h.kind == HaltKind::Idle) break;
      REQUIRE(h.kind == HaltKind::QuantumExpired);
      CHECK(m.cpu->instructions() - before >= 100);
      CHECK(m.cpu->instructions() - before < 100 + 4);  // the largest block has 4 instructions
      REQUIRE(slices < 100);
    }
    CHECK(m.cpu->instructions() == kLoopInstructions);
    CHECK(m.cpu->reg(X86Reg::Rax) == 1000);
  }
}

TEST_CASE("x86 budget: any slice size gives the same count; a stop before hlt is not Idle") {
  // The jnz displacement byte is 0xf4 (the hlt opcode): a slice that stops right before the
  // hlt must not be taken for a hlt.
  static constexpr std::initializer_list<uint8_t> kLoop4 = {
      0x48, 0xc7, 0xc1, 0x64, 0x00, 0x00, 0x00,  // mov rcx, 100
      0x48, 0x83, 0xc0, 0x01,                    // add rax, 1
      0x48, 0x31, 0xc3,                          // xor rbx, rax
      0x48, 0xff, 0xc9,                          // dec rcx
      0x75, 0xf4,                                // jnz -12 (to the add)
      0xf4,                                      // hlt
  };
  for (uint64_t budget : {1, 3, 4, 7, 100}) {
    CAPTURE(budget);
    TestMachine m;
    m.put(kCode, kLoop4);
    m.cpu->set_pc(kCode);
    HaltReason h;
    for (int i = 0; i < 1000 && (h = m.run(budget)).kind == HaltKind::QuantumExpired; ++i) {}
    CHECK(h.kind == HaltKind::Idle);
    CHECK(m.cpu->pc() == kCode + 20);
    CHECK(m.cpu->instructions() == 4 * 100 + 2);
  }
}

TEST_CASE("x86 registers: batch, typed, MSRs, EFER.SCE|NXE set at creation") {
  TestMachine m;
  X86Regs r;
  r.rax = 1, r.rbx = 2, r.r15 = 0xf00d, r.rip = 0x1234, r.rflags = 0x202;
  m.cpu->set_regs(r);
  X86Regs back = m.cpu->regs();
  CHECK(back.rax == 1);
  CHECK(back.rbx == 2);
  CHECK(back.r15 == 0xf00d);
  CHECK(m.cpu->reg(X86Reg::Rip) == 0x1234);
  CHECK(m.cpu->pc() == 0x1234);
  CHECK(m.cpu->reg(X86Reg::Rflags) == 0x202);
  m.cpu->set_reg(X86Reg::R9, 99);
  CHECK(m.cpu->regs().r9 == 99);
  CHECK(m.cpu->msr(0xc0000080) == 0xd01);  // LMA LME NXE SCE
  m.cpu->set_msr(0xc0000082, 0xffffffff81000000);
  CHECK(m.cpu->msr(0xc0000082) == 0xffffffff81000000);
  CHECK(m.cpu->cpl() == 0);
}

TEST_CASE("x86 boot state of docs/boot.md: paging on, CPL 0, selectors") {
  TestMachine m;
  m.boot();
  CpuSnapshot s = m.cpu->snapshot();
  CHECK(s.mmu_on);
  CHECK(s.translation_root == kPml4);
  CHECK(s.privilege == 0);
  CHECK(s.pc == VirtAddr(kCode));
  CHECK(m.cpu->reg(X86Reg::Cs) == 0x08);
  CHECK(m.cpu->reg(X86Reg::Ss) == 0x10);
  CHECK(m.cpu->gdtr().base == kGdt);
  CHECK((m.cpu->reg(X86Reg::Rflags) & kIf) == 0);
  // the boot state actually runs: the identity map is used and the loop completes
  m.put(kCode, kLoop);
  CHECK(m.run().kind == HaltKind::Idle);
  CHECK(m.cpu->reg(X86Reg::Rax) == 1000);
}

TEST_CASE("x86 hlt ends the slice as Idle with RIP after it") {
  TestMachine m;
  m.put(kCode, {0x90, 0xf4, 0xeb, 0xfe});  // nop ; hlt ; jmp $
  m.cpu->set_pc(kCode);
  CHECK(m.run().kind == HaltKind::Idle);
  CHECK(m.cpu->pc() == kCode + 2);
  // the next slice continues after the hlt (the jmp $ uses the budget up)
  CHECK(m.run(50).kind == HaltKind::QuantumExpired);
  CHECK(m.cpu->pc() == kCode + 2);
}

TEST_CASE("x86 port IN/OUT reach the port bus with the access width") {
  TestMachine m;
  m.put(kCode, {
      0x66, 0xba, 0xf8, 0x03,  // mov dx, 0x3f8
      0xb0, 0x41,              // mov al, 0x41
      0xee,                    // out dx, al
      0x66, 0xba, 0xfd, 0x03,  // mov dx, 0x3fd
      0xec,                    // in al, dx
      0x88, 0xc3,              // mov bl, al
      0x66, 0xb8, 0x34, 0x12,  // mov ax, 0x1234
      0x66, 0xef,              // out dx, ax
      0xf4,                    // hlt
  });
  m.cpu->set_pc(kCode);
  CHECK(m.run().kind == HaltKind::Idle);
  CHECK(m.uart.writes == std::vector<Access>{{0, 1, 0x41}, {5, 2, 0x1234}});
  CHECK((m.cpu->reg(X86Reg::Rbx) & 0xff) == 0x60);
}

TEST_CASE("x86 MMIO: two devices sharing one page, decoded by the bus") {
  TestMachine m;
  m.put(kCode, {
      0x48, 0xbb, 0x00, 0x00, 0xb0, 0xfe, 0x00, 0x00, 0x00, 0x00,  // movabs rbx, 0xfeb00000
      0x8b, 0x03,                                                  // mov eax, [rbx]
      0xc7, 0x83, 0x10, 0x02, 0x00, 0x00, 0x34, 0x12, 0x00, 0x00,  // mov dword [rbx+0x210], 0x1234
      0xf4,                                                        // hlt
  });
  m.cpu->set_pc(kCode);
  CHECK(m.run().kind == HaltKind::Idle);
  CHECK(m.cpu->reg(X86Reg::Rax) == kMagic);
  CHECK(m.stage.writes == std::vector<Access>{{0x10, 4, 0x1234}});
  CHECK(m.agent.writes.empty());
}

TEST_CASE("x86 request_stop from a port write ends the slice") {
  TestMachine m;
  m.post.on_write = [&] { m.cpu->request_stop(); };
  m.put(kCode, {0xe6, 0x80, 0xeb, 0xfe});  // out 0x80, al ; jmp $
  m.cpu->set_pc(kCode);
  HaltReason h = m.run(10'000'000);
  CHECK(h.kind == HaltKind::StopRequested);
  CHECK(m.cpu->instructions() < 10);
  CHECK(m.post.writes.size() == 1);
  // the next slice runs normally
  CHECK(m.run(100).kind == HaltKind::QuantumExpired);
}

TEST_CASE("x86 unmapped accesses with paging off are guest faults naming kind, address and RIP") {
  TestMachine m;
  SUBCASE("fetch") {
    m.cpu->set_pc(0x5000000);
    HaltReason h = m.run();
    CHECK(h.kind == HaltKind::GuestFault);
    CHECK(h.detail == "instruction fetch from unmapped V0x5000000 (RIP V0x5000000)");
  }
  SUBCASE("read") {
    m.put(kCode, {0x48, 0x8b, 0x04, 0x25, 0x00, 0x00, 0x00, 0x05});  // mov rax, [0x5000000]
    m.cpu->set_pc(kCode);
    HaltReason h = m.run();
    CHECK(h.kind == HaltKind::GuestFault);
    CHECK(h.detail == "read from unmapped V0x5000000 (RIP V0x20000)");
  }
}

TEST_CASE("x86 invalidate_code makes host-written code visible") {
  TestMachine m;
  m.put(kCode, {0xb8, 0x01, 0x00, 0x00, 0x00, 0xf4});  // mov eax, 1 ; hlt
  m.cpu->set_pc(kCode);
  CHECK(m.run().kind == HaltKind::Idle);
  CHECK(m.cpu->reg(X86Reg::Rax) == 1);
  m.put(kCode, {0xb8, 0x02, 0x00, 0x00, 0x00, 0xf4});  // mov eax, 2 ; hlt
  m.cpu->invalidate_code({PhysAddr(kCode), 6});
  m.cpu->set_pc(kCode);
  CHECK(m.run().kind == HaltKind::Idle);
  CHECK(m.cpu->reg(X86Reg::Rax) == 2);
}

// Regression: a uc_emu_stop from inside a device callback makes Unicorn resume at the start of
// the translated block, so the block (and the device write) ran again, forever. request_stop
// only sets a flag now and the slice ends at the next block boundary.
TEST_CASE("x86 request_stop from a port write does not replay the block's earlier stores") {
  TestMachine m;
  m.post.on_write = [&] { m.cpu->request_stop(); };
  m.put(kCode, {0x48, 0xff, 0x04, 0x25, 0x00, 0x00, 0x08, 0x00,  // inc qword [0x80000]
                0xe6, 0x80,                                      // out 0x80, al
                0x48, 0xff, 0x04, 0x25, 0x08, 0x00, 0x08, 0x00,  // inc qword [0x80008]
                0xeb, 0xfe});                                    // jmp $
  m.cpu->set_pc(kCode);
  HaltReason h = m.run(10'000'000);
  CHECK(h.kind == HaltKind::StopRequested);
  CHECK(m.post.writes.size() == 1);
  CHECK(m.get64(0x80000) == 1);
  CHECK(m.get64(0x80008) == 1);  // the rest of the block ran once
}
