// The workload fill (touch): deterministic, every page non-zero and different, nothing written
// outside the asked range, refused outside RAM.
#include "sim/guest_ram.h"
#include <doctest/doctest.h>
#include <cstring>
#include <set>
#include <string>

using namespace kdsim;

namespace {
constexpr uint64_t kBase = 0x40000000, kSize = 8ull << 20;

std::unique_ptr<Ram> make_ram() { return std::move(*Ram::create({{PhysAddr(kBase), kSize}})); }

bool page_is_zero(const uint8_t* p) {
  for (unsigned i = 0; i < 4096; ++i)
    if (p[i]) return false;
  return true;
}
}  // namespace

TEST_CASE("touch: the same range gets the same bytes in every run; pages are non-zero and distinct") {
  auto a = make_ram(), b = make_ram();
  REQUIRE(!touch_memory(*a, PhysAddr(kBase), 0x100000, 0x400000));
  REQUIRE(!touch_memory(*b, PhysAddr(kBase), 0x100000, 0x400000));
  const uint8_t* pa = a->host_ptr(PhysAddr(kBase), kSize);
  const uint8_t* pb = b->host_ptr(PhysAddr(kBase), kSize);
  CHECK(std::memcmp(pa, pb, kSize) == 0);
  std::set<std::string> pages;
  for (uint64_t off = 0x100000; off < 0x500000; off += 4096) {
    CHECK_FALSE(page_is_zero(pa + off));
    pages.emplace(reinterpret_cast<const char*>(pa + off), 4096);
  }
  CHECK(pages.size() == 0x400000 / 4096);
  CHECK(page_is_zero(pa + 0x100000 - 4096));  // nothing before the range
  CHECK(page_is_zero(pa + 0x500000));         // nor after it
}

TEST_CASE("touch: an unaligned range is filled exactly, the bytes around it stay zero") {
  auto ram = make_ram();
  REQUIRE(!touch_memory(*ram, PhysAddr(kBase), 0x1003, 0x2ffa));
  const uint8_t* p = ram->host_ptr(PhysAddr(kBase), kSize);
  CHECK(p[0x1002] == 0);
  CHECK(p[0x1003 + 0x2ffa] == 0);
  unsigned zero = 0;
  for (uint64_t i = 0x1003; i < 0x1003 + 0x2ffa; ++i) zero += p[i] == 0;
  CHECK(zero < 64);  // a pseudo-random fill, not a zero one
}

TEST_CASE("touch: a range outside RAM is refused with its addresses") {
  auto ram = make_ram();
  auto err = touch_memory(*ram, PhysAddr(kBase), kSize - 0x1000, 0x2000);
  REQUIRE(static_cast<bool>(err));
  CHECK(llvm::toString(std::move(err)) == "[P0x407ff000, +0x2000) is not inside one RAM region");
}
