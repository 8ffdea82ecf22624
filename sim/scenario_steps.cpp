// The scenario's step lists: steps: for the first kernel, capture_steps: for the capture kernel.
#include "sim/scenario_parse.h"
#include "sim/host_arch.h"
#include <fmt/ranges.h>
#include <cstdlib>

namespace kdsim::scenario_parse {

namespace {

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

}  // namespace

llvm::Error parse_step_list(const Fields& f, const YAML::Node& list, std::string_view name, Scenario& s,
                            std::vector<Step>& out) {
  if (!list.IsSequence()) return f.error(list, name, "must be a list");
  if (list.size() > kMaxSteps)
    return f.error(list, name, fmt::format("{} steps, more than the {} kdsim takes", list.size(), kMaxSteps));
  for (size_t i = 0; i < list.size(); ++i) {
    auto step = parse_step(f, list[i], i, name, s);
    if (!step) return step.takeError();
    out.push_back(*step);
  }
  return check_nothing_after_crash(f, list, out, name);
}

}  // namespace kdsim::scenario_parse
