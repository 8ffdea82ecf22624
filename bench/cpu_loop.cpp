// Guest instructions per second of a register-only compute loop, bare Unicorn against kdsim's
// CPU classes (block-hook budget, exception/MMIO/unmapped hooks installed), on both arches.
//
// This benchmark calls uc_* directly for the bare baseline: that is the one thing it measures
// against, and it is not part of the simulator (the no-uc_*-outside-CPU-classes rule is about
// the product). Wall time comes from the host clock here, which is fine for a benchmark and
// never done inside the machine.
//
//   bench/cpu_loop [iterations]      (default 200,000,000 loop iterations = 4 instructions each)
#include "machine/bus.h"
#include "machine/cpu/arm64/arm64_cpu.h"
#include "machine/cpu/x86_64/x86_64_cpu.h"
#include "machine/ram.h"
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fmt/format.h>
#include <unicorn/unicorn.h>
#include <vector>

using namespace kdsim;
using Clock = std::chrono::steady_clock;

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

enum class BareHooks { None, EmptyBlockHook };

double bare(uc_arch arch, uc_mode mode, uint64_t base, const std::vector<uint8_t>& code, BareHooks hooks) {
  uc_engine* uc = nullptr;
  uc_open(arch, mode, &uc);
  uc_mem_map(uc, base, 2 << 20, UC_PROT_ALL);
  uc_hook h;
  if (hooks == BareHooks::EmptyBlockHook)
    uc_hook_add(uc, &h, UC_HOOK_BLOCK, reinterpret_cast<void*>(&empty_block_hook), nullptr, 1, 0);
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
            uint64_t quantum) {
  double b = insns / bare_s / 1e6, e = insns / hook_s / 1e6, m = insns / machine_s / 1e6;
  fmt::print("{:<7} bare {:6.0f} M/s | bare+empty block hook {:6.0f} M/s ({:4.1f} % slower) | kdsim CPU, quantum "
             "{:>8}: {:6.0f} M/s ({:4.1f} % slower; counted {} of {} insns)\n",
             arch, b, e, 100.0 * (1.0 - e / b), quantum, m, 100.0 * (1.0 - m / b), counted, insns);
}

}  // namespace

int main(int argc, char** argv) {
  uint32_t n = argc > 1 ? static_cast<uint32_t>(std::strtoul(argv[1], nullptr, 0)) : 200'000'000;
  uint64_t insns = 4ull * n + 3;
  for (uint64_t quantum : {100'000ull, 1'000'000ull}) {
    uint64_t counted = 0;
    auto a = arm64_loop(n);
    double ab = bare(UC_ARCH_ARM64, UC_MODE_ARM, 0x40000000, a, BareHooks::None);
    double ah = bare(UC_ARCH_ARM64, UC_MODE_ARM, 0x40000000, a, BareHooks::EmptyBlockHook);
    double am = machine<Arm64Cpu>(0x40000000, a, quantum, counted);
    report("arm64", insns, ab, ah, am, counted, quantum);
    auto x = x86_loop(n);
    double xb = bare(UC_ARCH_X86, UC_MODE_64, 0x100000, x, BareHooks::None);
    double xh = bare(UC_ARCH_X86, UC_MODE_64, 0x100000, x, BareHooks::EmptyBlockHook);
    double xm = machine<X86_64Cpu>(0x100000, x, quantum, counted);
    report("x86_64", insns, xb, xh, xm, counted, quantum);
  }
}
