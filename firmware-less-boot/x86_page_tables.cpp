#include "firmware-less-boot/x86_page_tables.h"
#include "machine/assert.h"
#include "machine/error.h"
#include <cstring>

namespace kdsim::x86 {

namespace {
constexpr uint64_t kTableSize = 4096;
constexpr uint64_t kTableEntries = 512;
}  // namespace

llvm::Expected<IdentityPageTables> build_identity_page_tables(PhysAddr base, uint64_t cover_end) {
  KDSIM_ASSERT(base.is_aligned(kTableSize), "page tables at {} are not 4 KiB aligned", base);
  if (cover_end == 0 || cover_end > kIdentityMapMax)
    return make_error("x86: identity map of [P0x0, P0x{:x}) does not fit the lower half of a 4-level VA space "
                      "(0x{:x} bytes at most)",
                      cover_end, kIdentityMapMax);
  const uint64_t gib_count = (cover_end + kPudPageSize - 1) / kPudPageSize;
  const uint64_t pdpt_count = (gib_count + kTableEntries - 1) / kTableEntries;

  IdentityPageTables t;
  t.pml4 = base;
  t.area = {base, (1 + pdpt_count) * kTableSize};
  t.mapped = {PhysAddr(0), gib_count * kPudPageSize};
  t.bytes.assign(t.area.size, 0);
  auto set = [&](uint64_t table, uint64_t index, uint64_t value) {
    std::memcpy(t.bytes.data() + table * kTableSize + index * 8, &value, 8);  // host is little-endian
  };
  const uint64_t flags = kPtePresent | kPteWritable;
  for (uint64_t p = 0; p < pdpt_count; ++p) set(0, p, base.offset((1 + p) * kTableSize).value() | flags);
  for (uint64_t g = 0; g < gib_count; ++g)
    set(1 + g / kTableEntries, g % kTableEntries, (g * kPudPageSize) | flags | kPteLargePage);
  return t;
}

}  // namespace kdsim::x86
