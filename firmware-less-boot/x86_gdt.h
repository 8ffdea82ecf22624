// The boot GDT of the x86 64-bit boot protocol (Documentation/arch/x86/boot.rst: __BOOT_CS
// 0x10 execute/read, __BOOT_DS 0x18 read/write, flat 4 GiB). Descriptors are built like
// Linux's GDT_ENTRY() in arch/x86/include/asm/segment.h, with the flag bits of Intel SDM
// Vol. 3A 3.4.5 ("Segment Descriptors") named.
#pragma once
#include <array>
#include <cstdint>

namespace kdsim::x86 {

// The 16 "flags" bits of GDT_ENTRY(): access byte in bits 0..7, G/D/L/AVL in bits 12..15.
inline constexpr uint16_t kDescAccessed = 1 << 0;
inline constexpr uint16_t kDescReadWrite = 1 << 1;  // code: readable; data: writable
inline constexpr uint16_t kDescCode = 1 << 3;       // executable
inline constexpr uint16_t kDescS = 1 << 4;          // code/data, not a system descriptor
inline constexpr uint16_t kDescPresent = 1 << 7;
inline constexpr uint16_t kDescLong = 1 << 13;        // L: 64-bit code
inline constexpr uint16_t kDescDefaultBig = 1 << 14;  // D/B: 32-bit operands / 4 GiB stack
inline constexpr uint16_t kDescGranularity = 1 << 15; // limit in 4 KiB units

// Accessed is preset so the CPU never has to write the descriptor back.
inline constexpr uint16_t kDescCode64 =
    kDescGranularity | kDescLong | kDescPresent | kDescS | kDescCode | kDescReadWrite | kDescAccessed;  // 0xa09b
inline constexpr uint16_t kDescData =
    kDescGranularity | kDescDefaultBig | kDescPresent | kDescS | kDescReadWrite | kDescAccessed;  // 0xc093

constexpr uint64_t gdt_entry(uint16_t flags, uint32_t base, uint32_t limit) {
  return ((uint64_t(base) & 0xff000000) << (56 - 24)) | ((uint64_t(flags) & 0xf0ff) << 40) |
         ((uint64_t(limit) & 0x000f0000) << (48 - 16)) | ((uint64_t(base) & 0x00ffffff) << 16) |
         (uint64_t(limit) & 0x0000ffff);
}

inline constexpr uint16_t kBootCs = 0x10;  // __BOOT_CS
inline constexpr uint16_t kBootDs = 0x18;  // __BOOT_DS

// Entries 0 and 1 null (as in Linux's boot GDT), 2 = __BOOT_CS, 3 = __BOOT_DS.
inline constexpr std::array<uint64_t, 4> kBootGdt = {0, 0, gdt_entry(kDescCode64, 0, 0xfffff),
                                                     gdt_entry(kDescData, 0, 0xfffff)};
static_assert(kBootGdt[kBootCs / 8] == 0x00af9b000000ffff);
static_assert(kBootGdt[kBootDs / 8] == 0x00cf93000000ffff);

}  // namespace kdsim::x86
