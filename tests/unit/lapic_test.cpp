#include "machine/devices/lapic.h"
#include <doctest/doctest.h>

using namespace kdsim;

namespace {
// ICR low values as Linux's apic_icr_write() composes them (arch/x86/include/asm/apicdef.h).
constexpr uint32_t kDmInit = 0x500, kDmStartup = 0x600, kDmNmi = 0x400, kIntAssert = 0x4000, kIntLevelTrig = 0x8000;
constexpr uint32_t kDestAllButSelf = 0xc0000, kDestSelf = 0x40000, kDestLogical = 0x800;

struct Fixture {
  LapicState s{4};
  unsigned current = 0;
  LocalApic apic{s, [this] { return current; }};
  void icr(unsigned dest, uint32_t low) {
    apic.write(lapic::kIcrHigh, 4, uint64_t{dest} << 24);
    apic.write(lapic::kIcrLow, 4, low);
  }
  uint32_t esr() {
    apic.write(lapic::kEsr, 4, 0);  // Linux: write, then read (apic_read(APIC_ESR) after apic_write)
    return static_cast<uint32_t>(apic.read(lapic::kEsr, 4));
  }
};
}  // namespace

TEST_CASE("local apic: banked ID, version, TPR, SVR, masked LVTs") {
  Fixture f;
  f.current = 2;
  CHECK(f.apic.read(lapic::kId, 4) == 2u << 24);
  CHECK(f.apic.read(lapic::kVersion, 4) == 0x50014);
  f.apic.write(lapic::kTpr, 4, 0x20);
  f.apic.write(lapic::kSvr, 4, 0x1ff);  // APIC_SPIV_APIC_ENABLED | spurious vector 0xff
  CHECK(f.apic.read(lapic::kTpr, 4) == 0x20);
  CHECK(f.apic.read(lapic::kSvr, 4) == 0x1ff);
  f.current = 1;
  CHECK(f.apic.read(lapic::kId, 4) == 1u << 24);
  CHECK(f.apic.read(lapic::kTpr, 4) == 0);
  CHECK(f.apic.read(lapic::kSvr, 4) == 0xff);  // reset value
  CHECK(f.apic.read(0x320, 4) == 0x10000);      // LVT timer: masked
}

TEST_CASE("local apic: INIT, INIT de-assert, STARTUP as wakeup_secondary_cpu_via_init sends them") {
  Fixture f;
  f.icr(3, kIntLevelTrig | kIntAssert | kDmInit);
  CHECK(f.s.cpu(3).init);
  CHECK_FALSE(f.s.cpu(1).init);
  f.s.cpu(3).init = false;  // the machine took it
  f.icr(3, kIntLevelTrig | kDmInit);  // de-assert: nothing happens
  CHECK_FALSE(f.s.has_pending(3));
  f.icr(3, kDmStartup | 0x9f);  // trampoline at 0x9f000
  REQUIRE(f.s.cpu(3).startup_vector);
  CHECK(*f.s.cpu(3).startup_vector == 0x9f);
  CHECK((f.apic.read(lapic::kIcrLow, 4) & (1u << 12)) == 0);  // APIC_ICR_BUSY never set
  CHECK(f.esr() == 0);
}

TEST_CASE("local apic: NMI to all but self reaches every other CPU (nmi_shootdown_cpus)") {
  Fixture f;
  f.current = 2;
  f.apic.write(lapic::kIcrLow, 4, kDestAllButSelf | kDmNmi | 2);  // NMI_VECTOR
  for (unsigned i = 0; i < 4; ++i) CHECK(f.s.cpu(i).nmi == (i != 2));
}

TEST_CASE("local apic: fixed IPIs by physical ID, flat logical mask and to self, held by TPR") {
  Fixture f;
  f.icr(1, 0x40);
  CHECK(f.s.deliverable_vector(1) == 0x40);
  f.current = 1;
  f.apic.write(lapic::kTpr, 4, 0x40);  // class 4 blocked
  CHECK_FALSE(f.s.deliverable_vector(1));
  f.apic.write(lapic::kTpr, 4, 0x30);
  CHECK(f.s.deliverable_vector(1) == 0x40);
  f.current = 0;
  f.s.cpu(2).ldr = 0x04u << 24;
  f.icr(0x04, kDestLogical | 0x41);
  CHECK(f.s.cpu(2).irr.test(0x41));
  f.apic.write(lapic::kIcrLow, 4, kDestSelf | 0x42);
  CHECK(f.s.cpu(0).irr.test(0x42));
}

TEST_CASE("local apic: what no CPU accepts is an ESR error on the sender, never an abort") {
  Fixture f;
  f.icr(7, kDmStartup | 0x9f);  // SIPI to an APIC ID nobody has
  CHECK(f.esr() == lapic::kEsrSendAccept);
  CHECK(f.esr() == 0);  // latched once, then cleared
  f.icr(1, 0x05);       // fixed vector below 16
  CHECK(f.esr() == lapic::kEsrSendIllegalVector);
  CHECK_FALSE(f.s.has_pending(1));
  f.icr(1, 0x100 | 0x40);  // lowest priority: not modelled
  CHECK(f.esr() == lapic::kEsrSendAccept);
  f.apic.write(lapic::kDfr, 4, 0x0fffffff);  // cluster model
  f.icr(1, kDestLogical | 0x40);
  CHECK(f.esr() == lapic::kEsrSendAccept);
  CHECK(f.s.undeliverable() == 4);
  f.icr(0xff, kDmNmi | 2);  // physical broadcast includes self
  for (unsigned i = 0; i < 4; ++i) CHECK(f.s.cpu(i).nmi);
}
