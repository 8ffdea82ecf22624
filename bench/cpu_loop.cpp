// Guest instructions per second of a register-only compute loop, bare Unicorn against kdsim's
// CPU classes (block-hook budget, exception/MMIO/unmapped hooks installed), on both arches.
//
// This benchmark calls uc_* directly for the bare baseline: that is the one thing it measures
// against, and it is not part of the simulator (the no-uc_*-outside-CPU-classes rule is about
// the product). Time is the host thread's CPU time here, which is fine for a benchmark and
// never done inside the machine.
//
//   bench/cpu_loop [iterations]      (default 200,000,000 loop iterations = 4 instructions each)
//   Each side runs three times, interleaved; the fastest round of each is compared.
#include "machine/bus.h"
#include "machine/cpu/arm64/arm64_cpu.h"
#include "machine/cpu/x86_64/x86_64_cpu.h"
#include "machine/ram.h"
#include <chrono>
#include <ctime>
#include <cstdlib>
#include <cstring>
#include <fmt/format.h>
#include <unicorn/unicorn.h>
#include <algorithm>
#include <string_view>
#include <vector>

using namespace kdsim;

// The thread's CPU time, not wall time: on a shared host, time spent waiting for a core would
// land on whichever side happened to be running. Both sides run on this one thread.
struct ThreadCpuClock {
  using duration = std::chrono::nanoseconds;
  using rep = duration::rep;
  using period = duration::period;
  using time_point = std::chrono::time_point<ThreadCpuClock>;
  static constexpr bool is_steady = true;
  static time_point now() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return time_point(duration(int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec));
  }
};
using Clock = ThreadCpuClock;

