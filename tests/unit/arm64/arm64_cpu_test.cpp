// Arm64Cpu: calibration, budget, halts, MMIO, stop requests, timer, registers.
#include "arm64_test_machine.h"
#include "machine/cpu/arm64/arm64_context.h"

using namespace kdsim;
using namespace kdsim::test;

TEST_CASE("arm64 context layout is calibrated once with distinct offsets") {
  auto l = arm64_context_layout();
  REQUIRE_MESSAGE(l, llvm::toString(l.takeError()));
  const Arm64ContextLayout& a = **l;
  CHECK(a.hflags == a.pc + 16);
  CHECK(a.syndrome + 8 == a.vaddress);
  CHECK(a.vaddress + 8 <= a.blob_size);
  CHECK(a.syndrome > a.hflags);
  auto again = arm64_context_layout();
  REQUIRE(again);
  CHECK(*again == *l);  // same cached object
}

TEST_CASE("arm64 budget: a loop of known length is counted within one block") {
  TestMachine m;
  m.load(kCode, {
      0xd2800000,  // +0x0  mov x0, #0
      0xd2807d01,  // +0x4  mov x1, #1000
      0x91000400,  // +0x8  add x0, x0, #1
      0xf1000421,  // +0xc  subs x1, x1, #1
      0x54ffffc1,  // +0x10 b.ne 0x8
      0xd503207f,  // +0x14 wfi
  });
  m.cpu->set_pc(kCode);
  constexpr uint64_t kExpected = 2 + 3 * 1000 + 1, kSlice = 100;
  uint64_t sum = 0, slices = 0;
  HaltReason h;
  do {
    uint64_t before = m.cpu->instructions();
    h = m.cpu->run(kSlice);
    uint64_t used = m.cpu->instructions() - before;
    sum += used;
    ++slices;
    if (h.kind == HaltKind::QuantumExpired) {
      CHECK(used >= kSlice);
      CHECK(used < kSlice + 5);  // overshoot: at most one block (the first block has 5 insns)
    }
  } while (h.kind == HaltKind::QuantumExpired && slices < 1000);
  CHECK(h.kind == HaltKind::Idle);
  CHECK(m.cpu->x(0) == 1000);
  CHECK(sum == m.cpu->instructions());
  CHECK(m.cpu->instructions() >= kExpected - 3);
  CHECK(m.cpu->instructions() <= kExpected + 3);
  CHECK(slices >= kExpected / (kSlice + 5));
}

TEST_CASE("arm64 wfi ends the slice as Idle with PC after the wfi") {
  TestMachine m;
  m.load(kCode, {0xd503207f});  // wfi
  m.cpu->set_pc(kCode);
  HaltReason h = m.cpu->run(1000);
  CHECK(h.kind == HaltKind::Idle);
  CHECK(m.cpu->pc() == kCode + 4);
}

TEST_CASE("arm64 guest faults with the MMU off become GuestFault with address and PC") {
  TestMachine m;
  SUBCASE("fetch from an unmapped address") {
    m.cpu->set_pc(0x10000000);
    HaltReason h = m.cpu->run(1000);
    CHECK(h.kind == HaltKind::GuestFault);
    CHECK(h.detail == "instruction fetch from unmapped V0x10000000 (PC V0x10000000)");
  }
  SUBCASE("branch to an unmapped address") {
    m.load(kCode, {0xd61f0020});  // br x1
    m.cpu->set_x(1, 0x20000000);
    m.cpu->set_pc(kCode);
    HaltReason h = m.cpu->run(1000);
    CHECK(h.kind == HaltKind::GuestFault);
    CHECK(h.detail == "instruction fetch from unmapped V0x20000000 (PC V0x20000000)");
  }
  SUBCASE("load from an unmapped address") {
    m.load(kCode, {0xf9400022});  // ldr x2, [x1]
    m.cpu->set_x(1, 0x30000000);
    m.cpu->set_pc(kCode);
    HaltReason h = m.cpu->run(1000);
    CHECK(h.kind == HaltKind::GuestFault);
    CHECK(h.detail == "data read from unmapped V0x30000000 (PC V0x40000000)");
  }
}

