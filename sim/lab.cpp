#include "sim/lab.h"
#include "firmware-less-boot/kernel_image.h"
#include "machine/error.h"
#include <yaml-cpp/yaml.h>
#include <algorithm>
#include <cctype>

namespace kdsim {

namespace {

std::string lower_trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::optional<uint64_t> number(std::string_view s) {
  if (s.starts_with("0x")) s.remove_prefix(2);
  if (s.empty() || s.size() > 16) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
    v = v * 16 + static_cast<uint64_t>(std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : c - 'a' + 10);
  }
  return v;
}

// "name+0x24/0x2c" -> "name"
std::string function_of(std::string_view symbol) { return std::string(symbol.substr(0, symbol.find('+'))); }

// "start-end" as /proc/iomem prints it, for the first resource of that name.
std::optional<std::string> iomem_range(const RunResult& r, std::string_view name) {
  auto iomem = first_iomem(r);
  if (!iomem) return std::nullopt;
  for (const IomemResource& res : iomem->resources())
    if (res.name == name) return fmt::format("{:08x}-{:08x}", res.start, res.end);
  return std::nullopt;
}

const TimelineEvent* first_stage(const RunResult& r, std::string_view name) {
  for (const TimelineEvent& e : r.timeline)
    if (e.source != TimelineEvent::Source::Host && e.name == name) return &e;
  return nullptr;
}

std::optional<std::string> crashing_function(const RunResult& r) {
  const TimelineEvent* oops = first_stage(r, "oops");
  if (!oops || r.kernel_path.empty()) return std::nullopt;
  auto kernel = KernelImage::create(r.kernel_path, r.arch);
  if (!kernel) return llvm::consumeError(kernel.takeError()), std::nullopt;
  // The oops stage's second argument is the faulting PC (kernels/common/kernel/die.c).
  auto sym = kernel->symbolize(VirtAddr(oops->record.arg1));
  return sym ? std::optional(function_of(*sym)) : std::nullopt;
}

// "sha256 region N (WHAT, [...": the analysis line digest forensics writes.
std::optional<std::string> changed_segment(const RunResult& r) {
  for (const std::string& a : r.analysis) {
    const size_t at = a.find("sha256 region ");
    const size_t open = a.find(" (", at);
    const size_t comma = a.find(", [", open);
    if (at == std::string::npos || open == std::string::npos || comma == std::string::npos) continue;
    return a.substr(open + 2, comma - open - 2);
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> lab_truth(const std::string& source, const RunResult& r) {
  const size_t space = source.find(' ');
  const std::string kind = source.substr(0, space);
  const std::string arg = space == std::string::npos ? "" : source.substr(space + 1);
  if (kind == "iomem") return iomem_range(r, arg);
  if (kind == "kexec_load") return r.kexec_load;
  if (kind == "crashing_function") return crashing_function(r);
  if (kind == "crashing_cpu") {
    const TimelineEvent* oops = first_stage(r, "oops");
    return oops ? std::optional(std::to_string(oops->record.cpu)) : std::nullopt;
  }
  if (kind == "stage_function") {
    const TimelineEvent* e = first_stage(r, arg);
    return e && !e->symbol.empty() ? std::optional(function_of(e->symbol)) : std::nullopt;
  }
  if (kind == "stage_pc") {
    const TimelineEvent* e = first_stage(r, arg);
    return e ? std::optional(fmt::format("0x{:x}", e->record.state.pc.value())) : std::nullopt;
  }
  if (kind == "changed_segment") return changed_segment(r);
  if (kind == "purgatory") return std::string(purgatory_status_name(r.purgatory));
  if (kind == "outcome") return std::string(outcome_name(r.outcome));
  return std::nullopt;
}

bool answers_match(std::string_view given_in, std::string_view truth_in) {
  const std::string given = lower_trimmed(given_in), truth = lower_trimmed(truth_in);
  if (given == truth) return true;
  const size_t gdash = given.find('-'), tdash = truth.find('-');
  if (gdash != std::string::npos && tdash != std::string::npos) {
    auto g1 = number(given.substr(0, gdash)), g2 = number(given.substr(gdash + 1));
    auto t1 = number(truth.substr(0, tdash)), t2 = number(truth.substr(tdash + 1));
    if (g1 && g2 && t1 && t2) return *g1 == *t1 && *g2 == *t2;
  }
  if (given.starts_with("0x") || truth.starts_with("0x")) {
    auto g = number(given), t = number(truth);
    if (g && t) return *g == *t;
  }
  return function_of(given) == truth;
}

llvm::Expected<Lab> load_lab(const std::filesystem::path& dir) {
  const std::filesystem::path file = dir / "lab.yaml";
  YAML::Node root;
  try {
    root = YAML::LoadFile(file.string());
  } catch (const YAML::Exception& e) {
    return make_error("{}: {}", file.string(), e.what());
  }
  Lab lab{.dir = dir, .title = root["title"].as<std::string>(""), .scenario = {}, .questions = {}};
  const std::string scenario = root["scenario"].as<std::string>("");
  if (scenario.empty()) return make_error("{}: scenario: missing", file.string());
  lab.scenario = dir / scenario;
  const YAML::Node questions = root["questions"];
  if (!questions.IsSequence() || questions.size() == 0) return make_error("{}: questions: a list is expected", file.string());
  for (const YAML::Node& q : questions) {
    LabQuestion lq{q["key"].as<std::string>(""), q["ask"].as<std::string>(""), q["from"].as<std::string>(""),
                   q["hint"].as<std::string>("")};
    if (lq.key.empty() || lq.source.empty())
      return make_error("{}:{}: a question needs `key` and `from`", file.string(), q.Mark().line + 1);
    lab.questions.push_back(std::move(lq));
  }
  return lab;
}

llvm::Expected<std::map<std::string, std::string>> load_answers(const std::filesystem::path& file) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(file.string());
  } catch (const YAML::Exception& e) {
    return make_error("{}: {}", file.string(), e.what());
  }
  if (!root.IsMap()) return make_error("{}: a map of question key -> answer is expected", file.string());
  std::map<std::string, std::string> answers;
  for (const auto& kv : root) {
    if (!kv.second.IsScalar())
      return make_error("{}:{}: {}: the answer must be a single value", file.string(), kv.first.Mark().line + 1,
                        kv.first.as<std::string>());
    answers[kv.first.as<std::string>()] = kv.second.as<std::string>();
  }
  return answers;
}

}  // namespace kdsim
