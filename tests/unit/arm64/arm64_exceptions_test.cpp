// Arm64Cpu exception entry through the guest's VBAR_EL1, firmware calls and IRQ injection.
#include "arm64_test_machine.h"

using namespace kdsim;
using namespace kdsim::test;

namespace {

// Sync handler that records the exception registers and idles:
constexpr std::initializer_list<uint32_t> kRecordHandler = {
    0xd5385203,  // +0x0  mrs x3, ESR_EL1
    0xd5386004,  // +0x4  mrs x4, FAR_EL1
    0xd5384025,  // +0x8  mrs x5, ELR_EL1
    0xd5384006,  // +0xc  mrs x6, SPSR_EL1
    0xd503207f,  // +0x10 wfi
};
// Sync handler that records ESR/FAR/ELR, skips the faulting instruction and returns:
constexpr std::initializer_list<uint32_t> kSkipHandler = {
    0xd5385203,  // +0x0  mrs x3, ESR_EL1
    0xd5386004,  // +0x4  mrs x4, FAR_EL1
    0xd5384025,  // +0x8  mrs x5, ELR_EL1
    0x910010a6,  // +0xc  add x6, x5, #4
    0xd5184026,  // +0x10 msr ELR_EL1, x6
    0xd69f03e0,  // +0x14 eret
};

// Enters EL0t at kUser through a guest eret at kCode, with banked stacks set up.
void start_at_el0(TestMachine& m) {
  m.load(kCode, {0xd69f03e0});  // eret
  m.cpu->set_sysreg(Arm64SysReg::VBAR_EL1, kVbar);
  m.cpu->set_sp(kStackEl1);
  m.cpu->set_sysreg(Arm64SysReg::SP_EL0, kStackEl0);
  m.cpu->set_sysreg(Arm64SysReg::ELR_EL1, kUser);
  m.cpu->set_sysreg(Arm64SysReg::SPSR_EL1, 0);  // EL0t, DAIF clear
  m.cpu->set_pc(kCode);
}

}  // namespace

TEST_CASE("arm64 svc from EL0 reaches the lower-EL vector and erets back with SP banked") {
  TestMachine m;
  m.load(kUser, {
      0x910003e5,  // +0x0 mov x5, sp
      0xd4000841,  // +0x4 svc #0x42
      0x910003e6,  // +0x8 mov x6, sp
      0xd503207f,  // +0xc wfi
  });
  m.load(kVbar + kVecLowerSync, {
      0xd5385201,  // +0x0  mrs x1, ESR_EL1
      0xd5384022,  // +0x4  mrs x2, ELR_EL1
      0xd5384003,  // +0x8  mrs x3, SPSR_EL1
      0x910003e4,  // +0xc  mov x4, sp
      0xd5384248,  // +0x10 mrs x8, CurrentEL
      0xd69f03e0,  // +0x14 eret
  });
  start_at_el0(m);
  HaltReason h = m.run_until_halt();
  REQUIRE_MESSAGE(h.kind == HaltKind::Idle, h.detail);
  CHECK(m.cpu->x(1) == 0x56000042);  // EC 0x15 (SVC64), IL, imm16
  CHECK(m.cpu->x(2) == kUser + 8);    // preferred return: after the svc
  CHECK(m.cpu->x(3) == 0);            // SPSR: EL0t, DAIF clear
  CHECK(m.cpu->x(4) == kStackEl1);    // handler runs on SP_EL1
  CHECK(m.cpu->x(8) == 4);            // CurrentEL = EL1 (translated for EL1, not EL0)
  CHECK(m.cpu->x(5) == kStackEl0);
  CHECK(m.cpu->x(6) == kStackEl0);    // back on SP_EL0 after eret
  CHECK(m.cpu->pc() == kUser + 0x10);
  CHECK(m.cpu->snapshot().privilege == 0);
  CHECK(m.cpu->sysreg(Arm64SysReg::SP_EL1) == kStackEl1);
}

TEST_CASE("arm64 data abort: NULL dereference with the MMU on (lazy VA shadow) gets ESR and FAR") {
  TestMachine m;
  m.load(kCode, {
      0xf9400c22,  // +0x0 ldr x2, [x1, #24]
      0xd503207f,  // +0x4 wfi
  });
  m.load(kVbar + kVecCurSpxSync, kSkipHandler);
  m.cpu->set_sysreg(Arm64SysReg::VBAR_EL1, kVbar);
  m.enable_identity_mmu();
  m.cpu->set_x(1, 0);
  m.cpu->set_x(2, 0x5555);
  m.cpu->set_pc(kCode);
  HaltReason h = m.run_until_halt();
  REQUIRE_MESSAGE(h.kind == HaltKind::Idle, h.detail);
  CHECK(m.cpu->x(3) == 0x96000005);  // EC 0x25 (DABT, same EL), IL, level-1 translation fault
  CHECK(m.cpu->x(4) == 0x18);        // FAR
  CHECK(m.cpu->x(5) == kCode);       // ELR: the faulting load
  CHECK(m.cpu->x(2) == 0x5555);      // the load did not happen
  CHECK(m.cpu->pc() == kCode + 8);
  CHECK(m.cpu->snapshot().mmu_on);
}

