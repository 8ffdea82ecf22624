// The machine's run loop: round-robin slices over several CPUs, the instruction limit, and
// PSCI CPU_ON through a real `hvc` from the guest.
#include "machine/cpu/arm64/arm64_cpu.h"
#include "machine/machine.h"
#include "tests/unit/null_observer.h"
#include <doctest/doctest.h>
#include <cstring>

using namespace kdsim;

namespace {

using Quiet = test::NullObserver;

constexpr uint64_t kCpu0Code = 0x40000000, kCpu1Code = 0x40001000, kMailbox = 0x40001800;

// CPU 0 starts CPU 1 at kCpu1Code with context 0x77, then counts in x5 forever.
constexpr uint32_t kCpu0[] = {
    0xd2800060,  // mov  x0, #3
    0xf2b88000,  // movk x0, #0xc400, lsl #16   (PSCI CPU_ON, SMC64: 0xc4000003)
    0xd2800021,  // mov  x1, #1                 (target MPIDR)
    0xd2820002,  // mov  x2, #0x1000
    0xf2a80002,  // movk x2, #0x4000, lsl #16   (entry 0x40001000)
    0xd2800ee3,  // mov  x3, #0x77              (context -> x0 of CPU 1)
    0xd4000002,  // hvc  #0
    0x910004a5,  // add  x5, x5, #1
    0x17ffffff,  // b    .-4
};
// CPU 1 stores its x0 into the mailbox, then counts in x6 forever.
constexpr uint32_t kCpu1[] = {
    0xd2820002,  // mov  x2, #0x1000
    0xf2a80002,  // movk x2, #0x4000, lsl #16
    0xf9040040,  // str  x0, [x2, #0x800]
    0x910004c6,  // add  x6, x6, #1
    0x17ffffff,  // b    .-4
};

struct Run {
  uint64_t total, cpu0, cpu1, mailbox, psci_result;
};

Run run_two_cpus(uint64_t limit, uint64_t quantum) {
  Quiet quiet;
  auto m = Machine::create({.arch = Arch::Arm64, .ram_size = 64ull << 20, .cpus = 2, .quantum = quantum}, quiet);
  REQUIRE(bool(m));
  REQUIRE(!(*m)->ram().write(PhysAddr(kCpu0Code), {reinterpret_cast<const uint8_t*>(kCpu0), sizeof kCpu0}));
  REQUIRE(!(*m)->ram().write(PhysAddr(kCpu1Code), {reinterpret_cast<const uint8_t*>(kCpu1), sizeof kCpu1}));
  (*m)->cpu(0).set_pc(kCpu0Code);
  (*m)->start_cpu(0);
  RunStop stop = (*m)->run(limit);
  CHECK(stop.cause == StopCause::InstructionLimit);
  uint64_t mailbox = 0;
  std::memcpy(&mailbox, (*m)->ram().host_ptr(PhysAddr(kMailbox), 8), 8);
  return {(*m)->instructions(), (*m)->cpu(0).instructions(), (*m)->cpu(1).instructions(), mailbox,
          static_cast<Arm64Cpu&>((*m)->cpu(0)).x(0)};
}

}  // namespace

