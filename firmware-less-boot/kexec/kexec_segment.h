// A kexec segment in host form (Linux `struct kexec_segment`, include/uapi/linux/kexec.h:
// buf/bufsz are the vector, mem/memsz keep their names) and the checks kexec-tools applies to a
// segment list before kexec_load(2) (linux-kexec.md section 1.8). The kernel never sees a list
// that fails them.
#pragma once
#include "machine/addr.h"
#include <llvm/Support/Error.h>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace kdsim {

inline constexpr uint64_t kKexecPageSize = 4096;
inline constexpr size_t kKexecSegmentMax = 16;  // KEXEC_SEGMENT_MAX, the kernel's limit

struct KexecSegment {
  std::vector<uint8_t> buf;  // bufsz = buf.size(); the rest of memsz is zero-filled
  PhysAddr mem;
  uint64_t memsz = 0;
  std::string what;  // "kernel", "initrd", "dtb", "purgatory", "elfcorehdr": named in errors

  uint64_t bufsz() const { return buf.size(); }
  PhysRange range() const { return {mem, memsz}; }
};

// kexec-tools add_segment_phys_virt() then sort_segments() (kexec/kexec.c), in that order:
//  - bufsz larger than memsz is clamped to memsz (the buffer is truncated);
//  - a segment with memsz 0 is dropped;
//  - memsz is rounded up to kKexecPageSize;
//  - a base that is not page aligned is an error:
//      "kexec segment <i> (<what>): Base address: <mem hex> is not page aligned"
//  - a segment whose end passes 2^64 is an error:
//      "kexec segment <i> (<what>): [P0x.., +0x..) wraps around the physical address space"
//  - segments are sorted by mem (stable), and an overlap is an error, with kexec-tools' text
//    first (the end of the lower segment, as its %p prints it):
//      "Overlapping memory segments at 0x<end>: segment (<what>) [P0x.., P0x..) and segment
//       (<what>) [P0x.., P0x..)"
// <i> is the index in the input list. More than kKexecSegmentMax segments is only a warning in
// kexec-tools (the kernel refuses with -EINVAL), so it is not checked here.
llvm::Expected<std::vector<KexecSegment>> prepare_kexec_segments(std::vector<KexecSegment> segments);

// kexec-tools valid_memory_range(): every segment must lie inside one of `memory` (the RAM
// ranges from /proc/iomem), else
//   "Invalid memory segment 0x<mem> - 0x<last byte> (<what>)".
llvm::Error check_segments_in_memory(std::span<const KexecSegment> segments, std::span<const PhysRange> memory);

}  // namespace kdsim
