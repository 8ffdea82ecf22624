#include "sim/scenario.h"
#include "sim/host_arch.h"
#include <fmt/ranges.h>
#include <algorithm>
#include "machine/error.h"
#include "machine/host_file.h"
#include <map>
#include "machine/stage.h"
#include <array>
#include <cstdlib>
#include <llvm/Support/Regex.h>
#include <fstream>
#include <set>
#include <sstream>
#include <yaml-cpp/yaml.h>

namespace kdsim {

namespace {

// Bounds on what one file may ask for: a hostile or broken file (an alias bomb, a generated
// list) is an input error instead of minutes of work and gigabytes of transcript.
constexpr size_t kMaxSteps = 1000;      // per list; a real scenario has a dozen
constexpr size_t kMaxListItems = 1000;  // expect.console, expect.stages, expect.kexec_load
constexpr size_t kMaxText = 4096;       // a name, a description, a command line, an expected line
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

// Levenshtein distance, for "did you mean".
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The known word closest to a misspelt one, when it is close enough to be the likely intent
// (a third of its letters wrong at most), as "; did you mean 'x'?"; empty otherwise.
template <typename Words> std::string did_you_mean(std::string_view word, const Words& known) {
  std::string_view best;
  size_t best_distance = std::max<size_t>(1, word.size() / 3) + 1;
  for (const auto& k : known) {
    const size_t d = edit_distance(word, k);
    if (d < best_distance) best = k, best_distance = d;
  }
  return best.empty() ? "" : fmt::format("; did you mean '{}'?", best);
}

// Field access that reports "file:line:col: field: problem".
class Fields {
public:
  explicit Fields(const std::filesystem::path& file) : m_file(file.string()) {}

  llvm::Error error(const YAML::Node& at, std::string_view field, std::string_view problem) const {
    if (!at.IsDefined()) return make_error("{}: {}: {}", m_file, field, problem);
    const YAML::Mark m = at.Mark();
    if (m.line < 0) return make_error("{}: {}: {}", m_file, field, problem);
    return make_error("{}:{}:{}: {}: {}", m_file, m.line + 1, m.column + 1, field, problem);
  }

  llvm::Error only_known_keys(const YAML::Node& map, std::string_view where, std::set<std::string> known) const {
    if (!map.IsMap()) return error(map, where, "must be a mapping");
    std::map<std::string, int> seen;  // key -> line of its first use
    for (const auto& kv : map) {
      if (!kv.first.IsScalar()) return error(kv.first, where.empty() ? "(top level)" : where, "a key must be a plain word");
      auto key = kv.first.as<std::string>();
      const std::string path = fmt::format("{}{}{}", where, where.empty() ? "" : ".", key);
      // yaml-cpp keeps both entries of a repeated key; which one counts would be a guess.
      if (auto [first, fresh] = seen.emplace(key, kv.first.Mark().line + 1); !fresh)
        return error(kv.first, path, fmt::format("appears twice (first on line {})", first->second));
      if (!known.count(key)) {
        std::string list;
        for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
        return error(kv.first, path, fmt::format("unknown field{} (known: {})", did_you_mean(key, known), list));
      }
    }
    return llvm::Error::success();
  }

  llvm::Expected<std::string> string(const YAML::Node& n, std::string_view field) const {
    if (!n.IsDefined()) return error(n, field, "is required");
    if (!n.IsScalar()) return error(n, field, "must be a string");
    std::string s = n.as<std::string>();
    if (s.size() > kMaxText)
      return error(n, field, fmt::format("is {} characters long, more than the {} kdsim takes", s.size(), kMaxText));
    return s;
  }

