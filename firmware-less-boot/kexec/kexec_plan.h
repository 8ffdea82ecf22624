// `kexec -p` in the kexec-tools role: from what the running kernel publishes (/proc/iomem,
// crash_notes, vmcoreinfo) build the segments of a crash (kdump) load — the capture kernel,
// its boot data (arm64: a DTB with linux,elfcorehdr and linux,usable-memory-range; x86_64:
// boot_params with an e820 map of the crash region and "elfcorehdr=" on the command line), the
// ELF core header and the purgatory with its SHA-256 regions — all inside the crashkernel=
// region, ready for the guest's real kexec_load(KEXEC_ON_CRASH).
//
// Mirrors kexec-tools: kexec/kexec.c (my_load), kexec/arch/arm64/crashdump-arm64.c,
// kexec/arch/i386/crashdump-x86.c and kexec/crashdump-elf.c. Where kdsim departs from it, the
// comment at the place says why.
#pragma once
#include "firmware-less-boot/kernel_image.h"
#include "firmware-less-boot/kexec/elfcorehdr.h"
#include "firmware-less-boot/kexec/kexec_segment.h"
#include "firmware-less-boot/kexec/purgatory_image.h"
#include "firmware-less-boot/kexec/sha256_regions.h"
#include <llvm/Support/Error.h>
#include <optional>
#include <string>
#include <vector>

namespace kdsim {

// include/uapi/linux/kexec.h
inline constexpr uint64_t kKexecOnCrash = 0x1;
inline constexpr uint64_t kKexecArchAarch64 = 183ull << 16;
inline constexpr uint64_t kKexecArchX86_64 = 62ull << 16;

struct KexecPlanConfig {
  Arch arch = Arch::Arm64;
  const KernelImage* running_kernel = nullptr;  // symbols for the kernel-text PT_LOAD
  const KernelImage* capture_kernel = nullptr;  // the image to load (often the same)
  const PurgatoryImage* purgatory = nullptr;
  std::vector<PhysRange> board_ram;  // every RAM range of the machine (arm64 /memory)
  unsigned cpu_count = 1;
  std::string cmdline;  // the capture kernel's command line

  // What kexec-tools reads from the running kernel.
  std::string iomem_text;                      // /proc/iomem
  std::vector<CrashNoteBuffer> cpu_notes;      // /sys/devices/system/cpu/cpuN/crash_notes{,_size}
  std::optional<CrashNoteBuffer> vmcoreinfo;   // /sys/kernel/vmcoreinfo
  // The first kKcoreHeadersSize bytes of /proc/kcore (its ELF and program headers and the
  // VMCOREINFO note), or none when the read failed; kcore_error then holds strerror's words
  // ("Operation not permitted").
  std::optional<std::string> kcore_head;
  std::string kcore_error;

  PurgatoryChecks checks = PurgatoryChecks::Verify;
  uint64_t purgatory_uart = 0;  // arm64_sink / serial_base; 0: silent purgatory
  uint64_t stage_port = 0;      // kdsim_stage_port for a purgatory that has the symbol
};

struct KexecPlan {
  std::vector<KexecSegment> segments;  // sorted by mem, as kexec-tools hands them over
  PhysAddr entry;                       // kexec_load entry: the purgatory's purgatory_start
  uint64_t flags = 0;                   // KEXEC_ON_CRASH | KEXEC_ARCH_*
  std::optional<PhysRange> crash_region;  // where the segments go; none: nothing reserved
  // Every "Crash kernel" range of /proc/iomem, lowest first: crashkernel=X,high with its ,low
  // region gives two. The capture kernel may use all of them (arm64 linux,usable-memory-range,
  // x86 e820), as kexec-tools passes them; the segments go to crash_region, the last.
  std::vector<PhysRange> crash_regions;
  PhysAddr kernel_entry;
  PhysAddr boot_data;                   // DTB (arm64) / boot_params (x86_64)
  PhysRange elfcorehdr;                 // the header's bytes
  uint64_t elfcorehdr_memsz = 0;        // its segment (x86: at least 16 KiB)
  PhysRange purgatory;
  std::optional<CrashBackupRegion> backup;  // x86_64 crash loads: the 640 KiB backup segment
  std::vector<std::string> log;         // what was decided, one line each (kexec -d style)
};

// kexec -p: a crash (kdump) load, KEXEC_ON_CRASH, into the crashkernel= region.
// kexec -l: a normal load for `kexec -e`. The new kernel goes to its linked physical address
// (over the running kernel: the kernel stages the data and relocation copies it at exec time),
// its boot data (arm64 DTB without kdump properties / x86 boot_params with the full e820) and
// the purgatory go to free RAM after it. No core header; flags without KEXEC_ON_CRASH. The
// crash-specific inputs of the config (notes, vmcoreinfo) are not used.
enum class KexecMode { Crash, Normal };

llvm::Expected<KexecPlan> plan_kexec(const KexecPlanConfig& config, KexecMode mode);

// The "KEXG" blob init turns into kexec_load(entry, nr_segments, segments, flags)
// (docs/devices.md, "Blobs").
std::vector<uint8_t> encode_kexec_load_blob(std::span<const KexecSegment> segments, PhysAddr entry, uint64_t flags);

}  // namespace kdsim
