// kdsim: a full-system crash simulator for the Linux kexec/kdump path.
#include <optional>
#include "machine/host_file.h"
#include "machine/partial_files.h"
#include "machine/error.h"
#include "sim/output_text.h"
#include "sim/exit_codes.h"
#include "sim/expectations.h"
#include "sim/html_report.h"
#include "sim/inspect.h"
#include "sim/lab_command.h"
#include "sim/purgatory_command.h"
#include "sim/reports.h"
#include "sim/runner.h"
#include "sim/test_command.h"
#include <CLI/CLI.hpp>
#include <llvm/Support/ErrorHandling.h>
#include <exception>
#include <string_view>
#include <vector>
#include <cstdio>
#include <cstdlib>
#include <fstream>

using namespace kdsim;

namespace {

struct RunArgs {
  std::string scenario;
  std::string out_dir;
  std::string kernel_dir;
  std::string ram_snapshot;
  std::string timing;
  std::optional<uint16_t> gdb_port;
  bool report = false;
  std::string purgatory;             // overrides kexec.purgatory (a purgatory.ro)
  std::string purgatory_from_kexec;  // overrides kexec.purgatory (a kexec binary holding one)
  bool quiet = false;
};

std::filesystem::path default_kernel_dir(const std::string& from_cli) {
  if (!from_cli.empty()) return from_cli;
  if (const char* env = std::getenv("KDSIM_KERNEL_DIR")) return env;
  return KDSIM_DEFAULT_KERNEL_DIR;  // the build tree's kernels/, set by CMake
}

int input_error(llvm::Error err) {
  fmt::print(stderr, "kdsim: error: {}\n", error_text(std::move(err)));
  return static_cast<int>(ExitCode::InputError);
}

// OUTDIR/report.html (sim/html_report.h), with the saved vmcore decoded when there is one.
llvm::Error write_html_report(const std::filesystem::path& out, const Scenario& s, const RunResult& r,
                              const std::vector<ExpectationCheck>& checks) {
  std::optional<std::string> vmcore;
  if (r.vmcore_size) {
    auto text = inspect_vmcore(out / "vmcore", std::filesystem::path(r.kernel_path));
    if (text) vmcore = std::move(*text);
    else vmcore = "the vmcore could not be decoded: " + error_text(text.takeError());
  }
  const std::string html = render_report_html(s, r, checks, vmcore);
  const std::filesystem::path tmp = out / ".kdsim-tmp-report.html", final_path = out / "report.html";
  if (auto err = write_fresh_file(tmp, html)) return err;
  return rename_into_place(tmp, final_path);
}

// A run replaces the previous run's outputs: the reports and this run's step-N.out files are
// written below, and the vmcore (renamed into place only when complete), report.html and the
// earlier step-N.out files go.
void remove_stale_outputs(const std::filesystem::path& out, const RunResult& result, bool report) {
  std::error_code ec;
  if (!result.vmcore_size) std::filesystem::remove(out / "vmcore", ec);
  if (!report) std::filesystem::remove(out / "report.html", ec);
  std::vector<std::filesystem::path> stale;
  for (const auto& entry : std::filesystem::directory_iterator(out, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("step-") && name.ends_with(".out") && entry.is_regular_file(ec)) stale.push_back(entry.path());
  }
  for (const auto& path : stale) std::filesystem::remove(path, ec);
}

// The files this run left in OUTDIR, as the last line of `kdsim run` says them.
std::string outputs_line(const std::filesystem::path& out, const RunResult& result, bool report) {
  std::string files = "console.log, stages.jsonl, transcript.txt, summary.json";
  for (size_t i = 0; i < result.steps.size(); ++i)
    if (auto file = step_output_file(result.steps[i].output, i)) files += ", " + *file;
  if (result.vmcore_size) files += ", vmcore";
  if (report) files += ", report.html";
  return fmt::format("{}/{{{}}}", out.string(), files);
}

int run_command(const RunArgs& args) {
  auto scenario = Scenario::load(args.scenario);
  if (!scenario) return input_error(scenario.takeError());
  // The same scenario, judged the same way, with another purgatory: what a CI job regressing
  // its own purgatory wants.
  if (!args.purgatory.empty())
    scenario->kexec.purgatory = PurgatorySource{PurgatorySource::Kind::Object, args.purgatory};
  if (!args.purgatory_from_kexec.empty())
    scenario->kexec.purgatory = PurgatorySource{PurgatorySource::Kind::KexecBinary, args.purgatory_from_kexec};
  RunOptions options{.kernel_dir = default_kernel_dir(args.kernel_dir), .live_console = {}};
  if (!args.quiet)
    options.live_console = [](std::string_view bytes) {
      std::fwrite(bytes.data(), 1, bytes.size(), stdout);
      if (bytes.find('\n') != std::string_view::npos) std::fflush(stdout);
    };
  std::filesystem::path out = args.out_dir.empty() ? std::filesystem::path("out") / scenario->name
                                                  : std::filesystem::path(args.out_dir);
  // Before anything runs: a run of minutes must not end in "cannot write" (issue #12).
  if (auto err = prepare_output_dir(out)) return input_error(std::move(err));
  options.vmcore_path = out / "vmcore";
  options.ram_snapshot_path = args.ram_snapshot;
  options.timing_path = args.timing;
  options.gdb_port = args.gdb_port;
  auto result = run_scenario(*scenario, options);
  if (!result) return input_error(result.takeError());
  remove_stale_outputs(out, *result, args.report);
  auto checks = check_expectations(scenario->expect, *result);
  if (auto err = write_reports(out, *scenario, *result, checks)) return input_error(std::move(err));
  if (args.report)
    if (auto err = write_html_report(out, *scenario, *result, checks)) return input_error(std::move(err));
  std::fflush(stdout);
  std::string transcript = render_transcript(*scenario, *result, checks);
  fmt::print("\n{}", transcript);
  fmt::print("outputs: {}\n", outputs_line(out, *result, args.report));
  if (!result->errors.empty()) return static_cast<int>(ExitCode::ExpectationsFailed);
  for (const auto& c : checks)
    if (!c.met) return static_cast<int>(ExitCode::ExpectationsFailed);
  return static_cast<int>(ExitCode::Ok);
}

int inspect_command(const std::string& vmcore, const std::string& kernel) {
  auto text = inspect_vmcore(vmcore, kernel.empty() ? std::nullopt : std::optional<std::filesystem::path>(kernel));
  if (!text) return input_error(text.takeError());
  fmt::print("{}", *text);
  return static_cast<int>(ExitCode::Ok);
}

}  // namespace

