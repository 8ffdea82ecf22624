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
  if (cover_end == 0 || cover_end > kPdptSpan)
    return make_error("x86: identity map of [P0x0, P0x{:x}) needs more than one PDPT (0x{:x} bytes at most)",
                      cover_end, kPdptSpan);
  const uint64_t pd_count = (cover_end + kPdSpan - 1) / kPdSpan;
  const uint64_t table_count = 2 + pd_count;  // PML4, PDPT, PDs

  IdentityPageTables t;
  t.pml4 = base;
  t.area = {base, table_count * kTableSize};
  t.mapped = {PhysAddr(0), pd_count * kPdSpan};
  t.bytes.assign(t.area.size, 0);
  auto set = [&](uint64_t table, uint64_t index, uint64_t value) {
    std::memcpy(t.bytes.data() + table * kTableSize + index * 8, &value, 8);  // host is little-endian
  };
  const uint64_t flags = kPtePresent | kPteWritable;
  const PhysAddr pdpt = base.offset(kTableSize);
  set(0, 0, pdpt.value() | flags);
  for (uint64_t pd = 0; pd < pd_count; ++pd) {
    const PhysAddr pd_base = base.offset((2 + pd) * kTableSize);
    set(1, pd, pd_base.value() | flags);
    for (uint64_t i = 0; i < kTableEntries; ++i)
      set(2 + pd, i, (pd * kPdSpan + i * kPageSize2M) | flags | kPteLargePage);
  }
  return t;
}

}  // namespace kdsim::x86
