#include "machine/devices/agent.h"
#include "machine/devices/dump_disk.h"
#include "machine/devices/kdsim_device.h"
#include <doctest/doctest.h>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>

using namespace kdsim;
namespace fs = std::filesystem;

namespace {
struct DiskEvents final : DumpDiskListener {
  std::vector<uint64_t> completed;
  std::vector<std::string> errors;
  void dump_complete(uint64_t size) override { completed.push_back(size); }
  void dump_error(std::string_view what) override { errors.emplace_back(what); }
  std::vector<std::pair<uint64_t, uint64_t>> refused;  // {phys, len}
  void dma_refused(PhysAddr phys, uint64_t len, std::string_view what) override {
    refused.emplace_back(phys.value(), len);
    errors.emplace_back(what);
  }
};

constexpr uint64_t kRam = 0x40000000;
constexpr uint64_t kList = kRam + 0x1000;

void put_sg(Ram& ram, unsigned i, uint64_t disk_offset, uint64_t phys, uint64_t len) {
  uint64_t e[3] = {disk_offset, phys, len};
  std::memcpy(ram.host_ptr(PhysAddr(kList + 24 * i), 24), e, 24);
}

fs::path scratch_dir(const char* name) {
  fs::path d = fs::temp_directory_path() / fmt::format("kdsim-test-{}-{}", name, ::getpid());
  fs::remove_all(d);
  return d;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}
}  // namespace

TEST_CASE("dump disk: SG writes land at their disk offsets; zero pages and untouched RAM stay holes") {
  auto ram = std::move(*Ram::create({{PhysAddr(kRam), 64ull << 20}}));
  DiskEvents ev;
  DumpDisk disk(*ram, ev);
  fs::path dir = scratch_dir("disk");
  disk.attach(dir / "vmcore");
  CHECK(disk.read(0x04, 4) == 3);
  std::memcpy(ram->host_ptr(PhysAddr(kRam + 0x10000), 5), "ELF!!", 5);    // a "header"
  std::memset(ram->host_ptr(PhysAddr(kRam + 0x20000), 0x1000), 0, 0x1000);  // touched but zero
  std::memset(ram->host_ptr(PhysAddr(kRam + 0x21000), 0x1000), 0x5a, 0x1000);
  put_sg(*ram, 0, 0, kRam + 0x10000, 0x1000);
  put_sg(*ram, 1, 0x1000, kRam + 0x20000, 0x2000);          // zero page then data page
  put_sg(*ram, 2, 0x3000, kRam + 0x2000000, 16ull << 20);   // 16 MiB never touched
  disk.write(0x10, 8, kList);
  disk.write(0x18, 4, 3);
  disk.write(0x1c, 4, 1);  // WRITE_SG
  CHECK(disk.read(0x28, 4) == 0);
  CHECK(!fs::exists(dir / "vmcore"));  // not before COMPLETE
  CHECK(fs::exists(dir / ".vmcore.partial"));
  uint64_t size = 0x3000 + (16ull << 20);
  disk.write(0x20, 8, size);
  disk.write(0x1c, 4, 2);  // COMPLETE
  REQUIRE(ev.completed == std::vector<uint64_t>{size});
  CHECK(!fs::exists(dir / ".vmcore.partial"));
  std::string data = read_file(dir / "vmcore");
  REQUIRE(data.size() == size);
  CHECK(data.substr(0, 5) == "ELF!!");
  CHECK(data[0x1000] == 0);
  CHECK(static_cast<uint8_t>(data[0x2000]) == 0x5a);
  CHECK(disk.stats().bytes_written == 0x2000);  // only the two non-zero pages
  CHECK(disk.stats().bytes_accepted == size);
  struct stat st {};
  REQUIRE(::stat((dir / "vmcore").c_str(), &st) == 0);
  CHECK(uint64_t(st.st_blocks) * 512 <= 64 * 1024);  // sparse: ~8 KiB of data in a 16 MiB file
  fs::remove_all(dir);
}

