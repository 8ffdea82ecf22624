// The printk ring buffer reader of `kdsim inspect` on hand-made rings: records in order from
// the tail to the head, a block that wrapped to the ring's start, descriptors that hold no
// record skipped, and hostile geometry or block positions reported, never read past the dump.
#include "sim/printk_log.h"
#include <cstring>
#include <doctest/doctest.h>
#include <string>
#include <vector>

using namespace kdsim;

namespace {

constexpr uint64_t kBase = 0xffff000000100000;
// Where the pieces live inside the one PT_LOAD (offsets from kBase).
constexpr uint64_t kPrb = 0x0, kRing = 0x100, kDescs = 0x200, kInfos = 0x300, kData = 0x800;
constexpr uint64_t kDescSize = 24, kInfoSize = 88, kDataBits = 6; // a 64-byte text ring

const char* kVmcoreinfo =
    "SYMBOL(prb)=ffff000000100000\n"
    "OFFSET(printk_ringbuffer.desc_ring)=0\nOFFSET(printk_ringbuffer.text_data_ring)=48\n"
    "OFFSET(prb_desc_ring.count_bits)=0\nOFFSET(prb_desc_ring.descs)=8\nOFFSET(prb_desc_ring.infos)=16\n"
    "OFFSET(prb_desc_ring.head_id)=24\nOFFSET(prb_desc_ring.tail_id)=32\n"
    "SIZE(prb_desc)=24\nOFFSET(prb_desc.state_var)=0\nOFFSET(prb_desc.text_blk_lpos)=8\n"
    "OFFSET(prb_data_blk_lpos.begin)=0\nOFFSET(prb_data_blk_lpos.next)=8\n"
    "SIZE(printk_info)=88\nOFFSET(printk_info.seq)=0\nOFFSET(printk_info.ts_nsec)=8\n"
    "OFFSET(printk_info.text_len)=16\n"
    "OFFSET(prb_data_ring.size_bits)=0\nOFFSET(prb_data_ring.data)=8\nOFFSET(atomic_long_t.counter)=0\n";

struct FakeDump {
  std::vector<char> mem = std::vector<char>(0x1000, 0);
  void put64(uint64_t off, uint64_t v) { std::memcpy(mem.data() + off, &v, 8); }
  void put32(uint64_t off, uint32_t v) { std::memcpy(mem.data() + off, &v, 4); }
  void put16(uint64_t off, uint16_t v) { std::memcpy(mem.data() + off, &v, 2); }
  FakeDump(uint32_t count_bits = 2) {
    put64(kPrb, kBase + kRing);
    put32(kRing + 0, count_bits);
    put64(kRing + 8, kBase + kDescs);
    put64(kRing + 16, kBase + kInfos);
    put32(kRing + 48, kDataBits);
    put64(kRing + 48 + 8, kBase + kData);
  }
  // A finalized record: descriptor id, its block [begin, next) in logical positions.
  void record(uint64_t id, uint64_t begin, uint64_t next, const std::string& text, uint64_t ts) {
    const uint64_t d = kDescs + (id % 4) * kDescSize, i = kInfos + (id % 4) * kInfoSize;
    put64(d, (uint64_t(2) << 62) | id);
    put64(d + 8, begin);
    put64(d + 16, next);
    put64(i, id); // seq
    put64(i + 8, ts);
    put16(i + 16, static_cast<uint16_t>(text.size()));
    if (begin == next) return; // data-less: no block
    uint64_t at = begin % 64;
    if (begin / 64 != next / 64) at = 0; // wrapped: stored at the ring's start
    put64(kData + at, id);
    std::memcpy(mem.data() + kData + at + 8, text.data(), text.size());
  }
  void ends(uint64_t tail, uint64_t head) {
    put64(kRing + 32, tail);
    put64(kRing + 24, head);
  }
  std::optional<PrintkLog> read(const char* info = kVmcoreinfo) {
    DumpedMemory::Phdr ph{};
    ph.p_type = llvm::ELF::PT_LOAD;
    ph.p_offset = 0;
    ph.p_vaddr = kBase;
    ph.p_filesz = mem.size();
    return read_printk_log(info, DumpedMemory(llvm::StringRef(mem.data(), mem.size()), {ph}));
  }
};

} // namespace

TEST_CASE("printk log: records from tail to head, a wrapped block read from the ring's start") {
  FakeDump dump;
  dump.record(1, 48, 88, "wrapped!", 1500000);   // does not fit before the end: at 0
  dump.record(2, 88, 104, "second", 2000001000); // at 24
  dump.ends(1, 2);
  auto log = dump.read();
  REQUIRE(log);
  CHECK(log->problem.empty());
  REQUIRE(log->records.size() == 2);
  CHECK(log->records[0].text == "wrapped!");
  CHECK(log->records[1].text == "second");
  CHECK(format_printk_log(*log, "") == "[    0.001500] wrapped!\n[    2.000001] second\n");
}

TEST_CASE("printk log: a descriptor that is not finalized or is data-less holds no record") {
  FakeDump dump;
  dump.record(1, 0, 16, "kept", 1);
  dump.record(2, 16, 32, "reserved", 2);
  dump.put64(kDescs + 2 * kDescSize, (uint64_t(0) << 62) | 2); // desc_reserved
  dump.record(3, 1, 1, "", 3);                                 // BLK0-style data-less
  dump.ends(1, 3);
  auto log = dump.read();
  REQUIRE(log);
  REQUIRE(log->records.size() == 1);
  CHECK(log->records[0].text == "kept");
}

TEST_CASE("printk log: no prb in VMCOREINFO is no log; hostile rings are reported, not read") {
  FakeDump dump;
  CHECK_FALSE(dump.read("OSRELEASE=6.1.0\n"));

  FakeDump huge(40);
  auto log = huge.read();
  REQUIRE(log);
  CHECK(log->problem == "implausible ring geometry: count_bits 40, size_bits 6");

  FakeDump outside;
  outside.record(1, 0, 16, "x", 1);
  outside.put64(kDescs + kDescSize + 16, 1000); // next far past the 64-byte ring
  outside.ends(1, 1);
  log = outside.read();
  REQUIRE(log);
  CHECK(log->records.empty());
  CHECK(log->problem == "descriptor 1: text block [0x0, 0x3e8) does not fit the ring");

  FakeDump nowhere;
  nowhere.put64(kPrb, 0xdead0000);
  log = nowhere.read();
  REQUIRE(log);
  CHECK(log->problem == "the ring buffer at 0xdead0000 is not in the dump");
}
