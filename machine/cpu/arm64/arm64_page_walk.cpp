#include "machine/cpu/arm64/arm64_page_walk.h"
#include "machine/ram.h"
#include <algorithm>
#include <cstring>

namespace kdsim::arm64 {
namespace {

constexpr uint64_t kSctlrM = 1ull << 0;
constexpr uint64_t kOutputMask = 0x0000fffffffff000ull;  // OA bits 47:12 of a descriptor
constexpr uint64_t kTableBaseMask = 0x0000fffffffffffeull;  // TTBRn_EL1.BADDR (bits 47:1)

struct Half {
  uint64_t table;
  unsigned input_bits;  // 64 - TnSZ
};

// TCR_EL1 fields (Arm ARM D17.2.131): T0SZ [5:0], EPD0 [7], TG0 [15:14] (0b00 = 4 KiB),
// T1SZ [21:16], EPD1 [23], TG1 [31:30] (0b10 = 4 KiB). Bit 55 of the VA picks the half.
std::optional<Half> select_half(const TranslationRegs& r, uint64_t va) {
  const bool upper = (va >> 55) & 1;
  const unsigned tsz = static_cast<unsigned>((r.tcr >> (upper ? 16 : 0)) & 0x3f);
  const bool disabled = (r.tcr >> (upper ? 23 : 7)) & 1;
  const uint64_t granule = (r.tcr >> (upper ? 30 : 14)) & 3;
  if (disabled || granule != (upper ? 2u : 0u) || tsz < 16 || tsz > 39) return std::nullopt;
  const unsigned input_bits = 64 - tsz;
  const uint64_t top = va >> input_bits;  // must be all ones (upper) or all zeros (lower)
  if (top != (upper ? (~0ull >> input_bits) : 0)) return std::nullopt;
  return Half{(upper ? r.ttbr1 : r.ttbr0) & kTableBaseMask, input_bits};
}

std::optional<uint64_t> read_descriptor(const Ram& ram, uint64_t at) {
  const uint8_t* p = ram.host_ptr(PhysAddr(at), 8);
  if (!p) return std::nullopt;
  uint64_t d;
  std::memcpy(&d, p, 8);
  return d;
}

}  // namespace

std::optional<uint64_t> translate(const Ram& ram, const TranslationRegs& regs, uint64_t va) {
  if (!(regs.sctlr & kSctlrM)) return va;
  auto half = select_half(regs, va);
  if (!half) return std::nullopt;
  // 4 KiB granule: 9 bits per level, the walk starts at the level whose bits hold the top of
  // the input range (48 bits: level 0; 39 bits: level 1).
  unsigned level = 3 - (half->input_bits - 13) / 9;
  uint64_t table = half->table;
  for (;; ++level) {
    const unsigned shift = 12 + 9 * (3 - level);
    const uint64_t index = (va >> shift) & ((1ull << std::min(9u, half->input_bits - shift)) - 1);
    auto d = read_descriptor(ram, table + 8 * index);
    if (!d || !(*d & 1)) return std::nullopt;
    const bool block = (*d & 2) == 0;
    if (level == 3) {
      if (block) return std::nullopt;  // reserved encoding at level 3
      return (*d & kOutputMask) | (va & 0xfff);
    }
    if (block) {
      if (level == 0) return std::nullopt;  // no level-0 blocks with 4 KiB pages
      const uint64_t size = 1ull << shift;
      return (*d & kOutputMask & ~(size - 1)) | (va & (size - 1));
    }
    table = *d & kOutputMask;
  }
}

}  // namespace kdsim::arm64
