// What a scenario run produced, before it is written out or checked against expectations.
#pragma once
#include "sim/outcome.h"
#include "machine/machine.h"
#include "firmware-less-boot/kexec/kexec_plan.h"
#include "firmware-less-boot/kexec/iomem.h"
#include "firmware-less-boot/kernel_image.h"
#include "firmware-less-boot/kexec/purgatory_image.h"
#include "machine/stage.h"
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kdsim {

// One timeline entry: a stage the guest reported on the stage port, or an event the host saw.
struct TimelineEvent {
  // Guest: reported by guest code through the stage port. Machine: observed by the machine
  // (PCs entering watched code, a spin), whatever the guest reports. Host: kdsim's own actions.
  enum class Source { Guest, Machine, Host };
  Source source = Source::Host;
  std::string name;          // "kernel_entry", "agent_hello", "step", "power_off", ...
  StageRecord record;        // guest stages: everything; host events: sequence, instructions, cpu
  std::string detail;        // host events: free text (command line, exit status, fault)
  std::string symbol;        // guest/machine events: the code at the PC ("machine_kexec+0x40/0x90")
};

struct StepResult {
  std::string origin;  // the scenario step it runs ("steps[2]"); empty for the commands a kexec step expands into
  std::string label;
  std::string command;
  std::string output;
  std::optional<int32_t> exit_status;  // none: the command never completed (e.g. it crashed the kernel)
  uint64_t sent_at = 0;                // machine time (instructions)
};

struct RunResult {
  Outcome outcome = Outcome::HostTurn;  // set when the run ends (run_scenario)
  RunStop stop;
  uint64_t instructions = 0;
  std::string console;
  std::optional<std::string> panic_message;
  std::vector<TimelineEvent> timeline;
  std::vector<StepResult> steps;
  std::vector<std::string> warnings;
  // What made the run fail whatever the expectations say (exit 1): a host action that could not
  // apply (a fault injection naming a segment the plan does not have), the kexec-tools role
  // refusing its inputs (a purgatory or capture kernel of the wrong arch).
  std::vector<std::string> errors;
  // The scenario's steps that never started, as labelled in the scenario, with the list name
  // ("steps[3] run: cat /proc/vmcore").
  std::vector<std::string> not_reached;
  std::optional<uint64_t> vmcore_size;  // set when the dump disk completed a vmcore
  uint64_t refused_dma = 0;  // device transfers from or to bus addresses that are no RAM (wild DMA)
  uint64_t unmapped_device_accesses = 0;  // MMIO addresses / I/O ports touched where no device sits
  std::optional<KexecPlan> kexec_plan;  // what kexec -p loaded
  std::optional<std::string> kexec_load;    // "0" or the errno name the last kexec_load returned
  std::vector<std::string> kexec_loads;     // every kexec_load's result, in order
  PurgatoryStatus purgatory = PurgatoryStatus::NotReached;
  std::vector<std::string> analysis;        // host findings after the run (where it stopped, why)
  // Guest RAM the host itself changed after loading (fault injection), for the digest forensics.
  struct HostWrite {
    PhysAddr at;
    std::string step;  // the step's label
  };
  std::vector<HostWrite> host_writes;
  std::string kernel_path;
  Arch arch{};  // the scenario's machine.arch
  uint64_t kernel_entry = 0;
  // The images of the last kexec_load, to name PCs after the run (sim/symbolizer.h).
  std::shared_ptr<const KernelImage> next_kernel;  // null: the running kernel's own image
  std::shared_ptr<const PurgatoryImage> purgatory_image;
};

// A kexec_load's result (or kexec-tools-error when the kexec-tools role gave up before it);
// none when init's report of it could not be read ("no result" in the list).
inline void record_kexec_load(RunResult& r, std::optional<std::string> result) {
  r.kexec_loads.push_back(result.value_or("no result"));
  r.kexec_load = std::move(result);
}

// The first kernel's /proc/iomem as the run's first `cat /proc/iomem` step printed it, parsed
// with the kexec-tools role's own parser; none when no such step printed a valid one.
inline std::optional<Iomem> first_iomem(const RunResult& r) {
  for (const StepResult& st : r.steps) {
    if (st.command != "cat /proc/iomem") continue;
    auto iomem = Iomem::parse(st.output);
    if (iomem) return std::move(*iomem);
    llvm::consumeError(iomem.takeError());
  }
  return std::nullopt;
}

}  // namespace kdsim