TEST_CASE("arm64 aborts from EL0 and prefetch aborts use their own EC") {
  TestMachine m;
  m.load(kVbar + kVecLowerSync, kRecordHandler);
  m.load(kVbar + kVecCurSpxSync, kRecordHandler);
  m.enable_identity_mmu();
  SUBCASE("data abort from EL0: EC 0x24") {
    // AP = 0b11: read-only for EL1 and EL0, executable by both.
    m.poke64(kTables + 8, kRamBase | 1 | (1u << 10) | (3u << 8) | (3u << 6));
    m.cpu->set_sysreg(Arm64SysReg::TTBR0_EL1, kTables);  // (+ TLBI)
    m.load(kUser, {0xf9400c22});  // ldr x2, [x1, #24]
    m.cpu->set_x(1, 0x100);
    start_at_el0(m);
    HaltReason h = m.run_until_halt();
    REQUIRE_MESSAGE(h.kind == HaltKind::Idle, h.detail);
    CHECK(m.cpu->pc() == kVbar + kVecLowerSync + 0x14);
    CHECK(m.cpu->x(3) == 0x92000005);  // EC 0x24 (DABT, lower EL)
    CHECK(m.cpu->x(4) == 0x118);
    CHECK(m.cpu->x(5) == kUser);
    CHECK(m.cpu->x(6) == 0);           // SPSR: EL0t
  }
  SUBCASE("prefetch abort at EL1: EC 0x21, FAR = ELR = target") {
    m.load(kCode, {0xd61f0020});  // br x1
    m.cpu->set_sysreg(Arm64SysReg::VBAR_EL1, kVbar);
    m.cpu->set_x(1, 0x2000);
    m.cpu->set_pc(kCode);
    HaltReason h = m.run_until_halt();
    REQUIRE_MESSAGE(h.kind == HaltKind::Idle, h.detail);
    CHECK(m.cpu->x(3) == 0x86000005);
    CHECK(m.cpu->x(4) == 0x2000);
    CHECK(m.cpu->x(5) == 0x2000);
  }
}

TEST_CASE("arm64 undefined instruction and brk are taken with their syndromes") {
  TestMachine m;
  m.load(kVbar + kVecCurSpxSync, kSkipHandler);
  m.cpu->set_sysreg(Arm64SysReg::VBAR_EL1, kVbar);
  m.load(kCode, {
      0x00000000,  // +0x0 udf #0
      0xd503207f,  // +0x4 wfi
      0xd4200880,  // +0x8 brk #0x44
      0xd503207f,  // +0xc wfi
  });
  m.cpu->set_pc(kCode);
  HaltReason h = m.run_until_halt();
  REQUIRE_MESSAGE(h.kind == HaltKind::Idle, h.detail);
  CHECK(m.cpu->x(3) == 0x02000000);  // EC 0x00 (unknown), IL
  CHECK(m.cpu->x(5) == kCode);
  CHECK(m.cpu->pc() == kCode + 8);
  h = m.run_until_halt();
  REQUIRE_MESSAGE(h.kind == HaltKind::Idle, h.detail);
  CHECK(m.cpu->x(3) == 0xf2000044);  // EC 0x3c (BRK64), imm16
  CHECK(m.cpu->x(5) == kCode + 8);   // ELR: the brk itself
  CHECK(m.cpu->pc() == kCode + 0x10);
  CHECK(m.cpu->sysreg(Arm64SysReg::ESR_EL1) == 0xf2000044);
}

TEST_CASE("arm64 IRQ injection: refused while masked, handled and returned from when unmasked") {
  TestMachine m;
  m.load(kCode, {
      0x91000400,  // +0x0 add x0, x0, #1
      0x17ffffff,  // +0x4 b 0x0
  });
  m.load(kVbar + kVecCurSpxIrq, {
      0x91000529,  // +0x0 add x9, x9, #1
      0xd538402a,  // +0x4 mrs x10, ELR_EL1
      0xd538400b,  // +0x8 mrs x11, SPSR_EL1
      0xd69f03e0,  // +0xc eret
  });
  m.cpu->set_sysreg(Arm64SysReg::VBAR_EL1, kVbar);
  m.cpu->set_pc(kCode);
  CHECK(m.cpu->run(1000).kind == HaltKind::QuantumExpired);
  CHECK(!m.cpu->deliver_interrupt(0));  // reset state has DAIF masked
  CHECK(m.cpu->x(9) == 0);

  m.cpu->set_pstate(arm64_pstate::kEl1h);  // unmask
  for (int i = 1; i <= 3; ++i) {
    CHECK(m.cpu->run(1000).kind == HaltKind::QuantumExpired);
    uint64_t interrupted = m.cpu->pc();
    REQUIRE(m.cpu->deliver_interrupt(0));
    CHECK(m.cpu->pc() == kVbar + kVecCurSpxIrq);
    CHECK((m.cpu->pstate() & arm64_pstate::kDaif) == arm64_pstate::kDaif);
    uint64_t count = m.cpu->x(0);
    CHECK(m.cpu->run(1000).kind == HaltKind::QuantumExpired);
    CHECK(m.cpu->x(9) == uint64_t(i));
    CHECK(m.cpu->x(10) == interrupted);
    CHECK(m.cpu->x(11) == arm64_pstate::kEl1h);
    CHECK(m.cpu->x(0) > count);  // the loop continues after the eret
    CHECK((m.cpu->pstate() & arm64_pstate::kI) == 0);
  }
}

