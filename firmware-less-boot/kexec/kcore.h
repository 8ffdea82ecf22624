// The start of /proc/kcore as kexec-tools reads it: the ELF header, the program headers and
// the PT_NOTE's notes (kexec-tools kexec/kexec-elf-core.c build_elf_core_info with
// ELF_SKIP_FILESZ_CHECK: the memory behind the PT_LOADs is never read). The kernel side is
// kernels/common/fs/proc/kcore.c (Linux fs/proc/kcore.c).
#pragma once
#include "machine/addr.h"
#include <cstdint>
#include <llvm/Support/Error.h>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kdsim {

// kexec-tools' KCORE_ELF_HEADERS_SIZE (kexec/crashdump.h): how much of /proc/kcore it reads.
inline constexpr uint64_t kKcoreHeadersSize = 32768;

struct KcoreLoad {
  VirtAddr vaddr;
  uint64_t paddr = 0;  // ~0: no physical address (vmalloc and the like)
  uint64_t memsz = 0;
};

struct Kcore {
  std::vector<KcoreLoad> loads;           // the PT_LOADs, in file order
  std::optional<std::string> vmcoreinfo;  // the "VMCOREINFO" note's KEY=VALUE text (4.19+)
};

// `head` holds the first bytes of /proc/kcore. Errors name the field, its offset and values:
// a file that is not a little-endian ELF64 core of `machine` (EM_*), program headers or notes
// past what was read, a note overrunning its segment.
llvm::Expected<Kcore> parse_kcore(std::string_view head, uint16_t machine);

// The PT_LOAD holding `vaddr`, if any.
const KcoreLoad* kcore_load_containing(const Kcore& kcore, VirtAddr vaddr);

}  // namespace kdsim
