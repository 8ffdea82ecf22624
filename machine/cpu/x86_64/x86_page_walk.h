// Host-side walk of the guest's 4-level x86_64 page tables (Intel SDM Vol. 3A 4.5), reading the
// tables straight from RAM. Unicorn 2.0.1 walks them too but throws the PA away (reference 4.1);
// this walk recovers it so the VA can be backed by the right host memory.
// Permissions are not checked here: QEMU's own walk raises #PF for those.
#pragma once
#include <cstdint>
#include <optional>

namespace kdsim {
class Ram;
}

namespace kdsim::x86 {

inline constexpr uint64_t kPageSize = 0x1000;
inline constexpr uint64_t kCr0Pe = 1ull << 0;
inline constexpr uint64_t kCr0Pg = 1ull << 31;
inline constexpr uint64_t kCr4Pae = 1ull << 5;

// A present leaf: the VA range [va_base, va_base + size) maps linearly onto PA pa_base.
struct Leaf {
  uint64_t va_base = 0;
  uint64_t pa_base = 0;
  uint64_t size = 0;  // 4 KiB, 2 MiB or 1 GiB
  uint64_t translate(uint64_t va) const { return pa_base + (va - va_base); }
};

// nullopt when the VA is not canonical, an entry on the way is not present or has a reserved
// PS bit, or a table lies outside RAM: the guest access then faults in QEMU's walk as well.
std::optional<Leaf> walk_page_tables(const Ram& ram, uint64_t cr3, uint64_t va);

}  // namespace kdsim::x86
