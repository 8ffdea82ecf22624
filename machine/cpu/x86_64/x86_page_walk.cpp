#include "machine/cpu/x86_64/x86_page_walk.h"
#include "machine/ram.h"
#include <cstring>

namespace kdsim::x86 {
namespace {

constexpr uint64_t kPresent = 1ull << 0;
constexpr uint64_t kLargePage = 1ull << 7;           // PS in a PDPTE / PDE
constexpr uint64_t kAddrMask = 0x000ffffffffff000ull;  // bits 51:12

std::optional<uint64_t> read_entry(const Ram& ram, uint64_t table, unsigned index) {
  const uint8_t* p = ram.host_ptr(PhysAddr(table + 8ull * index), 8);
  if (!p) return std::nullopt;
  uint64_t e;
  std::memcpy(&e, p, 8);
  return e;
}

bool canonical(uint64_t va) {
  uint64_t top = va >> 47;
  return top == 0 || top == 0x1ffff;
}

}  // namespace

std::optional<Leaf> walk_page_tables(const Ram& ram, uint64_t cr3, uint64_t va) {
  if (!canonical(va)) return std::nullopt;
  uint64_t table = cr3 & kAddrMask;
  // level 3 = PML4 (bits 47:39), 2 = PDPT (38:30), 1 = PD (29:21), 0 = PT (20:12)
  for (int level = 3; level >= 0; --level) {
    const unsigned shift = 12 + 9 * static_cast<unsigned>(level);
    auto e = read_entry(ram, table, static_cast<unsigned>((va >> shift) & 0x1ff));
    if (!e || !(*e & kPresent)) return std::nullopt;
    const bool leaf = level == 0 || ((level == 1 || level == 2) && (*e & kLargePage));
    if (level == 3 && (*e & kLargePage)) return std::nullopt;  // reserved in a PML4E
    if (leaf) {
      const uint64_t size = 1ull << shift;
      return Leaf{va & ~(size - 1), *e & kAddrMask & ~(size - 1), size};
    }
    table = *e & kAddrMask;
  }
  return std::nullopt;
}

}  // namespace kdsim::x86