// Internal errors (sim/exit_codes.h): an exception nothing caught, or LLVM's fatal errors, end
// with a message and exit status 4 instead of SIGABRT. KDSIM_ASSERT does the same.
static void install_internal_error_handlers() {
  std::set_terminate([] {
    std::string what = "an exception nothing caught";
    if (std::exception_ptr e = std::current_exception()) try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        what = fmt::format("uncaught exception: {}", ex.what());
      } catch (...) {
      }
    std::fprintf(stderr, "kdsim internal error: %s\n", what.c_str());
    std::fflush(stderr);
    std::_Exit(static_cast<int>(ExitCode::InternalError));
  });
  llvm::install_fatal_error_handler([](void*, const char* reason, bool) {
    std::fprintf(stderr, "kdsim internal error: LLVM: %s\n", reason);
    std::fflush(stderr);
    std::_Exit(static_cast<int>(ExitCode::InternalError));
  });
}

// `kdsim help` and `kdsim help SUBCOMMAND` are `kdsim --help` and `kdsim SUBCOMMAND --help`.
static std::vector<char*> help_as_flag(int argc, char** argv) {
  static char help_flag[] = "--help";
  std::vector<char*> args(argv, argv + argc);
  if (argc >= 2 && std::string_view(argv[1]) == "help") {
    args.erase(args.begin() + 1);
    args.push_back(help_flag);
  }
  return args;
}

