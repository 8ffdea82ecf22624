// Runs a scenario: builds the machine, boots the kernel without firmware, feeds the steps to
// init through the agent whenever the guest waits, and collects the result.
#pragma once
#include "sim/run_result.h"
#include "sim/scenario.h"
#include "firmware-less-boot/kernel_image.h"
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>

namespace kdsim {

struct RunOptions {
  std::filesystem::path kernel_dir;                  // where <arch>/kernel.elf is found by default
  std::function<void(std::string_view)> live_console;  // may be empty
  std::filesystem::path vmcore_path;                 // where the dump disk's file goes (empty: none)
  // Debug/test: when the purgatory starts (the crashed kernel's memory is final: only the
  // crash region changes after it), write guest RAM here as a sparse file, offset = PA.
  std::filesystem::path ram_snapshot_path;
  // Benchmarks only: host wall time of every timeline event, as JSON lines. The host clock is
  // read only when this is set, and nothing else in the outputs depends on it.
  std::filesystem::path timing_path;
  // The host clock --timing reads (tests count its calls: without --timing it is never called).
  std::function<std::chrono::steady_clock::time_point()> host_clock = std::chrono::steady_clock::now;
  // kdsim run --gdb: serve the GDB remote protocol on 127.0.0.1:port (sim/gdb_server.h).
  std::optional<uint16_t> gdb_port;
};

// What kdsim run checks before it builds the machine, besides the scenario file itself: the
// first kernel's image (kernel.image, or the built one under kernel_dir) loads for the arch.
llvm::Expected<KernelImage> load_first_kernel(const Scenario& scenario, const std::filesystem::path& kernel_dir);

llvm::Expected<RunResult> run_scenario(const Scenario& scenario, const RunOptions& options);

}  // namespace kdsim
