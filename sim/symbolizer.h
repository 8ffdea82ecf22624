// Names the code behind the PCs of a run, whichever image was live: the first kernel until the
// jump to the next kernel, the purgatory inside its segment, then the next (capture) kernel at
// its load offset. A kernel running with the MMU off (arm64 before mmu_on) or from its identity
// map (x86 head code) has physical PCs: they are mapped back through the image's PT_LOADs.
#pragma once
#include "firmware-less-boot/kernel_image.h"
#include "firmware-less-boot/kexec/purgatory_image.h"
#include <memory>
#include <optional>
#include <string>

namespace kdsim {

struct LiveKernel {
  std::shared_ptr<const KernelImage> image;
  int64_t phys_offset = 0;  // where it runs, minus where it was linked (p_paddr)
};

class Symbolizer {
public:
  explicit Symbolizer(LiveKernel first) : m_first(std::move(first)) {}
  void set_next_kernel(LiveKernel next) { m_next = std::move(next); }
  void set_purgatory(std::optional<PlacedPurgatory> purgatory) { m_purgatory = std::move(purgatory); }

  // "function+0xoff/0xsize (file:line)" for `pc` (the line when the image has DWARF: the
  // kernels do, the purgatory is built without), or none when no image has a symbol there.
  // `after_handoff`: the next kernel has been entered (its image, not the first, is live).
  std::optional<std::string> symbolize(uint64_t pc, bool after_handoff) const;

private:
  static std::optional<std::string> in_kernel(const LiveKernel& k, uint64_t pc);
  static std::optional<std::string> at_kernel_va(const KernelImage& k, uint64_t va);
  LiveKernel m_first;
  std::optional<LiveKernel> m_next;
  std::optional<PlacedPurgatory> m_purgatory;
};

}  // namespace kdsim
