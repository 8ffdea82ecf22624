// Stage records: what the host observed at each phase of a run (docs/devices.md stage codes).
// The kernels (kernels/include/kdsim/stage.h) and the purgatory (kernels/purgatory/stage_codes.h)
// keep their own copies of the codes; tests/consistency/stage_vocabulary.py fails when they drift.
#pragma once
#include "machine/cpu.h"
#include <cstdint>
#include <optional>
#include <string_view>

namespace kdsim {

enum class StageCode : uint32_t {
  KernelEntry = 0x01,
  MmuOn = 0x02,
  VectorsInstalled = 0x03,
  InitStart = 0x04,
  Oops = 0x05,
  Panic = 0x06,
  CrashKexec = 0x10,
  MachineCrashShutdown = 0x11,
  MachineKexec = 0x12,
  MmuOff = 0x13,  // arm64 cpu_soft_restart (mmu_off); x86 relocate_kernel's identity CR3 (identity_mapped)
  PurgatoryEntry = 0x14,
  DigestOk = 0x15,
  DigestMismatch = 0x16,
  CaptureEntry = 0x17,
  VmcoreInit = 0x18,
  DumpComplete = 0x19,
  // Only the machine records these (StageRecord::observed): no guest reports them.
  NextKernelEntry = 0x20,  // a CPU's PC reaches the entry kexec_load was given for the next kernel
  DigestSkipped = 0x21,    // ... with the purgatory's checks off (kexec --no-checks)
};

// Linux-flavoured stage names, as they appear in stages.jsonl and the transcript. One code can
// be named per arch: 0x13 is arm64's mmu_off (cpu_soft_restart clears SCTLR_EL1.M) but x86_64's
// identity_mapped (relocate_kernel switches CR3 to identity-mapped tables; long mode keeps
// paging on, so x86 never runs with the MMU off).
std::optional<std::string_view> stage_name(uint32_t code, Arch arch);

struct StageRecord {
  uint64_t sequence = 0;      // 0, 1, 2, ... in the order observed
  uint64_t instructions = 0;  // machine time: instructions executed by all CPUs so far
  unsigned cpu = 0;
  CpuSnapshot state;
  uint32_t code = 0;
  uint64_t arg0 = 0, arg1 = 0;
  // true: the machine saw it happen (PCs entering watched code, a spin); false: the guest
  // reported it through the stage port.
  bool observed = false;
};

}  // namespace kdsim
