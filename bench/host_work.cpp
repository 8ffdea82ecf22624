// Host work at memory speed: the `touch` fill and the dump disk's copy, each against the host
// doing the same amount of plain work in the same run.
//   touch:     touch_memory() of N MiB into a 16 GiB sparse guest RAM, against memset of N MiB
//              into a fresh anonymous mapping (the host pays the same first-touch page faults).
//   dump disk: one SG entry over the whole 16 GiB RAM (N MiB of data, the rest untouched),
//              written to a sparse file, against `cp --sparse=always` of that file.
// Prints GiB/s and the ratios; wall time from the host clock (a benchmark, not the machine).
//
//   bench/host_work [MiB] [DIR]      (default 1024 MiB; DIR for the dump file, default /tmp)
#include "machine/devices/dump_disk.h"
#include "machine/ram.h"
#include "sim/guest_ram.h"
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <sys/mman.h>
#include <unistd.h>

using namespace kdsim;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {
constexpr uint64_t kRamBase = 0x40000000, kRamSize = 16ull << 30, kGiB = 1ull << 30;

struct Quiet final : DumpDiskListener {
  std::string error;
  void dump_complete(uint64_t) override {}
  void dump_error(std::string_view what) override { error = what; }
  void dma_refused(PhysAddr, uint64_t, std::string_view what) override { error = what; }
};

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

double fresh_memset_seconds(uint64_t bytes) {
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) return 0;
  auto t0 = Clock::now();
  std::memset(p, 0x5a, bytes);
  double s = seconds_since(t0);
  munmap(p, bytes);
  return s;
}

// Rings the dump disk the way the capture kernel does: one SG list, then COMPLETE.
double dump_seconds(Ram& ram, const fs::path& file, std::string& error) {
  Quiet listener;
  DumpDisk disk(ram, listener);
  disk.attach(file);
  const uint64_t list = kRamBase;  // the SG list lives in the first (untouched) page
  const uint64_t entry[3] = {0, kRamBase + 4096, kRamSize - 4096};
  std::memcpy(ram.host_ptr(PhysAddr(list), sizeof entry), entry, sizeof entry);
  auto t0 = Clock::now();
  disk.write(0x10, 8, list);
  disk.write(0x18, 4, 1);
  disk.write(0x1c, 4, 1);  // WRITE_SG
  disk.write(0x20, 8, kRamSize - 4096);
  disk.write(0x1c, 4, 2);  // COMPLETE
  double s = seconds_since(t0);
  error = listener.error;
  return s;
}
}  // namespace

// Each side runs kRounds times, interleaved, and its fastest round counts: on a shared host the
// least disturbed round is the one that measures the work, for both sides alike.
constexpr int kRounds = 3;

int main(int argc, char** argv) {
  const uint64_t mib = argc > 1 ? std::strtoull(argv[1], nullptr, 0) : 1024;
  const fs::path dir = fs::path(argc > 2 ? argv[2] : "/tmp") / fmt::format("kdsim-host-work-{}", ::getpid());
  const uint64_t bytes = mib << 20;
  fs::create_directories(dir);

  double memset_s = 1e30, touch_s = 1e30, dump_s = 1e30, cp_s = 1e30;
  for (int round = 0; round < kRounds; ++round) {
    auto ram = Ram::create({{PhysAddr(kRamBase), kRamSize}});  // fresh: touch pays its page faults
    if (!ram) {
      fmt::print(stderr, "host_work: {}\n", llvm::toString(ram.takeError()));
      return 1;
    }
    memset_s = std::min(memset_s, fresh_memset_seconds(bytes));
    auto t0 = Clock::now();
    if (auto err = touch_memory(**ram, PhysAddr(kRamBase), 1ull << 20, bytes)) {
      fmt::print(stderr, "host_work: touch: {}\n", llvm::toString(std::move(err)));
      return 1;
    }
    touch_s = std::min(touch_s, seconds_since(t0));

    std::string error;
    dump_s = std::min(dump_s, dump_seconds(**ram, dir / "dump", error));
    if (!error.empty()) {
      fmt::print(stderr, "host_work: dump disk: {}\n", error);
      return 1;
    }
    t0 = Clock::now();
    const std::string cp =
        fmt::format("cp --sparse=always '{}' '{}'", (dir / "dump").string(), (dir / "copy").string());
    if (std::system(cp.c_str()) != 0) return 1;
    cp_s = std::min(cp_s, seconds_since(t0));
    fs::remove(dir / "dump");
    fs::remove(dir / "copy");
  }
  fs::remove_all(dir);

  const double gib = double(bytes) / kGiB;
  fmt::print("touch      {:5} MiB: {:6.2f} GiB/s | fresh memset {:6.2f} GiB/s | touch/memset speed {:5.2f}\n", mib,
             gib / touch_s, gib / memset_s, memset_s / touch_s);
  fmt::print("dump disk  {:5} MiB of data in a 16 GiB RAM: {:6.2f} GiB/s | cp --sparse=always {:6.2f} GiB/s | "
             "dump time / cp time {:5.2f}\n",
             mib, gib / dump_s, gib / cp_s, dump_s / cp_s);
  fmt::print("(fastest of {} interleaved rounds each)\n", kRounds);
  // Machine-readable line for bench/run and the CI check.
  fmt::print("RESULT touch_gibps={:.3f} touch_vs_memset={:.3f} dump_gibps={:.3f} dump_vs_cp={:.3f}\n", gib / touch_s,
             memset_s / touch_s, gib / dump_s, dump_s / cp_s);
}