TEST_CASE("machine: PSCI CPU_ON from the guest starts CPU 1 with its context; slices alternate") {
  Run r = run_two_cpus(1'000'000, 10'000);
  CHECK(r.psci_result == 0);  // PSCI_SUCCESS in x0
  CHECK(r.mailbox == 0x77);   // CPU 1 got the context in x0
  // The limit is checked after each slice: it overshoots by less than one slice (+ one block).
  CHECK(r.total >= 1'000'000);
  CHECK(r.total < 1'000'000 + 10'000 + 16);
  // Round-robin with equal quanta: the CPUs differ by at most about one slice.
  CHECK(r.cpu0 + r.cpu1 == r.total);
  CHECK((r.cpu0 > r.cpu1 ? r.cpu0 - r.cpu1 : r.cpu1 - r.cpu0) <= 10'000 + 16);
}

TEST_CASE("machine: the same run twice gives the same per-CPU instruction counts") {
  Run a = run_two_cpus(300'000, 7'000);
  Run b = run_two_cpus(300'000, 7'000);
  CHECK(a.cpu0 == b.cpu0);
  CHECK(a.cpu1 == b.cpu1);
}

TEST_CASE("machine: refuses CPU counts and RAM sizes it cannot build, with the values") {
  Quiet quiet;
  auto cpus = Machine::create({.arch = Arch::Arm64, .ram_size = 64ull << 20, .cpus = 9}, quiet);
  REQUIRE(!cpus);
  CHECK(toString(cpus.takeError()) == "machine.cpus: 9 is not between 1 and 8");
  auto ram = Machine::create({.arch = Arch::X86_64, .ram_size = (64ull << 20) + 4096, .cpus = 1}, quiet);
  REQUIRE(!ram);
  CHECK(toString(ram.takeError()) ==
        "machine.memory: 0x4001000 bytes is not a multiple of 2 MiB between 16 MiB and 1 TiB");
}

TEST_CASE("machine: an SGI through the GICv2 subset wakes CPU 1 from wfi and is acknowledged at GICC_IAR") {
  constexpr uint32_t cpu0[] = {
      0xd2a1000a,  // mov  x10, #0x08000000        (GICD)
      0x5280002b,  // mov  w11, #1
      0xb900014b,  // str  w11, [x10]              GICD_CTLR = 1
      0xd2800060,  // mov  x0, #3
      0xf2b88000,  // movk x0, #0xc400, lsl #16    PSCI CPU_ON
      0xd2800021,  // mov  x1, #1
      0xd2820002,  // mov  x2, #0x1000
      0xf2a80002,  // movk x2, #0x4000, lsl #16    entry 0x40001000
      0xd2800003,  // mov  x3, #0
      0xd4000002,  // hvc  #0
      0xd280fa04,  // mov  x4, #2000               (let CPU 1 reach its wfi)
      0xf1000484,  // subs x4, x4, #1
      0x54ffffe1,  // b.ne .-4
      0x5280002b,  // mov  w11, #1                 SGI 1
      0x72a0200b,  // movk w11, #0x0100, lsl #16   TargetListFilter 1: all but self
      0xb90f014b,  // str  w11, [x10, #0xf00]      GICD_SGIR
      0x910004a5,  // add  x5, x5, #1
      0x17ffffff,  // b    .-4
  };
  constexpr uint32_t cpu1[] = {
      0xd2840009,  // mov  x9, #0x2000
      0xf2a80009,  // movk x9, #0x4000, lsl #16
      0xd518c009,  // msr  vbar_el1, x9
      0xd2a1002a,  // mov  x10, #0x08010000        (GICC)
      0x5280002b,  // mov  w11, #1
      0xb900014b,  // str  w11, [x10]              GICC_CTLR = 1
      0xd50342ff,  // msr  daifclr, #2             unmask IRQs
      0xd503207f,  // wfi
      0x17ffffff,  // b    .-4
  };
  constexpr uint32_t irq[] = {  // VBAR + 0x280: IRQ, current EL with SPx
      0xd2a1002a,  // mov  x10, #0x08010000
      0xb9400d4c,  // ldr  w12, [x10, #0xc]        GICC_IAR
      0xd283000d,  // mov  x13, #0x1800
      0xf2a8000d,  // movk x13, #0x4000, lsl #16
      0xf90001ac,  // str  x12, [x13]              mailbox
      0xb900114c,  // str  w12, [x10, #0x10]       GICC_EOIR
      0xd69f03e0,  // eret
  };
  Quiet quiet;
  auto m = Machine::create({.arch = Arch::Arm64, .ram_size = 64ull << 20, .cpus = 2, .quantum = 10'000}, quiet);
  REQUIRE(bool(m));
  auto put = [&](uint64_t pa, const auto& words) {
    REQUIRE(!(*m)->ram().write(PhysAddr(pa), {reinterpret_cast<const uint8_t*>(words), sizeof words}));
  };
  put(kCpu0Code, cpu0);
  put(kCpu1Code, cpu1);
  put(0x40002280, irq);
  uint64_t none = 0xdead;
  REQUIRE(!(*m)->ram().write(PhysAddr(kMailbox), {reinterpret_cast<const uint8_t*>(&none), 8}));
  (*m)->cpu(0).set_pc(kCpu0Code);
  (*m)->start_cpu(0);
  CHECK((*m)->run(500'000).cause == StopCause::InstructionLimit);
  uint64_t mailbox = 0;
  std::memcpy(&mailbox, (*m)->ram().host_ptr(PhysAddr(kMailbox), 8), 8);
  CHECK(mailbox == 1);  // GICC_IAR: SGI 1 from CPU 0 (CPUID field 0)
  CHECK((*m)->cpu(1).pc() == kCpu1Code + 0x20);  // back in its wfi loop after the eret
}

TEST_CASE("machine: serial input reaches the UART at the first block boundary at or after its machine time") {
  struct SerialSeen : test::NullObserver {
    std::vector<uint64_t> at;
    std::vector<SerialRx> input;
    void serial_input_delivered(uint64_t when, std::span<const SerialRx> in) override {
      at.push_back(when);
      input.assign(in.begin(), in.end());
    }
  };
  constexpr uint32_t kCount[] = {
      0x910004a5,  // add  x5, x5, #1
      0x17ffffff,  // b    .-4
  };
  auto run_once = [&](uint64_t at) {
    SerialSeen seen;
    auto m = Machine::create({.arch = Arch::Arm64, .ram_size = 64ull << 20, .cpus = 1}, seen);
    REQUIRE(bool(m));
    REQUIRE(!(*m)->ram().write(PhysAddr(kCpu0Code), {reinterpret_cast<const uint8_t*>(kCount), sizeof kCount}));
    (*m)->cpu(0).set_pc(kCpu0Code);
    (*m)->start_cpu(0);
    (*m)->schedule_serial_input(at, {SerialRx{.ch = 0, .brk = true}, SerialRx{.ch = 'c', .brk = false}});
    CHECK((*m)->run(3 * at).cause == StopCause::InstructionLimit);
    REQUIRE(seen.at.size() == 1);
    REQUIRE(seen.input.size() == 2);
    CHECK(seen.input[0].brk);
    CHECK(seen.input[1].ch == 'c');
    return seen.at[0];
  };
  const uint64_t first = run_once(1'000'001);
  CHECK(first >= 1'000'001);
  CHECK(first <= 1'000'001 + std::size(kCount));  // at most one translated block late
  CHECK(run_once(1'000'001) == first);            // and the same on every run
}
