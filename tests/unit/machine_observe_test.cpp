// What the machine observes by itself: the kexec hand-off (PCs entering the purgatory and the
// next kernel's entry, through bounded block watches) and spins (repeated registers with no
// store and no device access in between), for guest code that reports nothing.
#include "machine/machine.h"
#include "tests/unit/null_observer.h"
#include <doctest/doctest.h>
#include <vector>

using namespace kdsim;

namespace {

struct Recorder final : test::NullObserver {
  std::vector<StageRecord> stages;
  void stage_recorded(const StageRecord& r) override { stages.push_back(r); }
};

constexpr uint64_t kRam = 0x40000000;

struct Guest {
  Recorder recorder;
  std::unique_ptr<Machine> machine;
  explicit Guest(Arch arch) {
    auto m = Machine::create({.arch = arch, .ram_size = 64ull << 20, .cpus = 1}, recorder);
    REQUIRE(bool(m));
    machine = std::move(*m);
  }
  void put(uint64_t pa, std::vector<uint32_t> words) {
    REQUIRE(!machine->ram().write(PhysAddr(pa), {reinterpret_cast<const uint8_t*>(words.data()), words.size() * 4}));
  }
  void put_bytes(uint64_t pa, std::vector<uint8_t> bytes) { REQUIRE(!machine->ram().write(PhysAddr(pa), bytes)); }
  RunStop run_from(uint64_t pc, uint64_t limit) {
    machine->cpu(0).set_pc(pc);
    machine->start_cpu(0);
    return machine->run(limit);
  }
  std::vector<std::string> observed() const {
    std::vector<std::string> names;
    for (const StageRecord& r : recorder.stages)
      if (r.observed) names.emplace_back(*stage_name(r.code, Arch::Arm64));
    return names;
  }
};

// arm64 encodings used below.
constexpr uint32_t kBranchSelf = 0x14000000;    // b .
constexpr uint32_t kBranchBack1 = 0x17ffffff;   // b .-4
constexpr uint32_t kStoreXzrX2 = 0xf900005f;    // str xzr, [x2]
constexpr uint32_t kLoadW5X3 = 0xb9400065;      // ldr w5, [x3]
constexpr uint32_t kMovX2Ram = 0xd2a80002;      // movz x2, #0x4000, lsl #16  (RAM)
constexpr uint32_t kMovX3Uart = 0xd2a12003;     // movz x3, #0x0900, lsl #16  (PL011)
constexpr uint32_t branch(int64_t bytes) { return 0x14000000u | (static_cast<uint32_t>(bytes / 4) & 0x3ffffff); }

}  // namespace