TEST_CASE("dump disk: long runs of data are written whole, split only at zero pages, byte for byte") {
  // 20 MiB of data (longer than one host write), one zero page inside it, an entry that starts
  // and ends inside pages: every byte must land where it belongs and the zero page stays a hole.
  auto ram = std::move(*Ram::create({{PhysAddr(kRam), 64ull << 20}}));
  DiskEvents ev;
  DumpDisk disk(*ram, ev);
  fs::path dir = scratch_dir("disk-runs");
  disk.attach(dir / "vmcore");
  const uint64_t data_pa = kRam + (4ull << 20), data_len = 20ull << 20, zero_at = 9ull << 20;
  uint8_t* src = ram->host_ptr(PhysAddr(data_pa), data_len);
  for (uint64_t i = 0; i < data_len; ++i) src[i] = static_cast<uint8_t>((i * 131 + (i >> 12)) | 1);
  std::memset(src + zero_at, 0, 0x1000);
  const uint64_t entry_pa = data_pa + 0x123, entry_len = data_len - 0x123 - 0x345, disk_at = 0x2000;
  put_sg(*ram, 0, disk_at, entry_pa, entry_len);
  disk.write(0x10, 8, kList);
  disk.write(0x18, 4, 1);
  disk.write(0x1c, 4, 1);
  disk.write(0x20, 8, disk_at + entry_len);
  disk.write(0x1c, 4, 2);
  REQUIRE(ev.errors.empty());
  std::string data = read_file(dir / "vmcore");
  REQUIRE(data.size() == disk_at + entry_len);
  CHECK(std::memcmp(data.data() + disk_at, src + 0x123, entry_len) == 0);
  CHECK(data.substr(0, disk_at) == std::string(disk_at, '\0'));
  CHECK(disk.stats().bytes_written == entry_len - 0x1000);  // all but the zero page
  fs::remove_all(dir);
}

TEST_CASE("dump disk: bad SG entries and a missing output file are refused with a status") {
  auto ram = std::move(*Ram::create({{PhysAddr(kRam), 16ull << 20}}));
  DiskEvents ev;
  DumpDisk disk(*ram, ev);
  disk.write(0x10, 8, kList);
  disk.write(0x18, 4, 1);
  disk.write(0x1c, 4, 1);
  CHECK(disk.read(0x28, 4) == 4);  // no file attached
  fs::path dir = scratch_dir("disk-bad");
  disk.attach(dir / "vmcore");
  put_sg(*ram, 0, 0, 0x1000, 0x1000);  // not RAM
  disk.write(0x1c, 4, 1);
  CHECK(disk.read(0x28, 4) == 1);
  disk.write(0x10, 8, 0x10);  // the list itself is not RAM
  disk.write(0x1c, 4, 1);
  CHECK(disk.read(0x28, 4) == 2);
  REQUIRE(ev.errors.size() == 3);
  CHECK(ev.errors[1] == "SG entry [P0x1000, +0x1000) is not RAM");
  CHECK(ev.errors[2] == "SG list at P0x10 (1 entries) is not in RAM");
  // The two not-RAM cases are refused DMA (the machine names them wild_dma); the first is not.
  REQUIRE(ev.refused.size() == 2);
  CHECK(ev.refused[0] == std::pair<uint64_t, uint64_t>{0x1000, 0x1000});
  CHECK(ev.refused[1] == std::pair<uint64_t, uint64_t>{0x10, 24});
  disk.write(0x1c, 4, 3);  // ABORT: the partial file goes, no vmcore appears
  CHECK(!fs::exists(dir / ".vmcore.partial"));
  CHECK(!fs::exists(dir / "vmcore"));
  fs::remove_all(dir);
}

TEST_CASE("dump disk: an interrupted dump (device destroyed before COMPLETE) leaves no vmcore") {
  auto ram = std::move(*Ram::create({{PhysAddr(kRam), 16ull << 20}}));
  DiskEvents ev;
  fs::path dir = scratch_dir("disk-int");
  {
    DumpDisk disk(*ram, ev);
    disk.attach(dir / "vmcore");
    std::memset(ram->host_ptr(PhysAddr(kRam + 0x10000), 0x1000), 1, 0x1000);
    put_sg(*ram, 0, 0, kRam + 0x10000, 0x1000);
    disk.write(0x10, 8, kList);
    disk.write(0x18, 4, 1);
    disk.write(0x1c, 4, 1);
    CHECK(fs::exists(dir / ".vmcore.partial"));
  }
  CHECK(!fs::exists(dir / "vmcore"));
  CHECK(!fs::exists(dir / ".vmcore.partial"));
  fs::remove_all(dir);
}