namespace {

struct NoFirmware final : CpuHost {
  void firmware_call(Cpu&, FirmwareConduit, uint16_t) override {}
};

// mov x0,#lo; movk x0,#hi,lsl#16; loop: add x1,x1,#1; eor x2,x2,x1; subs x0,x0,#1; b.ne loop; wfi
std::vector<uint8_t> arm64_loop(uint32_t n) {
  uint32_t words[] = {0xd2800000u | ((n & 0xffff) << 5), 0xf2a00000u | ((n >> 16) << 5), 0x91000421, 0xca010042,
                      0xf1000400, 0x54ffffa1, 0xd503207f};
  std::vector<uint8_t> b(sizeof words);
  std::memcpy(b.data(), words, sizeof words);
  return b;
}

// mov ecx,n; loop: add rax,1; xor rbx,rax; dec rcx; jnz loop; hlt
std::vector<uint8_t> x86_loop(uint32_t n) {
  std::vector<uint8_t> b = {0xb9, 0, 0, 0, 0, 0x48, 0x83, 0xc0, 0x01, 0x48, 0x31, 0xc3, 0x48, 0xff, 0xc9, 0x75, 0xf4, 0xf4};
  std::memcpy(&b[1], &n, 4);
  return b;
}

void empty_block_hook(uc_engine*, uint64_t, uint32_t, void*) {}

// The least any exact count through UC_HOOK_BLOCK can do: one add per block, no budget check,
// no lookup. (Exact on arm64, where every instruction is 4 bytes; x86_64 would also need a
// per-block instruction count, so there it is a lower bound on the cost, not a count.)
struct Counter {
  uint64_t units = 0;
};
void counting_block_hook_arm64(uc_engine*, uint64_t, uint32_t size, void* counter) {
  static_cast<Counter*>(counter)->units += size / 4;
}
void counting_block_hook_x86(uc_engine*, uint64_t, uint32_t size, void* counter) {
  static_cast<Counter*>(counter)->units += size;
}

enum class BareHooks { None, EmptyBlockHook, CountingBlockHook };

double bare(uc_arch arch, uc_mode mode, uint64_t base, const std::vector<uint8_t>& code, BareHooks hooks) {
  uc_engine* uc = nullptr;
  uc_open(arch, mode, &uc);
  uc_mem_map(uc, base, 2 << 20, UC_PROT_ALL);
  uc_hook h;
  if (hooks == BareHooks::EmptyBlockHook)
    uc_hook_add(uc, &h, UC_HOOK_BLOCK, reinterpret_cast<void*>(&empty_block_hook), nullptr, 1, 0);
  Counter counter;
  if (hooks == BareHooks::CountingBlockHook)
    uc_hook_add(uc, &h, UC_HOOK_BLOCK,
                reinterpret_cast<void*>(arch == UC_ARCH_ARM64 ? &counting_block_hook_arm64 : &counting_block_hook_x86),
                &counter, 1, 0);
  uc_mem_write(uc, base, code.data(), code.size());
  auto t0 = Clock::now();
  uc_emu_start(uc, base, 0, 0, 0);  // runs to wfi/hlt
  double s = std::chrono::duration<double>(Clock::now() - t0).count();
  uc_close(uc);
  return s;
}

template <typename CpuClass>
double machine(uint64_t base, const std::vector<uint8_t>& code, uint64_t quantum, uint64_t& counted) {
  auto ram = std::move(*Ram::create({{PhysAddr(base), 2 << 20}}));
  Bus mmio("mmio"), ports("ports");
  NoFirmware host;
  auto cpu = std::move(*CpuClass::create({.index = 0, .ram = ram.get(), .mmio = &mmio, .ports = &ports, .host = &host}));
  (void)ram->write(PhysAddr(base), code);
  cpu->set_pc(base);
  auto t0 = Clock::now();
  while (cpu->run(quantum).kind == HaltKind::QuantumExpired) {
  }
  double s = std::chrono::duration<double>(Clock::now() - t0).count();
  counted = cpu->instructions();
  return s;
}

void report(const char* arch, uint64_t insns, double bare_s, double hook_s, double machine_s, uint64_t counted,
            const char* slices) {
  double b = insns / bare_s / 1e6, e = insns / hook_s / 1e6, m = insns / machine_s / 1e6;
  fmt::print("{:<7} bare {:6.0f} M/s | bare+empty block hook {:6.0f} M/s ({:4.2f}x) | kdsim CPU, {:<22}: {:6.0f} M/s "
             "({:4.2f}x bare; counted {} of {} insns)\n",
             arch, b, e, e / b, slices, m, m / b, counted, insns);
}

// Each configuration runs `kRounds` times, interleaved, and its fastest round counts: on a shared
// host the best round is the one least disturbed, for both sides alike.
constexpr int kRounds = 3;

template <typename CpuClass>
void compare(const char* arch, uint64_t base, const std::vector<uint8_t>& code, uint64_t insns, uc_arch uarch,
             uc_mode mode, std::string_view only) {
  double bare_s = 1e30, hook_s = 1e30, count_s = 1e30, solo_s = 1e30, rr_s = 1e30;
  uint64_t solo_counted = 0, rr_counted = 0;
  auto wanted = [&](std::string_view what) { return only.empty() || only == fmt::format("{}-{}", arch, what); };
  for (int round = 0; round < (only.empty() ? kRounds : 1); ++round) {
    if (wanted("bare")) bare_s = std::min(bare_s, bare(uarch, mode, base, code, BareHooks::None));
    if (wanted("hook")) hook_s = std::min(hook_s, bare(uarch, mode, base, code, BareHooks::EmptyBlockHook));
    if (wanted("count")) count_s = std::min(count_s, bare(uarch, mode, base, code, BareHooks::CountingBlockHook));
    // One CPU alone runs its whole budget in one slice (Machine::slice_budget).
    if (wanted("solo")) solo_s = std::min(solo_s, machine<CpuClass>(base, code, ~0ull, solo_counted));
    if (wanted("quantum")) rr_s = std::min(rr_s, machine<CpuClass>(base, code, 100'000, rr_counted));
  }
  if (!only.empty()) return;
  report(arch, insns, bare_s, hook_s, solo_s, solo_counted, "one CPU (one slice)");
  report(arch, insns, bare_s, hook_s, rr_s, rr_counted, "SMP quantum 100000");
  const bool exact = solo_counted == insns && rr_counted == insns;
  if (!exact) fmt::print("{}: COUNT MISMATCH: counted {} / {} of {}\n", arch, solo_counted, rr_counted, insns);
  fmt::print("{:<7} bare + a block hook that only adds (the floor of any exact count through the hook): {:4.2f}x "
             "bare; kdsim CPU / that floor: {:4.2f}\n",
             arch, bare_s / count_s, count_s / solo_s);
  fmt::print("RESULT arch={} solo_vs_bare={:.3f} quantum_vs_bare={:.3f} empty_hook_vs_bare={:.3f} "
             "counting_hook_vs_bare={:.3f} solo_vs_counting_hook={:.3f} exact={}\n",
             arch, bare_s / solo_s, bare_s / rr_s, bare_s / hook_s, bare_s / count_s, count_s / solo_s, exact ? 1 : 0);
}

}  // namespace

// bench/cpu_loop [iterations] [--only ARCH-CONFIG]   (CONFIG: bare, hook, count, solo, quantum; one run,
// for profilers such as `valgrind --tool=callgrind`, whose counts do not depend on the host's load)
int main(int argc, char** argv) {
  uint32_t n = 200'000'000;
  std::string_view only;
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--only" && i + 1 < argc) only = argv[++i];
    else n = static_cast<uint32_t>(std::strtoul(argv[i], nullptr, 0));
  }
  // arm64: mov, movk, n * 4, wfi; x86_64: mov, n * 4, hlt.
  compare<Arm64Cpu>("arm64", 0x40000000, arm64_loop(n), 4ull * n + 3, UC_ARCH_ARM64, UC_MODE_ARM, only);
  compare<X86_64Cpu>("x86_64", 0x100000, x86_loop(n), 4ull * n + 2, UC_ARCH_X86, UC_MODE_64, only);
}
