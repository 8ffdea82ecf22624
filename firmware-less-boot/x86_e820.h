// The e820 memory map kdsim reports in boot_params (docs/devices.md, x86_64 board): RAM below
// 0x9fc00 usable, [0x9fc00, 0x100000) reserved (EBDA, VGA, option ROMs, BIOS on a PC), the rest
// of RAM usable. Types per arch/x86/include/asm/e820/types.h.
#pragma once
#include "machine/addr.h"
#include <cstdint>
#include <span>
#include <vector>

namespace kdsim::x86 {

enum class E820Type : uint32_t { Ram = 1, Reserved = 2 };

struct E820Entry {
  PhysRange range;
  E820Type type = E820Type::Ram;
};

inline constexpr uint64_t kLowMemoryEnd = 0x9fc00;   // end of usable conventional memory
inline constexpr uint64_t kLegacyAreaEnd = 0x100000;  // 1 MiB

// One entry per piece of each RAM range cut at kLowMemoryEnd and kLegacyAreaEnd, in address
// order. `ram` must be sorted and disjoint (as Ram::regions() are).
std::vector<E820Entry> build_e820(std::span<const PhysRange> ram);

}  // namespace kdsim::x86