TEST_CASE("dump disk: a full disk and a bad sector fail the write after what lies before them") {
  auto ram = std::move(*Ram::create({{PhysAddr(kRam), 16ull << 20}}));
  std::memset(ram->host_ptr(PhysAddr(kRam + 0x100000), 0x4000), 0x77, 0x4000);
  put_sg(*ram, 0, 0, kRam + 0x100000, 0x4000);
  struct Case {
    DumpDiskFaults faults;
    uint32_t status;
    uint64_t written;
    std::string error;
  } cases[] = {
      {{.capacity = 0x2800, .io_error_at = {}}, 5, 0x2800,
       "disk full at disk offset 0x2800: the disk holds 10240 bytes (machine.dump_disk.capacity)"},
      {{.capacity = {}, .io_error_at = 0x1000}, 6, 0x1000,
       "I/O error at disk offset 0x1000, a bad sector (machine.dump_disk.io_error_at)"},
      {{.capacity = 0x4000, .io_error_at = 0x4000}, 0, 0x4000, ""},  // both just past the write
  };
  for (const Case& c : cases) {
    DiskEvents ev;
    fs::path dir = scratch_dir("disk-faults");
    {
      DumpDisk disk(*ram, ev);
      disk.attach(dir / "vmcore");
      disk.set_faults(c.faults);
      disk.write(0x10, 8, kList);
      disk.write(0x18, 4, 1);
      disk.write(0x1c, 4, 1);
      CHECK(disk.read(0x28, 4) == c.status);
      CHECK(disk.stats().bytes_written == c.written);
      CHECK(ev.errors == (c.error.empty() ? std::vector<std::string>{} : std::vector<std::string>{c.error}));
    }
    CHECK(!fs::exists(dir / "vmcore"));  // never completed
    CHECK(!fs::exists(dir / ".vmcore.partial"));
    fs::remove_all(dir);
  }
}

TEST_CASE("agent: FETCH_BLOB copies ranges of the current command's blob, refuses ranges beyond it") {
  struct L final : AgentListener {
    std::vector<std::string> errors;
    void agent_hello() override {}
    void agent_output(std::string_view) override {}
    void agent_done(int32_t) override {}
    void agent_error(std::string_view w) override { errors.emplace_back(w); }
  } l;
  auto ram = std::move(*Ram::create({{PhysAddr(kRam), 1 << 20}}));
  Agent agent(*ram, l);
  agent.queue_command("kexec-load", {1, 2, 3, 4, 5, 6, 7, 8});
  CHECK(agent.read(0x30, 4) == 0);  // not fetched yet
  agent.write(0x18, 8, kRam);
  agent.write(0x20, 4, 64);
  agent.write(0x24, 4, 1);  // FETCH the command line
  CHECK(agent.read(0x30, 4) == 8);
  agent.write(0x18, 8, kRam + 0x100);
  agent.write(0x28, 4, 2);  // offset 2
  agent.write(0x20, 4, 4);  // 4 bytes
  agent.write(0x24, 4, 5);  // FETCH_BLOB
  CHECK(agent.read(0x2c, 4) == 0);
  const uint8_t* p = ram->host_ptr(PhysAddr(kRam + 0x100), 4);
  CHECK((p[0] == 3 && p[3] == 6));
  agent.write(0x28, 4, 6);
  agent.write(0x20, 4, 4);  // [6, 10) runs past the 8-byte blob
  agent.write(0x24, 4, 5);
  CHECK(agent.read(0x2c, 4) == 4);
  REQUIRE(l.errors.size() == 1);
  CHECK(l.errors[0] == "FETCH_BLOB of [0x6, +0x4) beyond the blob (0x8 bytes)");
}