TEST_CASE("spin: `b .` on arm64 and `jmp .` on x86_64 stop the machine within a few windows") {
  Guest a(Arch::Arm64);
  a.put(kRam + 0x1000, {kBranchSelf});
  RunStop stop = a.run_from(kRam + 0x1000, 1'000'000'000);
  CHECK(stop.cause == StopCause::Spin);
  CHECK(a.machine->instructions() <= 4 * Machine::kSpinWindow);
  CHECK(stop.detail == "cpu0 spins at PC V0x40001000: the same registers 1048576 instructions apart, no store and "
                       "no device access in between");

  Guest x(Arch::X86_64);
  x.put_bytes(0x200000, {0xeb, 0xfe});  // jmp .
  stop = x.run_from(0x200000, 1'000'000'000);
  CHECK(stop.cause == StopCause::Spin);
  CHECK(x.machine->instructions() <= 4 * Machine::kSpinWindow);
}

TEST_CASE("spin: a loop that stores, or polls a device, is not a spin") {
  Guest stores(Arch::Arm64);
  stores.put(kRam + 0x1000, {kMovX2Ram, kStoreXzrX2, kBranchBack1});  // same registers, but it stores
  CHECK(stores.run_from(kRam + 0x1000, 6 * Machine::kSpinWindow).cause == StopCause::InstructionLimit);

  Guest polls(Arch::Arm64);
  polls.put(kRam + 0x1000, {kMovX3Uart, kLoadW5X3, kBranchBack1});  // reads the UART's data register
  CHECK(polls.run_from(kRam + 0x1000, 6 * Machine::kSpinWindow).cause == StopCause::InstructionLimit);
}

TEST_CASE("kexec watch: entering the purgatory and reaching the next kernel are observed, with the verdict") {
  constexpr uint64_t kStart = kRam + 0x1000, kPurgatory = kRam + 0x100000, kEntry = kRam + 0x200000;
  for (bool verify : {true, false}) {
    Guest g(Arch::Arm64);
    g.put(kStart, {branch(kPurgatory - kStart)});
    g.put(kPurgatory, {branch(kEntry - kPurgatory)});
    g.put(kEntry, {kBranchSelf});
    g.machine->watch_kexec({.purgatory = {PhysAddr(kPurgatory), 0x1000}, .next_entry = PhysAddr(kEntry),
                            .verify_digest = verify});
    RunStop stop = g.run_from(kStart, 1'000'000'000);
    CHECK(stop.cause == StopCause::Spin);  // the "next kernel" is `b .`
    CHECK(g.observed() == std::vector<std::string>{"purgatory_entry", "next_kernel_entry",
                                                   verify ? "digest_ok" : "digest_skipped"});
    CHECK(g.recorder.stages.at(0).state.pc == VirtAddr(kPurgatory));
    CHECK(g.recorder.stages.at(1).state.pc == VirtAddr(kEntry));
    CHECK(g.machine->handoff().next_kernel_entered);
    CHECK_FALSE(g.machine->handoff().in_purgatory(VirtAddr(kEntry)));
  }
}

TEST_CASE("kexec watch: a purgatory that spins with checks on is a digest mismatch, observed") {
  constexpr uint64_t kStart = kRam + 0x1000, kPurgatory = kRam + 0x100000, kEntry = kRam + 0x200000;
  Guest g(Arch::Arm64);
  g.put(kStart, {branch(kPurgatory - kStart)});
  g.put(kPurgatory, {kBranchSelf});
  g.machine->watch_kexec({.purgatory = {PhysAddr(kPurgatory), 0x1000}, .next_entry = PhysAddr(kEntry)});
  RunStop stop = g.run_from(kStart, 1'000'000'000);
  CHECK(stop.cause == StopCause::Spin);
  CHECK(g.machine->handoff().in_purgatory(VirtAddr(g.machine->cpu(0).pc())));
  CHECK(g.observed() == std::vector<std::string>{"purgatory_entry", "digest_mismatch"});
}

TEST_CASE("kexec watch: a purgatory that faults stops the machine while the hand-off says it is inside") {
  constexpr uint64_t kStart = kRam + 0x1000, kPurgatory = kRam + 0x100000, kEntry = kRam + 0x200000;
  Guest g(Arch::Arm64);
  g.put(kStart, {branch(kPurgatory - kStart)});
  g.put(kPurgatory, {0xd2800001, 0xf9400020});  // mov x1, #0; ldr x0, [x1]: no RAM at 0, MMU off
  g.machine->watch_kexec({.purgatory = {PhysAddr(kPurgatory), 0x1000}, .next_entry = PhysAddr(kEntry)});
  RunStop stop = g.run_from(kStart, 1'000'000'000);
  CHECK(stop.cause == StopCause::GuestFault);  // the runner names it purgatory-fault
  CHECK(g.machine->handoff().in_purgatory(VirtAddr(g.machine->cpu(0).pc())));
  CHECK(g.observed() == std::vector<std::string>{"purgatory_entry"});
}

TEST_CASE("kexec watch: guest stores into a crash load's segments are recorded until the purgatory runs") {
  constexpr uint64_t kStart = kRam + 0x1000, kPurgatory = kRam + 0x100000, kEntry = kRam + 0x200000;
  const std::vector<PhysRange> segments{{PhysAddr(kRam), 0x1000}, {PhysAddr(kPurgatory), 0x1000}};
  Guest a(Arch::Arm64);
  // x2 = the first segment; store into it, enter the purgatory, store again there, spin.
  a.put(kStart, {kMovX2Ram, kStoreXzrX2, branch(kPurgatory - (kStart + 8))});
  a.put(kPurgatory, {kStoreXzrX2, kBranchSelf});
  a.machine->watch_kexec({.purgatory = {PhysAddr(kPurgatory), 0x1000}, .next_entry = PhysAddr(kEntry),
                          .segments = segments});
  CHECK(a.run_from(kStart, 1'000'000'000).cause == StopCause::Spin);
  const HandoffObservation& ha = a.machine->handoff();
  REQUIRE(ha.segment_stores.size() == 1);  // the purgatory's own store is not the guest's doing
  CHECK(ha.segment_store_count == 1);
  CHECK(ha.segment_stores[0].at == PhysAddr(kRam));
  CHECK(ha.segment_stores[0].size == 8);
  CHECK(ha.segment_stores[0].pc == VirtAddr(kStart + 4));
  CHECK(ha.segment_stores[0].cpu == 0);

  Guest x(Arch::X86_64);
  constexpr uint64_t kXStart = 0x200000, kXSegment = 0x300000, kXPurgatory = 0x400000;
  // mov qword [0x300000], 0; jmp kXPurgatory -- purgatory: the same store, then jmp .
  const std::vector<uint8_t> store{0x48, 0xc7, 0x04, 0x25, 0x00, 0x00, 0x30, 0x00, 0x00, 0x00, 0x00, 0x00};
  std::vector<uint8_t> code = store;
  const uint32_t rel = static_cast<uint32_t>(kXPurgatory - (kXStart + store.size() + 5));
  code.insert(code.end(), {0xe9, uint8_t(rel), uint8_t(rel >> 8), uint8_t(rel >> 16), uint8_t(rel >> 24)});
  x.put_bytes(kXStart, code);
  std::vector<uint8_t> purgatory = store;
  purgatory.insert(purgatory.end(), {0xeb, 0xfe});
  x.put_bytes(kXPurgatory, purgatory);
  x.machine->watch_kexec({.purgatory = {PhysAddr(kXPurgatory), 0x1000}, .next_entry = PhysAddr(0x500000),
                          .segments = {{PhysAddr(kXSegment), 0x1000}, {PhysAddr(kXPurgatory), 0x1000}}});
  CHECK(x.run_from(kXStart, 1'000'000'000).cause == StopCause::Spin);
  const HandoffObservation& hx = x.machine->handoff();
  REQUIRE(hx.segment_stores.size() == 1);
  CHECK(hx.segment_stores[0].at == PhysAddr(kXSegment));
  CHECK(hx.segment_stores[0].size == 8);
  CHECK(hx.segment_stores[0].pc == VirtAddr(kXStart));
}

TEST_CASE("kexec watch: a normal load (no segments given) records no stores") {
  constexpr uint64_t kStart = kRam + 0x1000, kPurgatory = kRam + 0x100000;
  Guest a(Arch::Arm64);
  a.put(kStart, {kMovX2Ram, kStoreXzrX2, branch(kPurgatory - (kStart + 8))});
  a.put(kPurgatory, {kBranchSelf});
  a.machine->watch_kexec({.purgatory = {PhysAddr(kPurgatory), 0x1000}, .next_entry = PhysAddr(kRam + 0x200000)});
  CHECK(a.run_from(kStart, 1'000'000'000).cause == StopCause::Spin);
  CHECK(a.machine->handoff().segment_store_count == 0);
}

namespace {
std::unique_ptr<Machine> debug_machine(Arch arch, Recorder& recorder) {
  auto m = Machine::create({.arch = arch, .ram_size = 64ull << 20, .cpus = 1, .debug = true}, recorder);
  REQUIRE(bool(m));
  return std::move(*m);
}
}  // namespace

TEST_CASE("debugger: a breakpoint stops before its instruction, a step runs exactly one, registers read") {
  Recorder recorder;
  auto m = debug_machine(Arch::Arm64, recorder);
  // mov x2, #0x4000 lsl 16; str xzr, [x2]; b .-4 (a loop that stores)
  const uint32_t code[] = {kMovX2Ram, kStoreXzrX2, kBranchBack1};
  REQUIRE(!m->ram().write(PhysAddr(kRam + 0x1000), {reinterpret_cast<const uint8_t*>(code), sizeof code}));
  m->cpu(0).set_pc(kRam + 0x1000);
  m->start_cpu(0);
  m->set_breakpoints({kRam + 0x1008});
  m->debug_resume(std::nullopt);
  RunStop stop = m->run(1'000'000);
  CHECK(stop.cause == StopCause::Debug);
  CHECK(m->cpu(0).pc() == kRam + 0x1008);
  // Resuming from the breakpoint runs it; a step then stops one instruction later.
  m->debug_resume(0u);
  stop = m->run(1'000'000);
  CHECK(stop.cause == StopCause::Debug);
  CHECK(m->cpu(0).pc() == kRam + 0x1004);  // the branch went back to the store
  m->debug_resume(0u);
  CHECK(m->run(1'000'000).cause == StopCause::Debug);
  CHECK(m->cpu(0).pc() == kRam + 0x1008);
  auto regs = m->cpu(0).registers();
  REQUIRE(regs.size() == 34);
  CHECK(std::string(regs[2].name) == "x2");
  CHECK(regs[2].value == kRam);
  CHECK(std::string(regs[32].name) == "pc");
  CHECK(regs[32].value == kRam + 0x1008);
  uint32_t word = 0;
  REQUIRE(m->cpu(0).read_virtual(kRam + 0x1004, {reinterpret_cast<uint8_t*>(&word), 4}));
  CHECK(word == kStoreXzrX2);
  uint8_t byte;
  CHECK_FALSE(m->cpu(0).read_virtual(0x1000, {&byte, 1}));  // no RAM there

  Recorder xr;
  auto x = debug_machine(Arch::X86_64, xr);
  const std::vector<uint8_t> nops{0x90, 0x90, 0x90, 0xeb, 0xfb};  // nop x3; jmp back to the first
  REQUIRE(!x->ram().write(PhysAddr(0x200000), nops));
  x->cpu(0).set_pc(0x200000);
  x->start_cpu(0);
  x->set_breakpoints({0x200002});
  x->debug_resume(std::nullopt);
  CHECK(x->run(1'000'000).cause == StopCause::Debug);
  CHECK(x->cpu(0).pc() == 0x200002);
  x->debug_resume(0u);
  CHECK(x->run(1'000'000).cause == StopCause::Debug);
  CHECK(x->cpu(0).pc() == 0x200003);
  auto xregs = x->cpu(0).registers();
  CHECK(std::string(xregs[16].name) == "rip");
  CHECK(xregs[16].value == 0x200003);
}