  llvm::Expected<uint64_t> size(const YAML::Node& n, std::string_view field) const {
    auto s = string(n, field);
    if (!s) return s.takeError();
    auto v = parse_size(*s);
    if (!v) return error(n, field, error_text(v.takeError()));
    return *v;
  }

private:
  std::string m_file;
};

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

llvm::Expected<Step> parse_corrupt(const Fields& f, const YAML::Node& n, const std::string& where) {
  if (auto err = f.only_known_keys(n, where, {"segment", "offset"})) return err;
  auto seg = f.string(n["segment"], where + ".segment");
  if (!seg) return seg.takeError();
  Step step{Step::Kind::Corrupt, "", fmt::format("corrupt: {} segment", *seg), *seg, 0};
  if (n["offset"]) {
    auto off = f.size(n["offset"], where + ".offset");
    if (!off) return off.takeError();
    step.offset = *off;
    step.label += fmt::format(" +0x{:x}", *off);
  }
  return step;
}

llvm::Expected<Step> parse_touch(const Fields& f, const YAML::Node& n, const std::string& where) {
  if (auto err = f.only_known_keys(n, where, {"size", "offset"})) return err;
  auto size = f.size(n["size"], where + ".size");
  if (!size) return size.takeError();
  uint64_t offset = 256ull << 20;
  if (n["offset"]) {
    auto o = f.size(n["offset"], where + ".offset");
    if (!o) return o.takeError();
    offset = *o;
  }
  return Step{Step::Kind::Touch, "", fmt::format("touch: {} MiB at RAM base +0x{:x}", *size >> 20, offset), "", offset,
              *size};
}

llvm::Expected<Step> parse_raw_kexec_load(const Fields& f, const YAML::Node& n, const std::string& where) {
  if (auto err = f.only_known_keys(n, where, {"flags", "entry", "segments"})) return err;
  Step step{Step::Kind::KexecLoadRaw, "kexec-load", "", "", 0, 0};
  auto flags = f.size(n["flags"], where + ".flags");
  if (!flags) return flags.takeError();
  auto entry = f.size(n["entry"], where + ".entry");
  if (!entry) return entry.takeError();
  step.flags = *flags;
  step.entry = *entry;
  const YAML::Node segs = n["segments"];
  if (segs && !segs.IsSequence()) return f.error(segs, where + ".segments", "must be a list");
  for (size_t i = 0; segs && i < segs.size(); ++i) {
    std::string w = fmt::format("{}.segments[{}]", where, i);
    if (auto err = f.only_known_keys(segs[i], w, {"mem", "memsz", "bufsz"})) return err;
    auto mem = f.size(segs[i]["mem"], w + ".mem");
    if (!mem) return mem.takeError();
    auto memsz = f.size(segs[i]["memsz"], w + ".memsz");
    if (!memsz) return memsz.takeError();
    uint64_t bufsz = 0;
    if (segs[i]["bufsz"]) {
      auto b = f.size(segs[i]["bufsz"], w + ".bufsz");
      if (!b) return b.takeError();
      if (*b > (64ull << 20)) return f.error(segs[i]["bufsz"], w + ".bufsz", "at most 64 MiB");
      bufsz = *b;
    }
    step.segments.push_back({*mem, *memsz, bufsz});
  }
  step.label = fmt::format("kexec_load(entry 0x{:x}, {} segments, flags 0x{:x})", step.entry, step.segments.size(),
                           step.flags);
  return step;
}

// A run step's `expect: {exit: N, output: TEXT}`.
llvm::Error parse_step_expect(const Fields& f, const YAML::Node& n, const Step& step, Scenario& s) {
  const std::string where = step.origin + ".expect";
  // Steps that send init a command, or stand for kexec-tools, have a result; a trigger never
  // completes (it crashes the kernel) and the host's own actions have no exit status.
  const bool has_result = step.kind == Step::Kind::Run || step.kind == Step::Kind::KexecCrash ||
                          step.kind == Step::Kind::KexecLoad || step.kind == Step::Kind::KexecExec ||
                          step.kind == Step::Kind::KexecUnloadCrash || step.kind == Step::Kind::KexecUnloadNormal ||
                          step.kind == Step::Kind::KexecLoadRaw;
  if (!has_result)
    return f.error(n, where, "only run:, kexec: and kexec_load: steps have an expect: of their own");
  if (auto err = f.only_known_keys(n, where, {"exit", "output"})) return err;
  StepExpectation e{.origin = step.origin, .label = step.label, .exit = {}, .output = {}};
  if (n["exit"]) {
    auto v = f.string(n["exit"], where + ".exit");
    if (!v) return v.takeError();
    char* end = nullptr;
    const long status = std::strtol(v->c_str(), &end, 10);
    if (v->empty() || *end != '\0' || status < 0 || status > 255)
      return f.error(n["exit"], where + ".exit", fmt::format("'{}' is not an exit status (0 to 255)", *v));
    e.exit = static_cast<int32_t>(status);
  }
  if (n["output"]) {
    auto v = f.string(n["output"], where + ".output");
    if (!v) return v.takeError();
    e.output = *v;
  }
  if (!e.exit && !e.output) return f.error(n, where, "needs exit:, output: or both");
  s.expect.steps.push_back(std::move(e));
  return llvm::Error::success();
}

llvm::Expected<Step> parse_step_kind(const Fields& f, const YAML::Node& n, const std::string& where, const Scenario& s);

// `cmdline:` beside `kexec: crash` or `kexec: load`: that load's next-kernel command line, as
// kexec-tools takes --command-line (or --append) on each invocation. Each load has its own.
llvm::Error parse_step_cmdline(const Fields& f, const YAML::Node& n, const std::string& where, Step& step) {
  if (step.kind != Step::Kind::KexecCrash && step.kind != Step::Kind::KexecLoad)
    return f.error(n, where,
                   fmt::format("only a kexec: crash or kexec: load step takes a cmdline: (kexec-tools' "
                               "--command-line), not {}", step.label));
  auto v = f.string(n, where);
  if (!v) return v.takeError();
  if (v->find('\n') != std::string::npos) return f.error(n, where, "must be one line");
  step.cmdline = *v;
  return llvm::Error::success();
}

// `cpu: N` beside a run: or trigger: step: the command runs pinned to CPU N, as
// `taskset -c N sh -c 'CMD'` would (init's taskset built-in; the toy kernel runs the command's
// writes on that CPU). The capture kernel has one CPU (nr_cpus=1), so only `steps:` take it.
llvm::Error parse_step_cpu(const Fields& f, const YAML::Node& n, const std::string& where, std::string_view list,
                           const Scenario& s, Step& step) {
  if (step.kind != Step::Kind::Run && step.kind != Step::Kind::SysrqTrigger && step.kind != Step::Kind::LkdtmTrigger)
    return f.error(n, where, fmt::format("only a run: or trigger: step takes a cpu:, not {}", step.label));
  const unsigned cpus = list == "steps" ? s.cpus : 1;
  auto cpu = f.size(n, where);
  if (!cpu) return cpu.takeError();
  if (*cpu >= cpus)
    return f.error(n, where,
                   list == "steps"
                       ? fmt::format("CPU {} does not exist: machine.cpus is {} (CPUs 0 to {})", *cpu, cpus, cpus - 1)
                       : fmt::format("CPU {} does not exist: the capture kernel runs on one CPU (nr_cpus=1)", *cpu));
  step.command = fmt::format("taskset -c {} {}", *cpu, step.command);
  step.label = fmt::format("{} (on CPU {})", step.label, *cpu);
  return llvm::Error::success();
}

llvm::Expected<Step> parse_step(const Fields& f, const YAML::Node& n, size_t index, std::string_view list,
                                Scenario& s) {
  std::string where = fmt::format("{}[{}]", list, index);
  if (auto err = f.only_known_keys(n, where, {"run", "trigger", "kexec", "corrupt", "touch", "kexec_load", "expect",
                                              "cmdline", "cpu"}))
    return err;
  const size_t kinds = n.size() - (n["expect"] ? 1 : 0) - (n["cmdline"] ? 1 : 0) - (n["cpu"] ? 1 : 0);
  if (kinds != 1)
    return f.error(n, where, "must have exactly one of: corrupt, kexec, kexec_load, run, touch, trigger");
  auto step = parse_step_kind(f, n, where, s);
  if (!step) return step.takeError();
  step->origin = where;
  if (n["cmdline"])
    if (auto err = parse_step_cmdline(f, n["cmdline"], where + ".cmdline", *step)) return err;
  if (n["cpu"])
    if (auto err = parse_step_cpu(f, n["cpu"], where + ".cpu", list, s, *step)) return err;
  if (n["expect"])
    if (auto err = parse_step_expect(f, n["expect"], *step, s)) return err;
  return step;
}

// `trigger: {sysrq-c: serial, after_instructions: N}`: the magic SysRq typed on the serial
// console (Linux: a BREAK, then the key within 5 s: uart_handle_break() and
// uart_handle_sysrq_char() in the UART's receive interrupt) while init runs a user-mode busy
// loop. N counts machine time (instructions, all CPUs) from the loop's start; the input reaches
// the UART at the first block boundary at or after it.
llvm::Expected<Step> parse_serial_trigger(const Fields& f, const YAML::Node& n, const std::string& where,
                                          const Scenario& s) {
  if (auto err = f.only_known_keys(n, where, {"sysrq-c", "after_instructions"})) return err;
  auto via = f.string(n["sysrq-c"], where + ".sysrq-c");
  if (!via) return via.takeError();
  if (*via != "serial")
    return f.error(n["sysrq-c"], where + ".sysrq-c",
                   fmt::format("'{}' is not a way to send it (known: serial; `trigger: sysrq-c` writes "
                               "/proc/sysrq-trigger)", *via));
  auto after = f.size(n["after_instructions"], where + ".after_instructions");
  if (!after) return after.takeError();
  if (*after == 0 || *after >= s.instruction_limit)
    return f.error(n["after_instructions"], where + ".after_instructions",
                   fmt::format("{} must be more than 0 and less than limits.instructions ({})", *after,
                               s.instruction_limit));
  Step step{Step::Kind::SerialSysrqTrigger, "busy-loop",
            fmt::format("trigger: sysrq-c on the serial console after {} instructions", *after)};
  step.after_instructions = *after;
  return step;
}

llvm::Expected<Step> parse_step_kind(const Fields& f, const YAML::Node& n, const std::string& where, const Scenario& s) {
  const Arch arch = s.arch;
  if (n["trigger"] && n["trigger"].IsMap()) return parse_serial_trigger(f, n["trigger"], where + ".trigger", s);
  if (n["kexec_load"]) return parse_raw_kexec_load(f, n["kexec_load"], where + ".kexec_load");
  if (n["touch"]) return parse_touch(f, n["touch"], where + ".touch");
  if (n["kexec"]) {
    auto mode = f.string(n["kexec"], where + ".kexec");
    if (!mode) return mode.takeError();
    if (*mode == "crash") return Step{Step::Kind::KexecCrash, "", "kexec -p (load the crash kernel)"};
    if (*mode == "load") return Step{Step::Kind::KexecLoad, "", "kexec -l (load a kernel for kexec -e)"};
    if (*mode == "exec") return Step{Step::Kind::KexecExec, "kexec-exec", "kexec -e (reboot into the loaded kernel)"};
    // kexec-tools' k_unload() (kexec/kexec.c): kexec_load(NULL, 0, NULL, flags | arch), flags
    // KEXEC_ON_CRASH with -p; do_kexec_load() (kernel/kexec.c) frees kexec_crash_image or
    // kexec_image when nr_segments is 0.
    if (*mode == "unload-crash")
      return Step{Step::Kind::KexecUnloadCrash, "kexec-load -u -p", "kexec -p -u (unload the crash kernel)"};
    if (*mode == "unload-normal")
      return Step{Step::Kind::KexecUnloadNormal, "kexec-load -u", "kexec -u (unload the kernel kexec -l loaded)"};
    if (*mode == "unload")
      return f.error(n["kexec"], where + ".kexec",
                     "'unload' does not say which image: unload-crash is kexec -p -u (what kexec: crash loaded), "
                     "unload-normal is kexec -u (what kexec: load loaded)");
    static constexpr std::array<std::string_view, 5> modes{"crash", "exec", "load", "unload-crash", "unload-normal"};
    return f.error(n["kexec"], where + ".kexec",
                   fmt::format("'{}' is not a kexec mode{} (known: {})", *mode, did_you_mean(*mode, modes),
                               fmt::join(modes, ", ")));
  }
  if (n["corrupt"]) return parse_corrupt(f, n["corrupt"], where + ".corrupt");
  if (n["run"]) {
    auto cmd = f.string(n["run"], where + ".run");
    if (!cmd) return cmd.takeError();
    if (cmd->empty() || cmd->find('\n') != std::string::npos)
      return f.error(n["run"], where + ".run", "must be one non-empty command line");
    return Step{Step::Kind::Run, *cmd, "run: " + *cmd};
  }
  auto trig = f.string(n["trigger"], where + ".trigger");
  if (!trig) return trig.takeError();
  // sysrq-c is what `echo c > /proc/sysrq-trigger` does (drivers/tty/sysrq.c, key 'c').
  if (*trig == "sysrq-c") return Step{Step::Kind::SysrqTrigger, "echo c > /proc/sysrq-trigger", "trigger: sysrq-c"};
  // The others are LKDTM's DIRECT entry (drivers/misc/lkdtm; the toy kernels'
  // kernels/common/drivers/misc/lkdtm.c): the LKDTM type each one writes. DIVIDE_ZERO is
  // kdsim's own (x86 #DE).
  struct LkdtmTrigger {
    std::string_view name, type;
  };
  static constexpr std::array<LkdtmTrigger, 4> lkdtm{{{"bug", "BUG"},
                                                     {"divide-by-zero", "DIVIDE_ZERO"},
                                                     {"null-dereference", "EXCEPTION"},
                                                     {"panic", "PANIC"}}};
  for (const LkdtmTrigger& t : lkdtm) {
    if (*trig != t.name) continue;
    if (auto why = host_arch(arch).trigger_refusal(t.name)) return f.error(n["trigger"], where + ".trigger", *why);
    return Step{Step::Kind::LkdtmTrigger, fmt::format("echo {} > /sys/kernel/debug/provoke-crash/DIRECT", t.type),
                fmt::format("trigger: {}", t.name)};
  }
  static constexpr std::array<std::string_view, 5> known{"bug", "divide-by-zero", "null-dereference", "panic",
                                                         "sysrq-c"};
  return f.error(n["trigger"], where + ".trigger",
                 fmt::format("'{}' is not a known trigger{} (known: {})", *trig, did_you_mean(*trig, known),
                             fmt::join(known, ", ")));
}

llvm::Error parse_string_list(const Fields& f, const YAML::Node& n, std::string_view field,
                              std::vector<std::string>& out) {
  if (!n) return llvm::Error::success();
  if (!n.IsSequence()) return f.error(n, field, "must be a list of strings");
  if (n.size() > kMaxListItems)
    return f.error(n, field, fmt::format("{} items, more than the {} kdsim takes", n.size(), kMaxListItems));
  for (size_t i = 0; i < n.size(); ++i) {
    auto s = f.string(n[i], fmt::format("{}[{}]", field, i));
    if (!s) return s.takeError();
    out.push_back(*s);
  }
  return llvm::Error::success();
}

llvm::Error parse_flag(const Fields& f, const YAML::Node& n, std::string_view field, bool& out) {
  auto v = f.string(n, field);
  if (!v) return v.takeError();
  if (*v == "true" || *v == "yes") out = true;
  else if (*v == "false" || *v == "no") out = false;
  else return f.error(n, field, fmt::format("'{}' is not true or false", *v));
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

std::vector<std::string> expectable_outcome_names() {
  std::vector<std::string> names;
  for (Outcome o : expectable_outcomes()) names.emplace_back(outcome_name(o));
  return names;
}

// Every name a run's timeline can hold: the stages (machine/stage.h), the host's events
// (sim/driver.cpp, sim/runner.cpp) and the outcome that ends the run.
std::vector<std::string> timeline_names(Arch arch) {
  std::vector<std::string> names;
  for (uint32_t code = 0; code < 0x100; ++code)
    if (auto n = stage_name(code, arch)) names.emplace_back(*n);
  for (const char* host : {"boot", "agent_hello", "agent_error", "step", "step_done", "no_more_commands", "kexec",
                           "kexec_plan", "kexec_failed", "corrupt", "touch", "host_action_failed", "ram_snapshot",
                           "serial_armed", "serial_input", "serial_cancelled", "unmapped_mmio", "unmapped_port",
                           "wild_dma", "vmcore_saved", "dump_error"})
    names.emplace_back(host);
  for (Outcome o : expectable_outcomes()) names.emplace_back(outcome_name(o));
  return names;
}

// "0", an errno name as kexec_load(2) returns it (EADDRNOTAVAIL), or kexec-tools-error (the
// kexec-tools role gave up before calling kexec_load).
llvm::Error check_kexec_load_value(const Fields& f, const YAML::Node& n, const std::string& field,
                                   const std::string& v) {
  const bool errno_name = v.size() > 1 && v[0] == 'E' &&
                          std::all_of(v.begin() + 1, v.end(), [](char c) { return std::isupper(c) || std::isdigit(c); });
  if (v == "0" || v == "kexec-tools-error" || errno_name) return llvm::Error::success();
  return f.error(n, field, fmt::format("'{}' is not 0, an errno name (EADDRNOTAVAIL) or kexec-tools-error", v));
}

// expect.kexec_load: the last load's result, or a list of every load's, in order.
llvm::Error parse_kexec_load_expect(const Fields& f, const YAML::Node& n, Expectations& out) {
  if (!n) return llvm::Error::success();
  if (n.IsSequence()) {
    if (n.size() == 0) return f.error(n, "expect.kexec_load", "must list at least one result");
    if (n.size() > kMaxListItems)
      return f.error(n, "expect.kexec_load", fmt::format("{} items, more than the {} kdsim takes", n.size(), kMaxListItems));
    for (size_t i = 0; i < n.size(); ++i) {
      const std::string field = fmt::format("expect.kexec_load[{}]", i);
      auto v = f.string(n[i], field);
      if (!v) return v.takeError();
      if (auto err = check_kexec_load_value(f, n[i], field, *v)) return err;
      out.kexec_loads.push_back(*v);
    }
    return llvm::Error::success();
  }
  auto v = f.string(n, "expect.kexec_load");
  if (!v) return v.takeError();
  if (auto err = check_kexec_load_value(f, n, "expect.kexec_load", *v)) return err;
  out.kexec_load = *v;
  return llvm::Error::success();
}

// expect.console: substrings, or {regex: ...} (POSIX extended, per line), found in this order.
llvm::Error parse_console_expect(const Fields& f, const YAML::Node& n, std::vector<ConsoleLine>& out) {
  if (!n) return llvm::Error::success();
  if (!n.IsSequence()) return f.error(n, "expect.console", "must be a list of strings or {regex: ...}");
  if (n.size() > kMaxListItems)
    return f.error(n, "expect.console", fmt::format("{} items, more than the {} kdsim takes", n.size(), kMaxListItems));
  for (size_t i = 0; i < n.size(); ++i) {
    const std::string field = fmt::format("expect.console[{}]", i);
    if (!n[i].IsMap()) {
      auto v = f.string(n[i], field);
      if (!v) return v.takeError();
      out.push_back({*v, false});
      continue;
    }
    if (auto err = f.only_known_keys(n[i], field, {"regex"})) return err;
    auto v = f.string(n[i]["regex"], field + ".regex");
    if (!v) return v.takeError();
    std::string why;
    if (!llvm::Regex(*v).isValid(why))
      return f.error(n[i]["regex"], field + ".regex", fmt::format("'{}' is not a regular expression: {}", *v, why));
    out.push_back({*v, true});
  }
  return llvm::Error::success();
}

llvm::Error parse_expect(const Fields& f, const YAML::Node& e, Scenario& s) {
  if (!e) return llvm::Error::success();
  if (auto err = f.only_known_keys(e, "expect", {"outcome", "panic", "console", "stages", "kexec_load", "purgatory",
                                                 "vmcore"}))
    return err;
  auto one_of = [&](const char* key, std::set<std::string> allowed, std::optional<std::string>& out) -> llvm::Error {
    if (!e[key]) return llvm::Error::success();
    auto v = f.string(e[key], std::string("expect.") + key);
    if (!v) return v.takeError();
    if (!allowed.empty() && !allowed.count(*v)) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      return f.error(e[key], std::string("expect.") + key,
                     fmt::format("'{}' is not one of {}{}", *v, list, did_you_mean(*v, allowed)));
    }
    out = *v;
    return llvm::Error::success();
  };
  if (auto err = parse_kexec_load_expect(f, e["kexec_load"], s.expect)) return err;
  if (e["purgatory"]) {
    std::set<std::string> names;  // listed alphabetically in the error
    for (PurgatoryStatus p : purgatory_statuses()) names.emplace(purgatory_status_name(p));
    std::optional<std::string> name;
    if (auto err = one_of("purgatory", names, name)) return err;
    s.expect.purgatory = parse_purgatory_status(*name);
  }
  if (auto err = one_of("vmcore", {"saved", "none"}, s.expect.vmcore)) return err;
  if (e["outcome"]) {
    const std::vector<std::string> outcomes = expectable_outcome_names();
    auto o = f.string(e["outcome"], "expect.outcome");
    if (!o) return o.takeError();
    if (std::find(outcomes.begin(), outcomes.end(), *o) == outcomes.end())
      return f.error(e["outcome"], "expect.outcome",
                     fmt::format("'{}' is not one of {}{}", *o, fmt::join(outcomes, ", "), did_you_mean(*o, outcomes)));
    s.expect.outcome = parse_outcome(*o);
  }
  if (e["panic"]) {
    auto p = f.string(e["panic"], "expect.panic");
    if (!p) return p.takeError();
    s.expect.panic = *p;
  }
  if (auto err = parse_console_expect(f, e["console"], s.expect.console)) return err;
  if (auto err = parse_string_list(f, e["stages"], "expect.stages", s.expect.stages)) return err;
  const std::vector<std::string> names = timeline_names(s.arch);
  for (size_t i = 0; i < s.expect.stages.size(); ++i) {
    const std::string& name = s.expect.stages[i];
    if (auto why = host_arch(s.arch).stage_refusal(name))
      return f.error(e["stages"][i], fmt::format("expect.stages[{}]", i), *why);
    if (std::find(names.begin(), names.end(), name) == names.end())
      return f.error(e["stages"][i], fmt::format("expect.stages[{}]", i),
                     fmt::format("'{}' is not a stage or event a run records{}", name, did_you_mean(name, names)));
  }
  return llvm::Error::success();
}

// A crash trigger hands the machine to the capture kernel (or, without one loaded, ends in the
// panic): the kernel that was to run the next step of the same list is gone. Refused at load
// instead of silently dropping the step.
llvm::Error check_nothing_after_crash(const Fields& f, const YAML::Node& list, const std::vector<Step>& steps,
                                      std::string_view name) {
  for (size_t i = 0; i + 1 < steps.size(); ++i) {
    // Every trigger crashes the kernel (sysrq-c and each LKDTM type; a refused one is an
    // input error already). The serial one only arms input for a later machine time: the next
    // steps run meanwhile, and the ones the crash comes before are reported as not reached.
    if (steps[i].kind != Step::Kind::SysrqTrigger && steps[i].kind != Step::Kind::LkdtmTrigger) continue;
    const bool capture = name == "capture_steps";
    return f.error(list[i + 1], fmt::format("{}[{}]", name, i + 1),
                   fmt::format("can never run: the {} kernel has crashed at {}[{}] ({}){}", capture ? "capture" : "first",
                               name, i, steps[i].label,
                               capture ? "" : "; steps for the capture kernel go in capture_steps"));
  }
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
  if (const YAML::Node st = root["steps"]) {
    if (!st.IsSequence()) return f.error(st, "steps", "must be a list");
    if (st.size() > kMaxSteps) return f.error(st, "steps", fmt::format("{} steps, more than the {} kdsim takes", st.size(), kMaxSteps));
    for (size_t i = 0; i < st.size(); ++i) {
      auto step = parse_step(f, st[i], i, "steps", s);
      if (!step) return step.takeError();
      s.steps.push_back(*step);
    }
    if (auto err = check_nothing_after_crash(f, st, s.steps, "steps")) return err;
  }
  if (const YAML::Node st = root["capture_steps"]) {
    if (!st.IsSequence()) return f.error(st, "capture_steps", "must be a list");
    if (st.size() > kMaxSteps)
      return f.error(st, "capture_steps", fmt::format("{} steps, more than the {} kdsim takes", st.size(), kMaxSteps));
    for (size_t i = 0; i < st.size(); ++i) {
      auto step = parse_step(f, st[i], i, "capture_steps", s);
      if (!step) return step.takeError();
      s.capture_steps.push_back(*step);
    }
    if (auto err = check_nothing_after_crash(f, st, s.capture_steps, "capture_steps")) return err;
  } else {
    s.capture_steps.push_back({Step::Kind::Run, "save-vmcore", "run: save-vmcore"});
    s.capture_steps.back().origin = "capture_steps[0]";
  }
  if (auto err = parse_kexec(f, root["kexec"], s)) return err;
  return parse_expect(f, root["expect"], s);
}

}  // namespace

llvm::Expected<Scenario> Scenario::parse(std::string_view text, const std::filesystem::path& file) {
  Fields f(file);
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
