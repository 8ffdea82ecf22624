#include "machine/host_file.h"
#include "sim/test_command.h"
#include "machine/error.h"
#include "sim/exit_codes.h"
#include "sim/runner.h"
#include "sim/scenario.h"
#include "sim/test_children.h"
#include "sim/test_plan.h"
#include "sim/test_report.h"
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <sys/ioctl.h>
#include <unistd.h>

namespace kdsim {

namespace {

int input_error(llvm::Error err) {
  fmt::print(stderr, "kdsim: error: {}\n", error_text(std::move(err)));
  return static_cast<int>(ExitCode::InputError);
}

llvm::Expected<std::vector<TestCase>> plan(const TestArgs& args) {
  auto shard = args.shard.empty() ? llvm::Expected<Shard>(Shard{}) : parse_shard(args.shard);
  if (!shard) return shard.takeError();
  if (args.jobs < 1) return make_error("-j {}: at least 1 job", args.jobs);
  if (args.jobs > static_cast<int>(kMaxChildJobs)) return make_error("-j {}: at most {} jobs", args.jobs, kMaxChildJobs);
  auto files = find_scenario_files(args.paths.empty() ? std::vector<std::string>{"scenarios"} : args.paths);
  if (!files) return files.takeError();
  auto cases = describe_scenarios(*files);
  if (!cases) return cases.takeError();
  size_t found = cases->size();
  std::vector<TestCase> kept = shard_cases(filter_cases(std::move(*cases), args.filter), *shard);
  if (kept.empty())
    return make_error("no scenario to run: {} found, none left after{}{}", found,
                      args.filter.empty() ? "" : fmt::format(" --filter '{}'", args.filter),
                      args.shard.empty() ? "" : fmt::format(" --shard {}", args.shard));
  return kept;
}

// The live progress line: redrawn in place on a terminal, one plain line per event otherwise.
class Progress {
public:
  explicit Progress(size_t total) : m_total(total), m_tty(isatty(STDERR_FILENO)) {}
  void started(const std::string& name) {
    m_running.push_back(name);
    if (m_tty) redraw();
  }
  void finished(const TestResult& r) {
    std::erase(m_running, r.name);
    ++m_done;
    if (m_tty) fmt::print(stderr, "\r\033[K");
    fmt::print(stderr, "[{}/{}] {} {} ({:.2f} s)\n", m_done, m_total, verdict_name(r.verdict), r.name, r.seconds);
    if (m_tty) redraw();
  }
  void clear() {
    if (m_tty) fmt::print(stderr, "\r\033[K");
  }

private:
  // Cut to the terminal's width: a line that wraps could not be redrawn by a carriage return.
  void redraw() {
    if (m_running.empty()) return;
    std::string line = fmt::format("[{}/{}] running {} ...", m_done, m_total, fmt::join(m_running, ", "));
    winsize ws{};
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 4 && line.size() >= ws.ws_col)
      line = line.substr(0, ws.ws_col - 4) + "...";
    fmt::print(stderr, "\r\033[K{}", line);
    std::fflush(stderr);
  }
  size_t m_total, m_done = 0;
  bool m_tty;
  std::vector<std::string> m_running;
};

ChildSpec child_spec(const std::string& self, const TestArgs& args, const TestCase& test, const RunFiles& files) {
  ChildSpec spec{.argv = {self, "run", test.file.string(), "-o", files.out_dir.string(), "--quiet"},
                 .stdout_path = files.stdout_path, .stderr_path = files.stderr_path};
  if (!args.kernel_dir.empty()) spec.argv.insert(spec.argv.end(), {"--kernel-dir", args.kernel_dir});
  return spec;
}

// A fresh start for each run's directory: a summary.json left by an earlier run must not be
// read as this run's.
llvm::Error prepare(const RunFiles& files) {
  std::error_code ec;
  std::filesystem::create_directories(files.out_dir, ec);
  if (!ec) std::filesystem::remove(files.out_dir / "summary.json", ec);
  if (ec) return make_error("{}: cannot prepare the output directory: {}", files.out_dir.string(), ec.message());
  return llvm::Error::success();
}

llvm::Error write_atomically(const std::filesystem::path& path, std::string_view content) {
  std::filesystem::path tmp = path;
  tmp.replace_filename(".kdsim-tmp-" + path.filename().string());
  if (auto err = write_fresh_file(tmp, content)) return err;
  return rename_into_place(tmp, path);
}

// `interrupted`: the signal (SIGINT, SIGTERM) that stopped the runs, or 0.
llvm::Expected<std::vector<TestResult>> run_all(const TestArgs& args, const std::vector<TestCase>& cases,
                                                int& interrupted) {
  auto self = self_executable();
  if (!self) return self.takeError();
  std::vector<TestResult> results(cases.size());
  std::vector<ChildSpec> specs;
  std::vector<size_t> spec_case;  // specs[i] runs cases[spec_case[i]]
  for (size_t i = 0; i < cases.size(); ++i) {
    if (cases[i].load_error.empty() && !cases[i].has_expectations) {
      results[i] = refuse_without_expectations(cases[i]);
      continue;
    }
    if (auto err = prepare(run_files(args.out_root, cases[i]))) return err;
    specs.push_back(child_spec(*self, args, cases[i], run_files(args.out_root, cases[i])));
    spec_case.push_back(i);
  }
  Progress progress(cases.size());
  for (const TestResult& r : results)
    if (!r.name.empty()) progress.finished(r);
  interrupted = run_children(specs, static_cast<unsigned>(args.jobs),
               ChildEvents{.started = [&](size_t s) { progress.started(cases[spec_case[s]].name); },
                           .finished = [&](size_t s, const ChildExit& exit) {
                             const TestCase& test = cases[spec_case[s]];
                             results[spec_case[s]] = judge_run(test, run_files(args.out_root, test), exit);
                             progress.finished(results[spec_case[s]]);
                           }});
  progress.clear();
  return results;
}

// Why `kdsim test` could not pass this scenario whatever the machine did: what `kdsim run`
// refuses before it runs (the file, the first kernel's image) or a scenario with nothing to
// check. Empty when it would run.
std::string why_invalid(const TestArgs& args, const TestCase& test) {
  if (!test.load_error.empty()) return test.load_error;
  auto scenario = Scenario::load(test.file);
  if (!scenario) return error_text(scenario.takeError());
  if (auto image = load_first_kernel(*scenario, args.resolved_kernel_dir); !image) return error_text(image.takeError());
  if (!test.has_expectations) return "no expect: block, nothing to check (kdsim test refuses it)";
  return {};
}

// --list: every selected scenario, name TAB file, each validated as `kdsim run` would before
// running it; an invalid one gets a third column "INVALID: why" and the exit status is 1.
int list_cases(const TestArgs& args, const std::vector<TestCase>& cases) {
  size_t invalid = 0;
  for (const TestCase& c : cases) {
    const std::string why = why_invalid(args, c);
    if (why.empty()) fmt::print("{}\t{}\n", c.name, c.file.string());
    else fmt::print("{}\t{}\tINVALID: {}\n", c.name, c.file.string(), why), ++invalid;
  }
  std::fflush(stdout);
  if (!invalid) return static_cast<int>(ExitCode::Ok);
  fmt::print(stderr, "kdsim: {} of {} listed scenarios are invalid\n", invalid, cases.size());
  return static_cast<int>(ExitCode::ExpectationsFailed);
}

}  // namespace

int test_command(const TestArgs& args) {
  auto cases = plan(args);
  if (!cases) return input_error(cases.takeError());
  if (args.list) return list_cases(args, *cases);
  auto started = std::chrono::steady_clock::now();  // the report's wall time only
  int interrupted = 0;
  auto results = run_all(args, *cases, interrupted);
  if (!results) return input_error(results.takeError());
  if (interrupted) {
    // The children got the signal too and removed their own unfinished files; no report is
    // written for a run that did not finish.
    fmt::print(stderr, "kdsim: interrupted by {}; the running scenarios were stopped, no report written\n",
               interrupted == SIGINT ? "SIGINT" : "SIGTERM");
    return 128 + interrupted;  // the shell's convention, as kdsim run
  }
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  fmt::print("{}", render_table(*results, wall));
  std::fflush(stdout);
  if (!args.junit.empty())
    if (auto err = write_atomically(args.junit, render_junit(*results, wall))) return input_error(std::move(err));
  for (const TestResult& r : *results)
    if (r.verdict != Verdict::Pass) return static_cast<int>(ExitCode::ExpectationsFailed);
  return static_cast<int>(ExitCode::Ok);
}

}  // namespace kdsim
