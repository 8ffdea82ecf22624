#include "machine/stage.h"

namespace kdsim {

std::optional<std::string_view> stage_name(uint32_t code, Arch arch) {
  switch (static_cast<StageCode>(code)) {
  case StageCode::KernelEntry: return "kernel_entry";
  case StageCode::MmuOn: return "mmu_on";
  case StageCode::VectorsInstalled: return "vectors_installed";
  case StageCode::InitStart: return "init_start";
  case StageCode::Oops: return "oops";
  case StageCode::Panic: return "panic";
  case StageCode::CrashKexec: return "crash_kexec";
  case StageCode::MachineCrashShutdown: return "machine_crash_shutdown";
  case StageCode::MachineKexec: return "machine_kexec";
  case StageCode::MmuOff: return arch == Arch::X86_64 ? "identity_mapped" : "mmu_off";
  case StageCode::PurgatoryEntry: return "purgatory_entry";
  case StageCode::DigestOk: return "digest_ok";
  case StageCode::DigestMismatch: return "digest_mismatch";
  case StageCode::CaptureEntry: return "capture_entry";
  case StageCode::VmcoreInit: return "vmcore_init";
  case StageCode::DumpComplete: return "dump_complete";
  case StageCode::NextKernelEntry: return "next_kernel_entry";
  case StageCode::DigestSkipped: return "digest_skipped";
  }
  return std::nullopt;
}

}  // namespace kdsim
