#include "sim/prstatus_regs.h"
#include "firmware-less-boot/kernel_image.h"
#include <fmt/format.h>
#include <vector>

namespace kdsim {

std::string symbolized(uint64_t value, const KernelImage* kernel) {
  auto sym = kernel ? kernel->symbolize(VirtAddr(value)) : std::nullopt;
  return sym ? fmt::format("{} (0x{:016x})", *sym, value) : fmt::format("0x{:016x}", value);
}

std::string call_trace(uint64_t pc, uint64_t leaf_lr, uint64_t fp, const DumpedMemory& mem, const KernelImage* kernel) {
  constexpr unsigned kMaxFrames = 16;
  std::vector<uint64_t> frames{pc};
  auto first_ret = mem.read_u64(fp + 8);
  if (leaf_lr && (!first_ret || *first_ret != leaf_lr)) frames.push_back(leaf_lr);
  while (frames.size() < kMaxFrames && fp) {
    auto next = mem.read_u64(fp), ret = mem.read_u64(fp + 8);
    if (!next || !ret || *ret == 0) break;
    frames.push_back(*ret);
    if (*next <= fp) break;  // records go up the stack
    fp = *next;
  }
  std::string out = "  Call trace:\n";
  for (size_t i = 0; i < frames.size(); ++i) {
    const uint64_t f = frames[i];
    // The first frame is where the CPU was; every other one is a return address (%pB).
    auto sym = !kernel ? std::nullopt : i == 0 ? kernel->symbolize(VirtAddr(f)) : kernel->symbolize_return(VirtAddr(f));
    out += sym ? fmt::format("   {}\n", *sym) : fmt::format("   0x{:016x}\n", f);
  }
  return out;
}

}  // namespace kdsim
