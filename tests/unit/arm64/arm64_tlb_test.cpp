// Arm64Cpu SMP coherence: `tlbi vmalle1is` and `ic` reach the peer engines.
#include "arm64_test_machine.h"

using namespace kdsim;
using namespace kdsim::test;

namespace {
constexpr uint64_t kL2Table = kTables + 0x1000;
constexpr uint64_t kDataVa = 0x80000000;
constexpr uint64_t kOldPa = 0x40400000, kNewPa = 0x40600000;
constexpr uint64_t kBlockAttrs = 1 | (1u << 10) | (3u << 8);  // block, AF, inner shareable
constexpr uint64_t kReader = kCode + 0x100, kWriter = kCode + 0x200;

enum class Instruction { Broadcast, LocalOnly };

// Returns what CPU B reads through kDataVa after CPU A remapped it.
uint64_t read_after_remap(Instruction which, bool peers) {
  TestMachine m;
  auto b = m.make_cpu(1);
  if (peers) {
    m.cpu->set_peers({m.cpu.get(), b.get()});
    b->set_peers({m.cpu.get(), b.get()});
  }
  m.poke64(kTables + 8 * 2, kL2Table | 3);  // L1[2]: table for VA [2 GiB, 3 GiB)
  m.poke64(kL2Table, kOldPa | kBlockAttrs);
  m.poke64(kOldPa, 0xaaaa);
  m.poke64(kNewPa, 0xbbbb);
  m.load(kReader, {
      0xf9400022,  // +0x0 ldr x2, [x1]
      0xd503207f,  // +0x4 wfi
  });
  m.load(kWriter, {
      0xf9000083,                                                // +0x0 str x3, [x4]
      0xd5033b9f,                                                // +0x4 dsb ish
      which == Instruction::Broadcast ? 0xd508831fu : 0xd508871fu,  // +0x8 tlbi vmalle1is / vmalle1
      0xd5033b9f,                                                // +0xc dsb ish
      0xd503207f,                                                // +0x10 wfi
  });
  m.enable_identity_mmu();
  std::swap(m.cpu, b);
  m.enable_identity_mmu();
  std::swap(m.cpu, b);

  b->set_x(1, kDataVa);
  b->set_pc(kReader);
  CHECK(b->run(1000).kind == HaltKind::Idle);
  CHECK(b->x(2) == 0xaaaa);  // B now caches the old translation

  m.cpu->set_x(3, kNewPa | kBlockAttrs);
  m.cpu->set_x(4, kL2Table);
  m.cpu->set_pc(kWriter);
  CHECK(m.cpu->run(1000).kind == HaltKind::Idle);

  b->set_pc(kReader);
  CHECK(b->run(1000).kind == HaltKind::Idle);
  return b->x(2);
}
}  // namespace

TEST_CASE("arm64 tlbi vmalle1is reaches peer CPUs; a local tlbi does not") {
  CHECK(read_after_remap(Instruction::Broadcast, true) == 0xbbbb);
  CHECK(read_after_remap(Instruction::LocalOnly, true) == 0xaaaa);   // stale, as on hardware
  CHECK(read_after_remap(Instruction::Broadcast, false) == 0xaaaa);  // no peers: nobody told
}

namespace {
// Returns what CPU B's function computes after CPU A patched it and ran `ic ialluis`.
uint64_t run_after_patch(bool peers) {
  TestMachine m;
  auto b = m.make_cpu(1);
  if (peers) {
    m.cpu->set_peers({m.cpu.get(), b.get()});
    b->set_peers({m.cpu.get(), b.get()});
  }
  m.load(kReader, {
      0xd2800022,  // +0x0 mov x2, #1
      0xd503207f,  // +0x4 wfi
  });
  m.load(kWriter, {
      0xb9000083,  // +0x0 str w3, [x4]
      0xd508711f,  // +0x4 ic ialluis
      0xd503207f,  // +0x8 wfi
  });
  b->set_pc(kReader);
  CHECK(b->run(1000).kind == HaltKind::Idle);
  CHECK(b->x(2) == 1);  // B has translated the old code
  m.cpu->set_x(3, 0xd2800042);  // mov x2, #2
  m.cpu->set_x(4, kReader);
  m.cpu->set_pc(kWriter);
  CHECK(m.cpu->run(1000).kind == HaltKind::Idle);
  b->set_pc(kReader);
  CHECK(b->run(1000).kind == HaltKind::Idle);
  return b->x(2);
}
}  // namespace

TEST_CASE("arm64 ic ialluis makes peer CPUs drop stale translated code") {
  CHECK(run_after_patch(true) == 2);
  CHECK(run_after_patch(false) == 1);  // without the broadcast B keeps running the old code
}
