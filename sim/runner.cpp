#include "sim/runner.h"
#include "machine/assert.h"
#include "sim/host_arch.h"
#include "machine/error.h"
#include "machine/host_file.h"
#include "sim/boot.h"
#include "sim/driver.h"
#include "sim/handoff_analysis.h"
#include "sim/gdb_server.h"
#include "sim/symbolizer.h"
#include "firmware-less-boot/kernel_image.h"

namespace kdsim {

namespace {

constexpr std::string_view kPanicMarker = "Kernel panic - not syncing: ";  // kernel/panic.c

// A spin or a fault while the CPU is inside the purgatory (entered, next kernel not reached)
// is the purgatory's own outcome: that is where a hand-off regression shows.
Outcome outcome_of(Machine& m, const RunStop& stop) {
  const bool in_purgatory = m.handoff().in_purgatory(VirtAddr(m.cpu(stop.cpu).pc()));
  switch (stop.cause) {
  case StopCause::PowerOff: return Outcome::PowerOff;
  case StopCause::Reset: return Outcome::Reset;
  case StopCause::AllIdle: return Outcome::Hang;
  case StopCause::AllOff: return Outcome::Hang;
  case StopCause::InstructionLimit: return Outcome::InstructionLimit;
  case StopCause::GuestFault: return in_purgatory ? Outcome::PurgatoryFault : Outcome::GuestFault;
  case StopCause::Spin: return in_purgatory ? Outcome::PurgatorySpin : Outcome::Spin;
  case StopCause::Debug: return Outcome::DebuggerKill;
  case StopCause::HostTurn: return Outcome::HostTurn;  // never final (run_scenario runs on)
  }
  KDSIM_ASSERT(false, "stop cause {}", static_cast<int>(stop.cause));
  return Outcome::HostTurn;
}

std::optional<std::string> find_panic_message(const std::string& console) {
  size_t at = console.find(kPanicMarker);
  if (at == std::string::npos) return std::nullopt;
  size_t start = at + kPanicMarker.size();
  size_t end = console.find_first_of("\r\n", start);
  return console.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// Names the code at every guest and machine record's PC: the first kernel until the machine saw
// the jump to the next kernel, the purgatory in its segment, the next kernel afterwards.
void symbolize_timeline(RunResult& r, std::shared_ptr<const KernelImage> first) {
  Symbolizer symbols({first, 0});
  if (r.kexec_plan && r.purgatory_image) {
    auto placed = r.purgatory_image->place(r.kexec_plan->purgatory.base);
    if (placed) symbols.set_purgatory(std::move(*placed));
    else llvm::consumeError(placed.takeError());  // it was placed there once already
  }
  if (r.kexec_plan) {
    std::shared_ptr<const KernelImage> next = r.next_kernel;
    if (!next) next = first;  // kexec -p / -l of the running kernel's own image
    const int64_t offset = static_cast<int64_t>(r.kexec_plan->kernel_entry.value() - next->entry_physical().value());
    symbols.set_next_kernel({next, offset});
  }
  bool after_handoff = false;
  for (TimelineEvent& e : r.timeline) {
    if (e.source == TimelineEvent::Source::Host) continue;
    if (e.source == TimelineEvent::Source::Machine && e.name == "next_kernel_entry") after_handoff = true;
    e.symbol = symbols.symbolize(e.record.state.pc.value(), after_handoff).value_or("");
  }
}

// What gdb needs to know as images become live: the purgatory (placed at its segment) and the
// next kernel (moved to its load address), printed once each, on stderr.
class GdbImages {
public:
  explicit GdbImages(const RunResult& r) : m_result(r) {}
  void announce(const Machine& m) {
    const HandoffObservation& h = m.handoff();
    const RunResult& r = m_result;
    if (!m_purgatory && r.kexec_load == "0" && r.kexec_plan && r.purgatory_image) {
      m_purgatory = true;
      auto placed = r.purgatory_image->place(r.kexec_plan->purgatory.base);
      if (!placed) return llvm::consumeError(placed.takeError());
      std::string sections;
      for (const PurgatorySection& sec : r.purgatory_image->sections())
        if (auto at = placed->section_address(sec.index); at && !sec.name.empty())
          sections += fmt::format(" -s {} 0x{:x}", sec.name, at->value());
      fmt::print(stderr, "kdsim: the purgatory is loaded: add-symbol-file {}{}\n", r.purgatory_image->name(), sections);
    }
    if (h.next_kernel_entered && !m_next && r.kexec_plan) {
      m_next = true;
      const std::string path = r.next_kernel ? r.next_kernel->name() : r.kernel_path;
      fmt::print(stderr, "kdsim: the next kernel is live from {} (physical entry); its symbols: add-symbol-file {} "
                         "(same virtual addresses once its MMU is on)\n",
                 r.kexec_plan->kernel_entry, path);
    }
  }

private:
  const RunResult& m_result;
  bool m_purgatory = false, m_next = false;
};

// --timing: one JSON line per timeline event with its host seconds. Written as the reports are
// (a fresh temporary file beside it, renamed into place), so a symlink at the path is replaced,
// never written through, and an interrupted run leaves no half file (machine/host_file.h).
llvm::Error write_timing(const std::filesystem::path& path, const RunResult& result, const std::vector<double>& secs) {
  std::string out;
  for (size_t i = 0; i < result.timeline.size() && i < secs.size(); ++i)
    out += fmt::format("{{\"seq\":{},\"stage\":\"{}\",\"insn\":{},\"seconds\":{:.6f}}}\n", i,
                       result.timeline[i].name, result.timeline[i].record.instructions, secs[i]);
  std::filesystem::path tmp = path;
  tmp.replace_filename(".kdsim-tmp-" + path.filename().string());
  if (auto err = write_fresh_file(tmp, out)) return err;
  return rename_into_place(tmp, path);
}

// The first kernel's image, with the error naming the scenario and kernel.image (or the default
// kernel and how to build it).
llvm::Error kernel_error(const Scenario& scenario, llvm::Error err) {
  std::string why = error_text(std::move(err));
  if (scenario.kernel) return make_error("{}: kernel.image: {}", scenario.file.string(), why);
  return make_error("{}: the default {} kernel cannot be used ({}); build it with scripts/setup.sh or pass "
                    "--kernel-dir", scenario.file.string(), arch_name(scenario.arch), why);
}

}  // namespace

llvm::Expected<KernelImage> load_first_kernel(const Scenario& scenario, const std::filesystem::path& kernel_dir) {
  std::filesystem::path kernel = scenario.kernel.value_or(default_kernel_path(kernel_dir, scenario.arch));
  auto image = KernelImage::create(kernel.string(), scenario.arch);
  if (!image) return kernel_error(scenario, image.takeError());
  return image;
}

llvm::Expected<RunResult> run_scenario(const Scenario& scenario, const RunOptions& options) {
  std::filesystem::path kernel = scenario.kernel.value_or(default_kernel_path(options.kernel_dir, scenario.arch));
  auto fail = [&](llvm::Error err) -> llvm::Error { return kernel_error(scenario, std::move(err)); };
  auto image = load_first_kernel(scenario, options.kernel_dir);
  if (!image) return image.takeError();
  auto first_image = std::make_shared<const KernelImage>(*image);

  RunResult result;
  ScenarioDriver driver(scenario, options, result, *image);
  MachineConfig mc{
      .arch = scenario.arch, .ram_size = scenario.memory, .cpus = scenario.cpus, .debug = options.gdb_port.has_value()};
  auto machine = Machine::create(mc, driver);
  if (!machine) return make_error("{}: {}", scenario.file.string(), error_text(machine.takeError()));
  Machine& m = **machine;
  driver.attach(m);
  if (!options.vmcore_path.empty()) m.dump_disk().attach(options.vmcore_path);
  m.dump_disk().set_faults(scenario.dump_disk);

  auto boot = boot_first_kernel(m, *image, scenario.cmdline);
  if (!boot) return fail(boot.takeError());
  result.kernel_path = kernel.string();
  result.arch = scenario.arch;
  result.kernel_entry = boot->entry.value();
  driver.host_event("boot", fmt::format("{} entered at {} ({})", kernel.filename().string(), boot->entry, boot->summary));

  std::unique_ptr<GdbServer> gdb;
  GdbImages images(result);
  if (options.gdb_port) {
    auto server = GdbServer::listen(*options.gdb_port);
    if (!server) return server.takeError();
    gdb = std::move(*server);
    fmt::print(stderr, "kdsim: waiting for gdb on 127.0.0.1:{} before the first instruction: {} -ex 'file {}' -ex "
                       "'target remote 127.0.0.1:{}'\n",
               gdb->port(), host_arch(scenario.arch).gdb_program(), kernel.string(), gdb->port());
    std::fflush(stderr);
    if (auto err = gdb->accept()) return err;
    if (gdb->serve(m, 0) == GdbServer::Resume::Detach) gdb.reset();
  }
  for (;;) {
    result.stop = m.run(scenario.instruction_limit);
    if (gdb) images.announce(m);
    if (result.stop.cause == StopCause::Debug && gdb) {
      const GdbServer::Resume how = gdb->serve(m, result.stop.cpu);
      if (how == GdbServer::Resume::Kill) break;
      if (how == GdbServer::Resume::Detach) gdb.reset();
      continue;
    }
    const bool host_turn = result.stop.cause == StopCause::HostTurn;
    if ((result.stop.cause == StopCause::AllIdle || host_turn) && driver.feed()) {
      m.wake_idle_cpus();
      continue;
    }
    if (host_turn) continue;  // nothing to send: the busy CPUs run on
    break;
  }
  if (gdb) gdb->report_exit(result.stop.cause == StopCause::PowerOff ? 0 : 1);
  result.outcome = outcome_of(m, result.stop);
  result.instructions = m.instructions();
  result.unmapped_device_accesses = m.unmapped_device_accesses();
  if (result.unmapped_device_accesses)
    result.analysis.push_back(fmt::format(
        "{} guest {} to MMIO or I/O ports where no device sits (the first {} per address space are in the "
        "timeline as unmapped_mmio / unmapped_port): reads floated high, writes were dropped",
        result.unmapped_device_accesses, result.unmapped_device_accesses == 1 ? "access" : "accesses",
        Bus::kKeptUnmapped));
  if (result.refused_dma)
    result.analysis.push_back(fmt::format(
        "{} DMA {} refused: a device was handed a bus address that is no RAM (wild_dma in the timeline); "
        "the device reported an error status and moved no data",
        result.refused_dma, result.refused_dma == 1 ? "transfer" : "transfers"));
  driver.host_event(std::string(outcome_name(result.outcome)), result.stop.detail, result.stop.cpu);
  driver.finish();
  result.panic_message = find_panic_message(result.console);
  analyse_handoff(m, result);
  symbolize_timeline(result, first_image);
  if (!options.timing_path.empty())
    if (auto err = write_timing(options.timing_path, result, driver.event_seconds())) return err;
  return result;
}

}  // namespace kdsim
