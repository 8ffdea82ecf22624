#include "machine/bus.h"
#include <doctest/doctest.h>
#include <string>

using namespace kdsim;

namespace {
struct Recorder final : Device {
  std::string m_name;
  uint64_t m_size;
  uint64_t last_offset = ~0ull, last_value = 0;
  Recorder(std::string n, uint64_t s) : m_name(std::move(n)), m_size(s) {}
  std::string_view name() const override { return m_name; }
  uint64_t size() const override { return m_size; }
  uint64_t read(uint64_t offset, unsigned) override { return last_offset = offset, 0x55; }
  void write(uint64_t offset, unsigned, uint64_t v) override { last_offset = offset, last_value = v; }
};
}  // namespace

TEST_CASE("bus decodes to device offsets") {
  Bus bus("mmio");
  Recorder a("uart", 0x1000), b("agent", 0x200);
  REQUIRE(!bus.attach(0x9000000, a));
  REQUIRE(!bus.attach(0xa000000, b));
  CHECK(bus.read(0x9000018, 4) == 0x55);
  CHECK(a.last_offset == 0x18);
  bus.write(0xa0001fc, 4, 9);
  CHECK(b.last_offset == 0x1fc);
  CHECK(b.last_value == 9);
}

TEST_CASE("bus refuses overlapping, wrapping and empty ranges") {
  Bus bus("mmio");
  Recorder a("uart", 0x1000), b("agent", 0x200), z("nothing", 0), w("wrap", 0x2000);
  REQUIRE(!bus.reserve(0x40000000, 0x40000000, "RAM"));
  REQUIRE(!bus.attach(0x9000000, a));
  CHECK(llvm::toString(bus.attach(0x9000800, b)) ==
        "mmio: agent [0x9000800, 0x90009ff] overlaps uart [0x9000000, 0x9000fff]");
  CHECK(llvm::toString(bus.attach(0x7fffff00, b)) ==
        "mmio: agent [0x7fffff00, 0x800000ff] overlaps RAM [0x40000000, 0x7fffffff]");
  CHECK(llvm::toString(bus.attach(0x100, z)) == "mmio: nothing at 0x100 has size 0");
  CHECK(llvm::toString(bus.attach(0xfffffffffffff000ull, w)) ==
        "mmio: wrap [0xfffffffffffff000, +0x2000) wraps around the address space");
}

TEST_CASE("bus unmapped policy: reads float high, writes are dropped, both recorded") {
  Bus bus("ports");
  CHECK(bus.read(0x80, 1) == 0xff);
  CHECK(bus.read(0x80, 4) == 0xffffffff);
  bus.write(0x80, 1, 0x12);
  REQUIRE(bus.unmapped_accesses().size() == 3);
  CHECK(bus.unmapped_accesses()[2].is_write);
  CHECK(bus.unmapped_accesses()[2].value == 0x12);
  CHECK(bus.unmapped_accesses()[1].value == 0xffffffff);
}

TEST_CASE("bus unmapped accesses: the first ones reach the listener, the rest are only counted") {
  Bus bus("ports");
  std::vector<uint64_t> heard;
  bus.set_unmapped_listener([&](const Bus& b, const Bus::UnmappedAccess& a) {
    CHECK(b.space_name() == "ports");
    heard.push_back(a.address);
  });
  for (uint64_t i = 0; i < 100000; ++i) bus.read(0x64, 1);  // a driver polling a missing i8042
  CHECK(bus.unmapped_count() == 100000);
  CHECK(bus.unmapped_accesses().size() == Bus::kKeptUnmapped);
  CHECK(heard.size() == Bus::kKeptUnmapped);
  CHECK(heard.front() == 0x64);
}
