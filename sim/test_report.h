// `kdsim test`, step three: each run judged from its exit status and its summary.json, then
// reported as a table (stdout) and as JUnit XML (--junit).
#pragma once
#include "sim/outcome.h"
#include "sim/test_children.h"
#include "sim/test_plan.h"
#include <string>
#include <vector>

namespace kdsim {

enum class Verdict {
  Pass,   // kdsim run exited 0 and every expectation was met
  Fail,   // an expectation not met, or nothing to check (no expect:), or no usable summary.json
  Error,  // the run could not judge the scenario: an input error (exit 3), usage, a crash, a signal
};

struct TestResult {
  std::string name;
  std::string arch;              // from summary.json, else the scenario; empty when unknown
  Verdict verdict = Verdict::Fail;
  double seconds = 0;            // host wall time of the child
  std::optional<Outcome> outcome;  // the machine's outcome, none when the run gave none
  size_t met = 0, total = 0;     // expectations
  std::string message;           // one line: why it did not pass
  std::string details;           // the unmet expectations, the last stage, the run's stderr
  std::string console_tail;      // the last lines of console.log (or of the run's stderr)
};

// Where a scenario's run leaves its files.
struct RunFiles {
  std::filesystem::path out_dir;  // kdsim run -o
  std::filesystem::path stdout_path, stderr_path;
};
RunFiles run_files(const std::filesystem::path& out_root, const TestCase& test);

// A scenario refused before running: its `expect:` is missing or empty.
TestResult refuse_without_expectations(const TestCase& test);
TestResult judge_run(const TestCase& test, const RunFiles& files, const ChildExit& exit);

std::string_view verdict_name(Verdict v);
std::string render_table(const std::vector<TestResult>& results, double wall_seconds);
std::string render_junit(const std::vector<TestResult>& results, double wall_seconds);

// XML 1.0 character data / attribute values: markup escaped, bytes that are not UTF-8 and
// characters XML forbids (controls other than tab/newline/CR) replaced by U+FFFD.
enum class XmlContext { Text, Attribute };
std::string xml_escape(std::string_view s, XmlContext context);

}  // namespace kdsim