TEST_CASE("arm64 MMIO reaches devices with offsets and widths, also sub-page devices") {
  TestMachine m;
  m.load(kCode, {
      0xb9001001,  // +0x0  str w1, [x0, #16]
      0xb9401802,  // +0x4  ldr w2, [x0, #24]
      0x39000c01,  // +0x8  strb w1, [x0, #3]
      0xf9401003,  // +0xc  ldr x3, [x0, #32]
      0xb90004c1,  // +0x10 str w1, [x6, #4]
      0xb94008c7,  // +0x14 ldr w7, [x6, #8]
      0xd503207f,  // +0x18 wfi
  });
  m.cpu->set_x(0, kDevBase);
  m.cpu->set_x(1, 0x11223344);
  m.cpu->set_x(6, kSmallDevBase);
  m.cpu->set_pc(kCode);
  CHECK(m.cpu->run(1000).kind == HaltKind::Idle);
  // Unicorn 2.0.1 splits an 8-byte MMIO access into two 4-byte ones (low half first).
  REQUIRE(m.dev.log.size() == 5);
  CHECK((m.dev.log[0].write && m.dev.log[0].offset == 0x10 && m.dev.log[0].width == 4 && m.dev.log[0].value == 0x11223344));
  CHECK((!m.dev.log[1].write && m.dev.log[1].offset == 0x18 && m.dev.log[1].width == 4));
  CHECK((m.dev.log[2].write && m.dev.log[2].offset == 0x3 && m.dev.log[2].width == 1 && m.dev.log[2].value == 0x44));
  CHECK((!m.dev.log[3].write && m.dev.log[3].offset == 0x20 && m.dev.log[3].width == 4));
  CHECK((!m.dev.log[4].write && m.dev.log[4].offset == 0x24 && m.dev.log[4].width == 4));
  CHECK(m.cpu->x(2) == 0xd0000018);
  CHECK(m.cpu->x(3) == 0xd0000024'd0000020);
  REQUIRE(m.small_dev.log.size() == 2);
  CHECK((m.small_dev.log[0].write && m.small_dev.log[0].offset == 4 && m.small_dev.log[0].value == 0x11223344));
  CHECK((!m.small_dev.log[1].write && m.small_dev.log[1].offset == 8));
  CHECK(m.cpu->x(7) == 0xd0000008);
}

TEST_CASE("arm64 request_stop from a device write ends the slice") {
  TestMachine m;
  m.dev.on_write = [&](uint64_t, uint64_t) { m.cpu->request_stop(); };
  m.cpu->set_x(0, kDevBase);
  m.cpu->set_pc(kCode);
  SUBCASE("followed by a loop") {
    m.load(kCode, {
        0xb9000001,  // +0x0 str w1, [x0]
        0x910004a5,  // +0x4 add x5, x5, #1
        0x17ffffff,  // +0x8 b 0x4
    });
    HaltReason h = m.cpu->run(1'000'000);
    CHECK(h.kind == HaltKind::StopRequested);
    CHECK(m.dev.log.size() == 1);  // the store is not replayed
    CHECK(m.cpu->pc() == kCode + 4);
    CHECK(m.cpu->instructions() < 10);
    CHECK(m.cpu->x(5) < 5);
  }
  SUBCASE("followed by an svc whose entry writes PC (which cancels uc_emu_stop)") {
    m.load(kCode, {
        0xb9000001,  // +0x0 str w1, [x0]
        0xd4000021,  // +0x4 svc #0x1
        0x910004a5,  // +0x8 add x5, x5, #1
        0x17ffffff,  // +0xc b 0x8
    });
    m.load(kVbar + kVecCurSpxSync, {0x17ffffff});  // b . (handler spins)
    m.cpu->set_sysreg(Arm64SysReg::VBAR_EL1, kVbar);
    HaltReason h = m.cpu->run(1'000'000);
    CHECK(h.kind == HaltKind::StopRequested);
    CHECK(m.cpu->instructions() < 10);
  }
  // The next slice runs normally again, and does not replay the device write.
  CHECK(m.cpu->run(1000).kind == HaltKind::QuantumExpired);
  CHECK(m.dev.log.size() == 1);
}

TEST_CASE("arm64 request_stop from firmware_call stops with PC after the hvc") {
  TestMachine m;
  m.host.action = [](Arm64Cpu& c) { c.request_stop(); };
  m.load(kCode, {
      0xd4024682,  // +0x0 hvc #0x1234
      0xaa0003e1,  // +0x4 mov x1, x0
      0x17ffffff,  // +0x8 b .
  });
  m.cpu->set_pc(kCode);
  HaltReason h = m.cpu->run(1'000'000);
  CHECK(h.kind == HaltKind::StopRequested);
  CHECK(m.cpu->pc() == kCode + 4);
}

TEST_CASE("arm64 generic timer is deterministic and counts instructions") {
  auto run_once = [](unsigned index) {
    TestMachine m(index);
    m.load(kCode, {
        0xd53be041,  // +0x0  mrs x1, CNTVCT_EL0
        0xd2800c89,  // +0x4  mov x9, #100
        0xf1000529,  // +0x8  subs x9, x9, #1
        0x54ffffe1,  // +0xc  b.ne 0x8
        0xd53be042,  // +0x10 mrs x2, CNTVCT_EL0
        0xd53be003,  // +0x14 mrs x3, CNTFRQ_EL0
        0xd53be027,  // +0x18 mrs x7, CNTPCT_EL0
        0xd51be344,  // +0x1c msr CNTV_CVAL_EL0, x4
        0xd51be325,  // +0x20 msr CNTV_CTL_EL0, x5
        0xd53be326,  // +0x24 mrs x6, CNTV_CTL_EL0
        0xd53800a0,  // +0x28 mrs x0, MPIDR_EL1
        0xd503207f,  // +0x2c wfi
    });
    m.cpu->set_x(4, 150);  // CVAL: met once 150 instructions have run
    m.cpu->set_x(5, 1);    // ENABLE
    m.cpu->set_pc(kCode);
    CHECK(m.run_until_halt(7).kind == HaltKind::Idle);
    CHECK(m.cpu->x(3) == 62'500'000);
    CHECK(m.cpu->x(2) > m.cpu->x(1) + 200);   // 100 iterations of 2 instructions in between
    CHECK(m.cpu->x(2) < m.cpu->x(1) + 220);
    CHECK(m.cpu->x(7) >= m.cpu->x(2));
    CHECK(m.cpu->x(7) <= m.cpu->instructions());
    CHECK(m.cpu->x(6) == (Arm64GenericTimer::kCtlEnable | Arm64GenericTimer::kCtlIstatus));
    CHECK(m.cpu->timer().virtual_pending(m.cpu->instructions()));
    CHECK(m.cpu->x(0) == (0x80000000u | index));
    return std::array<uint64_t, 3>{m.cpu->x(1), m.cpu->x(2), m.cpu->x(7)};
  };
  auto a = run_once(0);
  auto b = run_once(3);
  CHECK(a == b);  // identical on a second engine: no host clock involved
}

TEST_CASE("arm64 registers: batch access, banked SP, snapshot, power_on") {
  TestMachine m(2);
  CHECK(m.cpu->mpidr() == 2);
  CHECK(m.cpu->sysreg(Arm64SysReg::MPIDR_EL1) == 0x80000002);
  Arm64Regs r = m.cpu->regs();
  CHECK(r.pstate == 0x400003c5);  // Unicorn's reset: EL1h, DAIF masked, Z set
  for (unsigned n = 0; n < 31; ++n) r.x[n] = 0x1000 + n;
  r.sp = kStackEl1;
  r.pc = kCode + 0x40;
  r.pstate = 0x600003c5;
  m.cpu->set_regs(r);
  Arm64Regs back = m.cpu->regs();
  CHECK(back.x == r.x);
  CHECK(back.sp == kStackEl1);
  CHECK(back.pc == kCode + 0x40);
  CHECK(back.pstate == 0x600003c5);
  CHECK(m.cpu->x(30) == 0x101e);
  CHECK(m.cpu->sysreg(Arm64SysReg::SP_EL1) == kStackEl1);
  m.cpu->set_sysreg(Arm64SysReg::SP_EL0, kStackEl0);
  CHECK(m.cpu->sysreg(Arm64SysReg::SP_EL0) == kStackEl0);
  CHECK(m.cpu->sp() == kStackEl1);

  m.cpu->set_sysreg(Arm64SysReg::TTBR1_EL1, 0x40050000);
  CpuSnapshot s = m.cpu->snapshot();
  CHECK(s.pc == VirtAddr(kCode + 0x40));
  CHECK(s.privilege == 1);
  CHECK(!s.mmu_on);
  CHECK(s.translation_root == 0x40050000);
  CHECK(s.sp == kStackEl1);

  m.load(kCode + 0x100, {
      0xaa0003e1,  // +0x0 mov x1, x0
      0xd5384242,  // +0x4 mrs x2, CurrentEL
      0xd503207f,  // +0x8 wfi
  });
  m.cpu->power_on(kCode + 0x100, 0xc0ffee);
  CHECK((m.cpu->pstate() & 0x3ff) == 0x3c5);
  CHECK(m.run_until_halt().kind == HaltKind::Idle);
  CHECK(m.cpu->x(1) == 0xc0ffee);
  CHECK(m.cpu->x(2) == 4);
  CHECK(m.cpu->x(5) == 0);  // power_on clears the other registers
}
