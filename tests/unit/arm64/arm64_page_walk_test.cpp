// The host-side AArch64 stage-1 walk (4 KiB granule) against tables built in RAM.
#include "machine/cpu/arm64/arm64_page_walk.h"
#include "machine/ram.h"
#include <doctest/doctest.h>

using namespace kdsim;

namespace {

constexpr uint64_t kRamBase = 0x40000000;
constexpr uint64_t kTable = 3;  // valid + table (levels 0-2), valid + page (level 3)
constexpr uint64_t kBlock = 1;  // valid block (levels 1-2)

struct Tables {
  std::unique_ptr<Ram> ram;
  Tables() {
    auto r = Ram::create({{PhysAddr(kRamBase), 16ull << 20}});
    REQUIRE(bool(r));
    ram = std::move(*r);
  }
  void set(uint64_t table, unsigned index, uint64_t descriptor) {
    REQUIRE(!ram->write(PhysAddr(table + 8ull * index), {reinterpret_cast<const uint8_t*>(&descriptor), 8}));
  }
};

// TCR_EL1 with T0SZ = T1SZ = 16 (48-bit VAs), TG0 = 4 KiB (0b00), TG1 = 4 KiB (0b10).
constexpr uint64_t kTcr48 = 16 | (16ull << 16) | (2ull << 30);

}  // namespace

TEST_CASE("arm64 page walk: MMU off is flat; 4 KiB pages and 2 MiB / 1 GiB blocks through TTBR0 and TTBR1") {
  Tables t;
  const uint64_t l0 = kRamBase + 0x1000, l1 = kRamBase + 0x2000, l2 = kRamBase + 0x3000, l3 = kRamBase + 0x4000;
  const uint64_t l0_hi = kRamBase + 0x5000, l1_hi = kRamBase + 0x6000;
  t.set(l0, 0, l1 | kTable);
  t.set(l1, 1, l2 | kTable);                 // VA [1 GiB, 2 GiB)
  t.set(l2, 0, l3 | kTable);                 // VA [1 GiB, +2 MiB)
  t.set(l3, 5, 0x40abc000 | kTable);         // VA 0x40005000 -> PA 0x40abc000
  t.set(l2, 3, 0x40600000 | kBlock);         // VA 0x40600000 (2 MiB block) -> PA 0x40600000
  t.set(l0_hi, 511, l1_hi | kTable);         // 0xffff8000_00000000 + 511 * 512 GiB
  t.set(l1_hi, 0, 0x40000000 | kBlock);      // 1 GiB block
  const arm64::TranslationRegs on{.sctlr = 1, .tcr = kTcr48, .ttbr0 = l0, .ttbr1 = l0_hi};

  CHECK(arm64::translate(*t.ram, {.sctlr = 0}, 0x1234) == 0x1234u);
  CHECK(arm64::translate(*t.ram, on, 0x40005678) == 0x40abc678u);
  CHECK(arm64::translate(*t.ram, on, 0x40612345) == 0x40612345u);
  CHECK(arm64::translate(*t.ram, on, 0xffffff8000123456) == 0x40123456u);
  CHECK_FALSE(arm64::translate(*t.ram, on, 0x40006000));          // invalid level-3 entry
  CHECK_FALSE(arm64::translate(*t.ram, on, 0x0001000000000000));  // above the 48-bit lower half
  const arm64::TranslationRegs epd1{.sctlr = 1, .tcr = kTcr48 | (1ull << 23), .ttbr0 = l0, .ttbr1 = l0_hi};
  CHECK_FALSE(arm64::translate(*t.ram, epd1, 0xffffff8000123456));  // TTBR1 walks disabled
}

TEST_CASE("arm64 page walk: a 39-bit VA space starts at level 1") {
  Tables t;
  const uint64_t l1 = kRamBase + 0x1000;
  t.set(l1, 1, 0x40000000 | kBlock);
  const arm64::TranslationRegs regs{.sctlr = 1, .tcr = 25 | (25ull << 16) | (2ull << 30), .ttbr0 = l1};
  CHECK(arm64::translate(*t.ram, regs, 0x40001234) == 0x40001234u);
  CHECK_FALSE(arm64::translate(*t.ram, regs, 0x8000000000));  // bit 39 set: outside T0SZ 25
}