TEST_CASE("arm64 nested fault inside a handler arrives at the current-EL SPx vector") {
  TestMachine m;
  m.load(kUser, {0xd4000001});  // svc #0
  m.load(kVbar + kVecLowerSync, {
      0xd5385201,  // +0x0 mrs x1, ESR_EL1
      0x00000007,  // +0x4 udf #7
      0xd503207f,  // +0x8 wfi
  });
  m.load(kVbar + kVecCurSpxSync, kRecordHandler);
  start_at_el0(m);
  HaltReason h = m.run_until_halt();
  REQUIRE_MESSAGE(h.kind == HaltKind::Idle, h.detail);
  CHECK(m.cpu->pc() == kVbar + kVecCurSpxSync + 0x14);
  CHECK(m.cpu->x(1) == 0x56000000);                // the svc, seen by the first handler
  CHECK(m.cpu->x(3) == 0x02000000);                // the udf
  CHECK(m.cpu->x(5) == kVbar + kVecLowerSync + 4); // ELR: the udf inside the handler
  CHECK(m.cpu->x(6) == 0x3c5);                     // SPSR: EL1h, DAIF masked by the first entry
  CHECK(m.cpu->sp() == kStackEl1);
  CHECK(m.cpu->sysreg(Arm64SysReg::SP_EL0) == kStackEl0);
}

TEST_CASE("arm64 hvc and smc reach CpuHost::firmware_call with the immediate; x0 comes back") {
  TestMachine m;
  m.host.action = [](Arm64Cpu& c) {
    if (c.x(0) == 0x84000000) c.set_x(0, 2);  // PSCI_VERSION -> 0.2
  };
  m.load(kCode, {
      0xd4024682,  // +0x0 hvc #0x1234
      0xaa0003e1,  // +0x4 mov x1, x0
      0xd40008a3,  // +0x8 smc #0x45
      0xd503207f,  // +0xc wfi
  });
  m.cpu->set_x(0, 0x84000000);
  m.cpu->set_pc(kCode);
  HaltReason h = m.run_until_halt();
  REQUIRE_MESSAGE(h.kind == HaltKind::Idle, h.detail);
  REQUIRE(m.host.calls.size() == 2);
  CHECK(m.host.calls[0].conduit == FirmwareConduit::Hvc);
  CHECK(m.host.calls[0].imm == 0x1234);
  CHECK(m.host.calls[0].x0 == 0x84000000);
  CHECK(m.host.calls[0].pc == kCode + 4);
  CHECK(m.host.calls[1].conduit == FirmwareConduit::Smc);
  CHECK(m.host.calls[1].imm == 0x45);
  CHECK(m.host.calls[1].pc == kCode + 12);
  CHECK(m.cpu->x(1) == 2);
}

TEST_CASE("arm64 a fault on the vector itself is a GuestFault, not a hang") {
  TestMachine m;
  m.enable_identity_mmu();
  m.cpu->set_sysreg(Arm64SysReg::VBAR_EL1, 0x1000);  // VA with no translation
  m.load(kCode, {0x00000000});                        // udf #0
  m.cpu->set_pc(kCode);
  HaltReason h = m.cpu->run(100000);
  CHECK(h.kind == HaltKind::GuestFault);
  CHECK(h.detail.find("exception loop") != std::string::npos);
}

// Regression: mapping a VA shadow from the unmapped hook and retrying an instruction *fetch*
// crashed Unicorn 2.0.1 (cpu_ldl_code). The toy kernel hits this on its jump to the high VA.
TEST_CASE("arm64 a branch to a VA with no shadow yet runs the code the page tables map there") {
  TestMachine m;
  m.load(kCode, {
      0xd2802000,  // +0x0 mov x0, #0x100
      0xd61f0000,  // +0x4 br x0          (VA 0x100: no Unicorn region until the shadow)
  });
  m.load(kCode + 0x100, {
      0xd2800ee7,  // +0x100 mov x7, #0x77
      0xd503207f,  // +0x104 wfi
  });
  m.enable_identity_mmu();
  // A second level-1 block: VA [0, 1 GiB) -> the RAM GiB, so VA 0x100 runs PA kCode + 0x100.
  m.poke64(kTables, kRamBase | 1 | (1u << 10) | (3u << 8));
  m.cpu->set_pc(kCode);
  HaltReason h = m.run_until_halt();
  REQUIRE_MESSAGE(h.kind == HaltKind::Idle, h.detail);
  CHECK(m.cpu->x(7) == 0x77);
  CHECK(m.cpu->pc() == 0x108);
}
