// Fuzz target: the boot data a scenario turns into — parse the scenario text, build its board
// (make_board: memory size and arch), then the DTB (arm64: /memory, cpus, /chosen/bootargs) or
// boot_params + e820 + page tables (x86_64) for a kernel at its usual place. No CPU runs.
// Seeds: scenarios/**/*.yaml.
#include "firmware-less-boot/arm64_boot.h"
#include "firmware-less-boot/x86_boot.h"
#include "machine/board.h"
#include "sim/scenario.h"
#include "tests/fuzz/fuzz_common.h"
#include <string_view>

using namespace kdsim;

namespace {

// Where the toy kernels sit (kernels/arch/*/kernel.lds): 2 MiB into RAM on arm64, 16 MiB on x86_64.
PhysRange kernel_footprint(Arch arch) {
  return arch == Arch::Arm64 ? PhysRange{PhysAddr(kArm64RamBase + (2ull << 20)), 8ull << 20}
                             : PhysRange{PhysAddr(16ull << 20), 8ull << 20};
}

void build_boot_data(const Scenario& s) {
  auto board = make_board(s.arch, s.memory);
  if (!board) return kdsim::fuzz::consume(board.takeError());
  const PhysRange kernel = kernel_footprint(s.arch);
  if (s.arch == Arch::Arm64) {
    auto proto = Arm64BootProtocol::create({.ram = board->ram,
                                            .cpu_count = s.cpus,
                                            .cmdline = s.cmdline,
                                            .kernel_footprint = {kernel},
                                            .kernel_entry = kernel.base});
    kdsim::fuzz::consume(proto);
  } else {
    auto proto = X86BootProtocol::create(
        {.ram = board->ram, .cmdline = s.cmdline, .kernel_footprint = {kernel}, .kernel_entry = kernel.base});
    kdsim::fuzz::consume(proto);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto scenario = Scenario::parse(text, "/nonexistent/fuzz/scenario.yaml");
  if (scenario) build_boot_data(*scenario);
  kdsim::fuzz::consume(scenario);
  return 0;
}
