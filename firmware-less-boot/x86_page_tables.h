// Identity-mapping page tables for the x86 64-bit boot protocol: 4-level paging with 2 MiB
// pages (Intel SDM Vol. 3A 4.5, tables 4-15/4-17/4-18). No NX bit anywhere: Unicorn's CPU
// model has no NX, so bit 63 would be a reserved-bit #PF (unicorn-2.0.1.md 4.1).
#pragma once
#include "machine/addr.h"
#include <llvm/Support/Error.h>
#include <cstdint>
#include <vector>

namespace kdsim::x86 {

inline constexpr uint64_t kPtePresent = 1ull << 0;
inline constexpr uint64_t kPteWritable = 1ull << 1;
inline constexpr uint64_t kPteLargePage = 1ull << 7;  // PS in a PDE: maps 2 MiB
inline constexpr uint64_t kPteAddressMask = 0x000ffffffffff000ull;
inline constexpr uint64_t kPageSize2M = 2ull << 20;
inline constexpr uint64_t kPdSpan = 1ull << 30;     // one page directory maps 1 GiB
inline constexpr uint64_t kPdptSpan = 512ull << 30; // one PDPT maps 512 GiB

struct IdentityPageTables {
  PhysAddr pml4;               // the CR3 value
  PhysRange area;              // where the tables live: PML4, PDPT, then one PD per GiB
  PhysRange mapped;            // [0, end): VA == PA, read/write, supervisor, executable
  std::vector<uint8_t> bytes;  // area.size bytes to write at area.base
};

// Maps [0, cover_end rounded up to 1 GiB) with tables starting at `base` (4 KiB aligned).
// At most 512 GiB (one PDPT).
llvm::Expected<IdentityPageTables> build_identity_page_tables(PhysAddr base, uint64_t cover_end);

}  // namespace kdsim::x86
