// The kexec-tools role as actions on a running guest: `kexec -p` reads what the kernel
// publishes through init (cat /proc/iomem, the crash_notes files, /sys/kernel/vmcoreinfo),
// plans the crash load on the host (firmware-less-boot/kexec/kexec_plan.h) and hands the
// segments to init's `kexec-load`, which calls the kernel's real kexec_load.
#pragma once
#include "sim/driver.h"
#include <deque>
#include <functional>

namespace kdsim {

struct KexecStepContext {
  const Scenario& scenario;
  const RunOptions& options;
  RunResult& result;
  Machine& machine;
  const KernelImage& running_kernel;
  std::function<void(std::string name, std::string detail)> host_event;  // adds a timeline record
};

// The actions of `kexec -p` (Crash) or `kexec -l` (Normal) for a `kexec:` step, in order. The
// last one, the kexec_load itself, carries the step's `origin`: its result is the step's result.
std::deque<Action> kexec_load_actions(const KexecStepContext& ctx, KexecMode mode, const Step& step);

// Fault injection: flips one byte of a loaded segment in guest RAM (after kexec -p).
llvm::Error corrupt_segment(const KexecStepContext& ctx, const Step& step, std::string& detail);

// The errno name in init's "kexec_load: -<n> (<NAME>)" line, or "0".
std::optional<std::string> parse_kexec_load_output(std::string_view output);

}  // namespace kdsim