int main(int raw_argc, char** raw_argv) {
  install_internal_error_handlers();
  install_partial_file_cleanup();
  std::vector<char*> arguments = help_as_flag(raw_argc, raw_argv);
  const int argc = static_cast<int>(arguments.size());
  char** argv = arguments.data();
  CLI::App app{"kdsim: a full-system simulator of the Linux kexec/kdump path (toy kernels on emulated arm64 "
               "and x86_64 machines)"};
  app.set_version_flag("--version", std::string("kdsim ") + KDSIM_VERSION);
  app.footer(kExitCodeHelp);
  app.require_subcommand(1);

  RunArgs run_args;
  CLI::App* run = app.add_subcommand("run", "Run a scenario and write its outputs");
  run->add_option("scenario", run_args.scenario, "Scenario YAML file")->required();
  run->add_option("-o,--out", run_args.out_dir, "Output directory (default: out/<scenario name>)");
  run->add_option("--kernel-dir", run_args.kernel_dir,
                  "Directory holding <arch>/kernel.elf (default: $KDSIM_KERNEL_DIR or the build tree)");
  run->add_flag("-q,--quiet", run_args.quiet, "Do not print the guest console live");
  run->add_option("--ram-snapshot", run_args.ram_snapshot,
                  "Write guest RAM to this sparse file (offset = physical address) when purgatory starts");
  auto* purgatory_opt = run->add_option("--purgatory", run_args.purgatory,
                                        "Use this purgatory.ro instead of the scenario's kexec.purgatory");
  run->add_option("--purgatory-from-kexec", run_args.purgatory_from_kexec,
                  "Use the purgatory embedded in this kexec binary (e.g. /usr/sbin/kexec) instead of the scenario's")
      ->excludes(purgatory_opt);
  run->add_flag("--report", run_args.report,
               "Also write OUTDIR/report.html: memory map, stage timeline, console, vmcore summary (self-contained)");
  run->add_option("--gdb", run_args.gdb_port,
                  "Wait for gdb on 127.0.0.1:PORT before the first instruction (GDB remote protocol; "
                  "each CPU a thread, breakpoints across the kexec hand-off); 0 picks a free port");
  run->add_option("--timing", run_args.timing,
                  "Benchmarks: write host wall time per timeline event to this file (reads the host clock)");
  run->footer(kExitCodeHelp);

  std::string inspect_vmcore_path, inspect_kernel;
  CLI::App* inspect = app.add_subcommand("inspect", "Decode a saved vmcore: program headers, per-CPU registers, VMCOREINFO");
  inspect->add_option("vmcore", inspect_vmcore_path, "vmcore file (OUTDIR/vmcore)")->required();
  inspect->add_option("--kernel", inspect_kernel, "The crashed kernel's ELF, to symbolize PCs");

  PurgatoryExtractArgs extract_args;
  std::string extract_arch;
  CLI::App* purgatory = app.add_subcommand("purgatory", "Work with purgatory objects (purgatory.ro)");
  purgatory->require_subcommand(1);
  CLI::App* extract = purgatory->add_subcommand(
      "extract", "Write the purgatory.ro embedded in a kexec-tools binary (e.g. /usr/sbin/kexec) to a file");
  extract->add_option("kexec_binary", extract_args.kexec_binary, "kexec binary (an ELF file)")->required();
  extract->add_option("-o,--output", extract_args.output, "Where to write purgatory.ro (replaced atomically)")
      ->required();
  extract->add_option("--arch", extract_arch, "arm64 or x86_64 (default: the kexec binary's own machine)")
      ->check(CLI::IsMember({"arm64", "x86_64"}));
  extract->footer(kExitCodeHelp);

  CLI::App* lab = app.add_subcommand("lab", "Teaching labs (labs/): grade a student's answers");
  lab->require_subcommand(1);
  std::string lab_dir, lab_answers, lab_kernel_dir;
  CLI::App* lab_check = lab->add_subcommand("check", "Run the lab's scenario and grade ANSWERS (a YAML map) against it");
  lab_check->add_option("lab", lab_dir, "The lab's directory (labs/NN-name)")->required();
  lab_check->add_option("answers", lab_answers, "The answers: question key -> answer")->required();
  lab_check->add_option("--kernel-dir", lab_kernel_dir, "Where <arch>/kernel.elf and purgatory.ro are");
  lab_check->footer("Exit codes: 0 every answer right, 1 some wrong or missing, 3 unusable lab or answer file");
  TestArgs test_args;
  CLI::App* test = app.add_subcommand(
      "test", "Run scenarios as separate `kdsim run` processes, N at a time; a table on stdout, JUnit XML on request");
  test->add_option("paths", test_args.paths, "Scenario files or directories (recursively, *.yaml; default: scenarios)");
  test->add_option("-j,--jobs", test_args.jobs, "Scenarios run at the same time (default: 1)");
  test->add_option("--junit", test_args.junit, "Write a JUnit XML report to this file");
  test->add_option("--shard", test_args.shard,
                   "K/N: run only shard K of N (1-based; scenario i of the sorted list goes to shard i mod N + 1)");
  test->add_flag("--list", test_args.list,
                "Print the scenarios that would run (name, file), each validated as kdsim run would; exit");
  test->add_option("--filter", test_args.filter, "Only scenarios whose name or path matches this glob (fnmatch)");
  test->add_option("-o,--out", test_args.out_root, "Each scenario's outputs go to OUTROOT/<name> (default: out/test)");
  test->add_option("--kernel-dir", test_args.kernel_dir, "Handed to every kdsim run");
  test->footer("Exit codes:\n"
               "  0  every scenario passed\n"
               "  1  a scenario failed: an expectation not met, no expect: block, or kdsim run could not judge it\n"
               "  2  usage error\n"
               "  3  bad arguments (--shard, -j), no scenario found, or an unusable output\n"
               "  --list: 1 when a listed scenario is invalid (marked INVALID, with why)\n");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {  // CLI11 reports only by throwing
    int rc = app.exit(e);
    return rc == 0 ? 0 : static_cast<int>(ExitCode::Usage);
  }
  if (run->parsed()) return run_command(run_args);
  if (test->parsed()) {
    test_args.resolved_kernel_dir = default_kernel_dir(test_args.kernel_dir).string();
    return test_command(test_args);
  }
  if (inspect->parsed()) return inspect_command(inspect_vmcore_path, inspect_kernel);
  if (lab_check->parsed()) return lab_check_command(lab_dir, lab_answers, default_kernel_dir(lab_kernel_dir));
  if (extract->parsed()) {
    if (!extract_arch.empty()) extract_args.arch = parse_arch(extract_arch);  // CLI11 checked the name
    return purgatory_extract_command(extract_args);
  }
  return static_cast<int>(ExitCode::Usage);
}
