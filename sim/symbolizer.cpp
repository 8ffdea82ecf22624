#include "sim/symbolizer.h"

namespace kdsim {

// "function+0xoff/0xsize (file:line)" at a kernel VA, the line when the image has DWARF.
std::optional<std::string> Symbolizer::at_kernel_va(const KernelImage& k, uint64_t va) {
  auto sym = k.symbolize(VirtAddr(va));
  if (!sym) return std::nullopt;
  if (auto line = k.source_line(VirtAddr(va))) return fmt::format("{} ({})", *sym, *line);
  return sym;
}

std::optional<std::string> Symbolizer::in_kernel(const LiveKernel& k, uint64_t pc) {
  if (!k.image) return std::nullopt;
  if (auto sym = at_kernel_va(*k.image, pc)) return sym;
  for (const KernelSegment& s : k.image->segments()) {
    const uint64_t runs_at = s.paddr.value() + static_cast<uint64_t>(k.phys_offset);
    if (pc >= runs_at && pc - runs_at < s.memsz) return at_kernel_va(*k.image, s.vaddr.value() + (pc - runs_at));
  }
  return std::nullopt;
}

std::optional<std::string> Symbolizer::symbolize(uint64_t pc, bool after_handoff) const {
  if (m_purgatory && PhysRange{m_purgatory->base(), m_purgatory->memsz()}.contains(PhysAddr(pc)))
    if (auto sym = m_purgatory->symbolize(PhysAddr(pc))) {
      if (auto line = m_purgatory->source_line(PhysAddr(pc))) return fmt::format("purgatory:{} ({})", *sym, *line);
      return "purgatory:" + *sym;
    }
  if (after_handoff && m_next) return in_kernel(*m_next, pc);
  return in_kernel(m_first, pc);
}

}  // namespace kdsim
