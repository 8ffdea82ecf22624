// The scenario file: the document, machine:, kernel: and kexec:. Steps and expectations are read
// by scenario_steps.cpp and scenario_expect.cpp (the shared field reader: scenario_parse.h).
#include "sim/scenario.h"
#include "machine/error.h"
#include "machine/host_file.h"
#include "sim/scenario_parse.h"
#include <algorithm>
#include <fstream>
#include <sstream>
#include <yaml-cpp/yaml.h>

namespace kdsim {

namespace {
using namespace scenario_parse;

// Nodes of the document with every alias expanded where it is used. yaml-cpp shares an
// aliased node instead of copying it, so loading an alias bomb is cheap, but anything that walks
// the tree (the checks below, a fuzzer's mutation) pays for every use: 9 levels of 10 aliases is
// 10^9 nodes from a 1 KiB file. A real scenario has a few thousand.
constexpr size_t kMaxExpandedNodes = 100'000;

// Counts the document's nodes, an aliased node once per use, and stops at the budget: the walk
// itself never costs more than kMaxExpandedNodes steps, whatever the aliases (a self-reference
// included) would expand to. An explicit stack: nesting depth costs no host stack.
llvm::Error check_alias_expansion(const YAML::Node& root, const std::filesystem::path& file) {
  std::vector<YAML::Node> pending{root};
  size_t nodes = 0;
  while (!pending.empty()) {
    const YAML::Node n = pending.back();
    pending.pop_back();
    if (++nodes > kMaxExpandedNodes)
      return make_error("{}: the YAML document has more than {} nodes once its aliases (*name) are expanded "
                        "(kdsim's limit against alias bombs; a scenario needs a few thousand)",
                        file.string(), kMaxExpandedNodes);
    if (n.IsSequence())
      for (const YAML::Node& item : n) pending.push_back(item);
    else if (n.IsMap())
      for (const auto& kv : n) pending.insert(pending.end(), {kv.first, kv.second});
  }
  return llvm::Error::success();
}

// machine.dump_disk: the dump target's faults (machine/devices/dump_disk.h).
llvm::Error parse_dump_disk(const Fields& f, const YAML::Node& d, DumpDiskFaults& faults) {
  if (!d) return llvm::Error::success();
  if (!d.IsMap()) return f.error(d, "machine.dump_disk", "must be a mapping (capacity, io_error_at)");
  if (auto err = f.only_known_keys(d, "machine.dump_disk", {"capacity", "io_error_at"})) return err;
  for (const char* key : {"capacity", "io_error_at"}) {
    if (!d[key]) continue;
    auto v = f.size(d[key], fmt::format("machine.dump_disk.{}", key));
    if (!v) return v.takeError();
    (std::string_view(key) == "capacity" ? faults.capacity : faults.io_error_at) = *v;
  }
  return llvm::Error::success();
}

llvm::Error parse_machine(const Fields& f, const YAML::Node& m, Scenario& s) {
  if (!m.IsDefined()) return f.error(m, "machine", "is required");
  if (auto err = f.only_known_keys(m, "machine", {"arch", "memory", "cpus", "dump_disk"})) return err;
  auto arch = f.string(m["arch"], "machine.arch");
  if (!arch) return arch.takeError();
  auto parsed = parse_arch(*arch);
  if (!parsed) return f.error(m["arch"], "machine.arch", fmt::format("'{}' is not arm64 or x86_64", *arch));
  s.arch = *parsed;
  auto mem = f.size(m["memory"], "machine.memory");
  if (!mem) return mem.takeError();
  s.memory = *mem;
  if (m["cpus"]) {
    auto cpus = f.size(m["cpus"], "machine.cpus");
    if (!cpus) return cpus.takeError();
    if (*cpus < 1 || *cpus > 8) return f.error(m["cpus"], "machine.cpus", fmt::format("{} is not between 1 and 8", *cpus));
    s.cpus = static_cast<unsigned>(*cpus);
  }
  return parse_dump_disk(f, m["dump_disk"], s.dump_disk);
}

llvm::Error parse_kernel(const Fields& f, const YAML::Node& k, Scenario& s) {
  if (!k) return llvm::Error::success();
  if (auto err = f.only_known_keys(k, "kernel", {"image", "cmdline"})) return err;
  if (k["image"]) {
    auto img = f.string(k["image"], "kernel.image");
    if (!img) return img.takeError();
    if (*img != "default") {
      std::filesystem::path p(*img);
      s.kernel = p.is_absolute() ? p : s.file.parent_path() / p;
    }
  }
  if (k["cmdline"]) {
    auto c = f.string(k["cmdline"], "kernel.cmdline");
    if (!c) return c.takeError();
    s.cmdline = *c;
  }
  return llvm::Error::success();
}

// kexec.purgatory: a path (or "default"), or {from_kexec: PATH}.
template <typename PathParser>
llvm::Error parse_purgatory_source(const Fields& f, const YAML::Node& n, const PathParser& path,
                                   std::optional<PurgatorySource>& out) {
  if (!n) return llvm::Error::success();
  std::optional<std::filesystem::path> p;
  PurgatorySource::Kind kind = PurgatorySource::Kind::Object;
  if (n.IsMap()) {
    if (auto err = f.only_known_keys(n, "kexec.purgatory", {"from_kexec"})) return err;
    if (!n["from_kexec"]) return f.error(n, "kexec.purgatory", "a mapping needs from_kexec: <kexec binary>");
    if (auto err = path(n["from_kexec"], "kexec.purgatory.from_kexec", p)) return err;
    if (!p) return f.error(n["from_kexec"], "kexec.purgatory.from_kexec", "must be a path to a kexec binary");
    kind = PurgatorySource::Kind::KexecBinary;
  } else if (auto err = path(n, "kexec.purgatory", p)) {
    return err;
  }
  if (p) out = PurgatorySource{.kind = kind, .path = *p};
  return llvm::Error::success();
}

llvm::Error parse_kexec(const Fields& f, const YAML::Node& k, Scenario& s) {
  if (!k) return llvm::Error::success();
  // kexec.cmdline was one command line for every load; each load step now has its own.
  if (k.IsMap() && k["cmdline"])
    return f.error(k["cmdline"], "kexec.cmdline",
                   "is per load now: write cmdline: beside the kexec: crash or kexec: load step it is for "
                   "(kexec-tools takes --command-line on each invocation)");
  if (auto err = f.only_known_keys(k, "kexec", {"purgatory", "capture_kernel", "verify_digest", "purgatory_console"}))
    return err;
  auto path = [&](const YAML::Node& n, const std::string& field, std::optional<std::filesystem::path>& out) -> llvm::Error {
    if (!n) return llvm::Error::success();
    auto v = f.string(n, field);
    if (!v) return v.takeError();
    if (*v != "default") out = std::filesystem::path(*v).is_absolute() ? std::filesystem::path(*v) : s.file.parent_path() / *v;
    return llvm::Error::success();
  };
  if (auto err = parse_purgatory_source(f, k["purgatory"], path, s.kexec.purgatory)) return err;
  if (auto err = path(k["capture_kernel"], "kexec.capture_kernel", s.kexec.capture_kernel)) return err;
  if (k["verify_digest"])
    if (auto err = parse_flag(f, k["verify_digest"], "kexec.verify_digest", s.kexec.verify_digest)) return err;
  if (k["purgatory_console"])
    if (auto err = parse_flag(f, k["purgatory_console"], "kexec.purgatory_console", s.kexec.purgatory_console))
      return err;
  return llvm::Error::success();
}

llvm::Error parse_document(const Fields& f, const YAML::Node root, Scenario& s) {
  if (auto err = f.only_known_keys(root, "", {"name", "description", "machine", "kernel", "limits", "steps",
                                               "capture_steps", "kexec", "expect"}))
    return err;
  if (root["name"]) {
    auto n = f.string(root["name"], "name");
    if (!n) return n.takeError();
    // The name becomes a directory under out/ (and OUTROOT for kdsim test): one plain path
    // component, never an absolute path or a way up.
    auto plain_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-'; };
    if (n->empty() || n->size() > 128 || (*n)[0] == '.' || (*n)[0] == '-' || !std::all_of(n->begin(), n->end(), plain_char))
      return f.error(root["name"], "name",
                     fmt::format("'{}' is not a plain name (letters, digits, '.', '_', '-'; not starting with '.'; "
                                 "at most 128): it names the output directory", *n));
    s.name = *n;
  }
  if (root["description"]) {
    auto d = f.string(root["description"], "description");
    if (!d) return d.takeError();
    s.description = *d;
  }
  if (auto err = parse_machine(f, root["machine"], s)) return err;
  if (auto err = parse_kernel(f, root["kernel"], s)) return err;
  if (const YAML::Node l = root["limits"]) {
    if (auto err = f.only_known_keys(l, "limits", {"instructions"})) return err;
    auto n = f.size(l["instructions"], "limits.instructions");
    if (!n) return n.takeError();
    if (*n == 0) return f.error(l["instructions"], "limits.instructions", "must be greater than 0");
    s.instruction_limit = *n;
  }
  if (const YAML::Node st = root["steps"])
    if (auto err = parse_step_list(f, st, "steps", s, s.steps)) return err;
  if (const YAML::Node st = root["capture_steps"]) {
    if (auto err = parse_step_list(f, st, "capture_steps", s, s.capture_steps)) return err;
  } else {
    s.capture_steps.push_back({Step::Kind::Run, "save-vmcore", "run: save-vmcore"});
    s.capture_steps.back().origin = "capture_steps[0]";
  }
  if (auto err = parse_kexec(f, root["kexec"], s)) return err;
  return parse_expect(f, root["expect"], s);
}

}  // namespace

llvm::Expected<Scenario> Scenario::parse(std::string_view text, const std::filesystem::path& file) {
  scenario_parse::Fields f(file);
  Scenario s;
  s.file = file;
  s.name = file.stem().string();
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {  // yaml-cpp reports syntax errors only by throwing
    return make_error("{}:{}:{}: YAML syntax error: {}", file.string(), e.mark.line + 1, e.mark.column + 1, e.msg);
  }
  if (!root.IsMap()) return make_error("{}: the scenario must be a YAML mapping", file.string());
  if (auto err = check_alias_expansion(root, file)) return err;
  try {
    if (auto err = parse_document(f, root, s)) return err;
  } catch (const YAML::Exception& e) {
    return make_error("{}:{}:{}: {}", file.string(), e.mark.line + 1, e.mark.column + 1, e.msg);
  }
  return s;
}

llvm::Expected<Scenario> Scenario::load(const std::filesystem::path& file) {
  if (auto err = check_input_file(file, kMaxScenarioBytes, "scenario")) return err;
  std::ifstream in(file);
  if (!in) return make_error("{}: cannot open the scenario file", file.string());
  std::stringstream ss;
  ss << in.rdbuf();
  return parse(ss.str(), file);
}

}  // namespace kdsim
