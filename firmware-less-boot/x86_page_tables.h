// Identity-mapping page tables for the x86 64-bit boot protocol: 4-level paging with 1 GiB
// pages (Intel SDM Vol. 3A 4.5, tables 4-15/4-16), as Linux's kernel_ident_mapping_init() builds
// them with info->direct_gbpages (arch/x86/mm/ident_map.c, ident_pud_init()). One PDPT per
// 512 GiB and no page directories: the tables cost 4 KiB + 4 KiB per 512 GiB whatever the RAM
// size. No NX bit anywhere: Unicorn's CPU model has no NX, so bit 63 would be a reserved-bit
// #PF (unicorn-2.0.1.md 4.1).
#pragma once
#include "machine/addr.h"
#include <llvm/Support/Error.h>
#include <cstdint>
#include <vector>

namespace kdsim::x86 {

inline constexpr uint64_t kPtePresent = 1ull << 0;
inline constexpr uint64_t kPteWritable = 1ull << 1;
inline constexpr uint64_t kPteLargePage = 1ull << 7;  // PS in a PDPTE: maps 1 GiB
inline constexpr uint64_t kPteAddressMask = 0x000ffffffffff000ull;
inline constexpr uint64_t kPudPageSize = 1ull << 30;      // a PDPTE with PS maps 1 GiB
inline constexpr uint64_t kPdptSpan = 512ull << 30;       // one PDPT maps 512 GiB
inline constexpr uint64_t kIdentityMapMax = 256 * kPdptSpan;  // the lower canonical half
// MAXPHYADDR of the emulated CPU: Unicorn 2.0.1 (QEMU 5.0 TCG_PHYS_ADDR_BITS) reports 40 bits in
// CPUID 0x80000008, and a PTE pointing at or above 1 TiB has reserved bits set (#PF RSVD).
inline constexpr unsigned kMaxPhysAddrBits = 40;

struct IdentityPageTables {
  PhysAddr pml4;               // the CR3 value
  PhysRange area;              // where the tables live: the PML4, then one PDPT per 512 GiB
  PhysRange mapped;            // [0, end): VA == PA, read/write, supervisor, executable
  std::vector<uint8_t> bytes;  // area.size bytes to write at area.base
};

// Maps [0, cover_end rounded up to 1 GiB) with tables starting at `base` (4 KiB aligned).
// At most kIdentityMapMax (128 TiB, the lower half of the 48-bit VA space).
llvm::Expected<IdentityPageTables> build_identity_page_tables(PhysAddr base, uint64_t cover_end);

}  // namespace kdsim::x86
