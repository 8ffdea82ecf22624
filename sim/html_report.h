// `kdsim run --report`: OUTDIR/report.html, one self-contained page (inline CSS and SVG, no
// script, nothing fetched) for people: the physical memory map as it changes hands (System RAM,
// the kernel, the crash region, every kexec segment, the core header, the CPU notes, what the
// capture kernel may use, what the dump wrote), the stage timeline with instruction counts, CPU,
// EL/CPL, MMU and symbolized PCs, the console with the kdump markers highlighted, the steps'
// output, and the vmcore's summary (each CPU's saved registers and call trace, symbolized).
#pragma once
#include "sim/expectations.h"
#include "sim/run_result.h"
#include "sim/scenario.h"
#include <optional>
#include <string>

namespace kdsim {

// `vmcore_summary`: `kdsim inspect`'s text for the saved vmcore, when there is one.
std::string render_report_html(const Scenario& scenario, const RunResult& result,
                               const std::vector<ExpectationCheck>& checks,
                               const std::optional<std::string>& vmcore_summary);

}  // namespace kdsim
