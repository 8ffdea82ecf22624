#include "machine/ram.h"
#include <doctest/doctest.h>
#include <vector>
#include <algorithm>

using namespace kdsim;

TEST_CASE("RAM of 64 GiB costs nothing until touched") {
  auto ram = Ram::create({{PhysAddr(0x40000000), 64ull << 30}});
  REQUIRE(bool(ram));
  CHECK((*ram)->resident_bytes() == 0);
  std::vector<uint8_t> page(4096, 0xab);
  REQUIRE(!(*ram)->write(PhysAddr(0x40000000 + (40ull << 30)), page));
  CHECK((*ram)->resident_bytes() == 4096);
  auto ranges = (*ram)->data_ranges({PhysAddr(0x40000000), 64ull << 30});
  REQUIRE(ranges.size() == 1);
  CHECK(ranges[0].base == PhysAddr(0x40000000 + (40ull << 30)));
  CHECK(ranges[0].size == 4096);
}

TEST_CASE("RAM with a hole maps each region to its own part of the backing") {
  auto ram = Ram::create({{PhysAddr(0x100000000), 1 << 20}, {PhysAddr(0), 1 << 20}});
  REQUIRE(bool(ram));
  CHECK((*ram)->regions().front().range.base == PhysAddr(0));
  CHECK((*ram)->total_size() == 2 << 20);
  CHECK((*ram)->host_ptr(PhysAddr(0xff000), 0x1000) != nullptr);
  CHECK((*ram)->host_ptr(PhysAddr(0xff000), 0x2000) == nullptr);  // runs off the region
  CHECK((*ram)->host_ptr(PhysAddr(0x100000), 1) == nullptr);      // in the hole
  uint8_t b = 7;
  REQUIRE(!(*ram)->write(PhysAddr(0x100000000), {&b, 1}));
  CHECK(*(*ram)->host_ptr(PhysAddr(0x100000000), 1) == 7);
  CHECK(*(*ram)->host_ptr(PhysAddr(0), 1) == 0);
}

TEST_CASE("RAM refuses bad regions and out-of-range access with the numbers") {
  auto overlap = Ram::create({{PhysAddr(0), 0x2000}, {PhysAddr(0x1000), 0x1000}});
  REQUIRE(!overlap);
  CHECK(llvm::toString(overlap.takeError()) == "RAM region [P0x1000, P0x2000) overlaps [P0x0, P0x2000)");
  auto unaligned = Ram::create({{PhysAddr(0x10), 0x1000}});
  REQUIRE(!unaligned);
  CHECK(llvm::toString(unaligned.takeError()) == "RAM region [P0x10, P0x1010) is empty or not 4 KiB aligned");
  auto ram = Ram::create({{PhysAddr(0x1000), 0x1000}});
  REQUIRE(bool(ram));
  uint8_t buf[16];
  auto err = (*ram)->read(PhysAddr(0x1ff8), buf);
  CHECK(llvm::toString(std::move(err)) == "read of 0x10 bytes at P0x1ff8 is not inside RAM");
}

TEST_CASE("RAM vectored write: the pieces land one after another and show through the mapping") {
  auto ram = Ram::create({{PhysAddr(0), 1 << 20}, {PhysAddr(0x100000000), 1 << 20}});
  REQUIRE(bool(ram));
  std::vector<uint8_t> a(4090, 0x11), b(10, 0x22), c(3000, 0x33);
  std::vector<struct iovec> pieces = {{a.data(), a.size()}, {b.data(), b.size()}, {c.data(), c.size()}};
  auto n = (*ram)->write_vectored(PhysAddr(0x100000ffa), pieces);  // starts mid-page, crosses pages
  REQUIRE_MESSAGE(bool(n), llvm::toString(n.takeError()));
  CHECK(*n == 7100);
  const uint8_t* p = (*ram)->host_ptr(PhysAddr(0x100000ffa), 7100);
  REQUIRE(p);
  CHECK(p[0] == 0x11);
  CHECK(p[4089] == 0x11);
  CHECK(p[4090] == 0x22);
  CHECK(p[4099] == 0x22);
  CHECK(p[4100] == 0x33);
  CHECK(p[7099] == 0x33);
  CHECK(p[7100] == 0);  // nothing past the pieces
  CHECK(*(*ram)->host_ptr(PhysAddr(0x100000ff9), 1) == 0);
  // The same region only, as host_ptr: across the hole or past the end is an error, RAM untouched.
  auto outside = (*ram)->write_vectored(PhysAddr(0xff000), pieces);
  REQUIRE_FALSE(bool(outside));
  CHECK(llvm::toString(outside.takeError()).find("not inside one region") != std::string::npos);
  CHECK(*(*ram)->host_ptr(PhysAddr(0xff000), 1) == 0);
}

TEST_CASE("RAM vectored write: more pieces than one pwritev takes (IOV_MAX) go in several calls") {
  auto ram = Ram::create({{PhysAddr(0x40000000), 1 << 20}});
  REQUIRE(bool(ram));
  std::vector<uint8_t> bytes(3000);
  std::vector<struct iovec> pieces;
  for (size_t i = 0; i < bytes.size(); ++i) {
    bytes[i] = static_cast<uint8_t>(i * 7 + 1);
    pieces.push_back({&bytes[i], 1});
  }
  auto n = (*ram)->write_vectored(PhysAddr(0x40000100), pieces);
  REQUIRE(bool(n));
  CHECK(*n == 3000);
  const uint8_t* p = (*ram)->host_ptr(PhysAddr(0x40000100), 3000);
  CHECK(std::equal(bytes.begin(), bytes.end(), p));
}
