// The ELF core header kexec-tools builds for the capture kernel (kexec/crashdump-elf.c
// crash_create_elf64_headers; linux-kexec.md 7.2), from plain inputs instead of sysfs and
// /proc/iomem. The capture kernel's /proc/vmcore parses it (linux-kexec.md 8).
//
// Layout: Elf64_Ehdr (ET_CORE, EM_X86_64 / EM_AARCH64, ELFOSABI_NONE, e_entry 0, e_phoff 64,
// no sections), then the program headers in this order:
//   1. one PT_NOTE per CPU with a note buffer: p_offset = p_paddr = crash_notes PA, p_vaddr 0,
//      p_filesz = p_memsz = crash_notes_size (kexec-tools' MAX_NOTE_BYTES 1024 when unknown),
//      flags 0, align 0;
//   2. the VMCOREINFO PT_NOTE (if given): same shape, size = the note size from
//      /sys/kernel/vmcoreinfo;
//   3. the kernel-text PT_LOAD (if given and its size is not 0): p_offset = p_paddr = paddr,
//      p_vaddr = vaddr, RWX, align 0;
//   4. one PT_LOAD per RAM range minus every crash range: p_offset = p_paddr = start,
//      p_vaddr = start - phys_offset + page_offset (x86_64: phys_offset 0, page_offset
//      0xffff888000000000 by default; arm64: PHYS_OFFSET and the linear map base), RWX,
//      align 0; except x86's backup region (the range equal to [backup_src_start, +size)),
//      whose p_offset is backup_start (the copy the purgatory made).
// The buffer is 64 + phnum * 56 bytes rounded up to 1024 (ELF_CORE_HEADER_ALIGN), zero padded.
// (x86 kexec-tools then gives the segment a memsz of at least 16 KiB: the caller's business.)
#pragma once
#include "machine/addr.h"
#include "machine/cpu.h"
#include <llvm/Support/Error.h>
#include <cstdint>
#include <optional>
#include <vector>

namespace kdsim {

inline constexpr uint64_t kElfCoreHeaderAlign = 1024;  // ELF_CORE_HEADER_ALIGN in kexec-tools
inline constexpr uint64_t kMaxNoteBytes = 1024;        // MAX_NOTE_BYTES: fallback note size

// A note buffer in the crashed kernel's memory (crash_notes / vmcoreinfo).
struct CrashNoteBuffer {
  PhysAddr addr;
  uint64_t size = 0;  // 0: unknown, kMaxNoteBytes is used (as kexec-tools without crash_notes_size)
};

struct KernelTextRange {
  PhysAddr paddr;
  VirtAddr vaddr;
  uint64_t size = 0;  // 0: no kernel-text PT_LOAD
};

// x86_64 crash loads: the first 640 KiB is copied by the purgatory to backup_start, and the
// core header points there.
struct CrashBackupRegion {
  PhysRange source;  // [backup_src_start, +backup_src_size)
  PhysAddr backup_start;
};

struct ElfCoreHeaderInput {
  Arch arch = Arch::Arm64;
  std::vector<CrashNoteBuffer> cpu_notes;  // present CPUs, in CPU order
  std::optional<CrashNoteBuffer> vmcoreinfo;
  std::optional<KernelTextRange> kernel_text;
  std::vector<PhysRange> system_ram;    // "System RAM" ranges
  std::vector<PhysRange> crash_kernel;  // "Crash kernel" ranges, left out of the dump
  uint64_t page_offset = 0;             // linear-map virtual base
  uint64_t phys_offset = 0;             // physical address the linear map starts at (arm64)
  std::optional<CrashBackupRegion> backup;
};

// Errors: "elfcorehdr: <n> program headers do not fit e_phnum (at most 65534)".
llvm::Expected<std::vector<uint8_t>> build_elfcorehdr(const ElfCoreHeaderInput& input);

}  // namespace kdsim
