// What the host can tell about the kexec hand-off after a run, even when the guest could not
// print: whether purgatory verified its digest, where a CPU is spinning, and which loaded
// region no longer matches what kexec_load was given.
#pragma once
#include "machine/machine.h"
#include "sim/run_result.h"

namespace kdsim {

void analyse_handoff(Machine& machine, RunResult& result);

}  // namespace kdsim
