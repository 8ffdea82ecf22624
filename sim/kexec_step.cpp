#include "sim/kexec_step.h"
#include "firmware-less-boot/kexec/kcore.h"
#include "firmware-less-boot/kexec/kexec_arch.h"
#include "firmware-less-boot/kexec/kexec_plan.h"
#include "firmware-less-boot/kexec/purgatory_extract.h"
#include "machine/assert.h"
#include "machine/error.h"
#include "sim/boot.h"
#include <charconv>
#include <cstring>
#include <memory>
#include <sstream>

namespace kdsim {

namespace {

// A crash load's segments sit at their final addresses from kexec_load on (a normal load's are
// staged elsewhere until kexec -e), so stores into them before the hand-off are worth naming.
std::vector<PhysRange> loaded_in_place(const KexecPlan& plan) {
  std::vector<PhysRange> ranges;
  if (!(plan.flags & kKexecOnCrash)) return ranges;
  for (const KexecSegment& s : plan.segments) ranges.push_back({s.mem, s.memsz});
  return ranges;
}

// What the `cat` commands of kexec -p brought back.
struct Gathered {
  std::string iomem;
  std::vector<std::optional<uint64_t>> note_addr, note_size;
  std::optional<CrashNoteBuffer> vmcoreinfo;
  std::optional<std::string> kcore_head;  // none: the read failed, kcore_error says why
  std::string kcore_error;
};

std::optional<uint64_t> parse_number(std::string_view text, int base) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  if (base == 16 && (text.starts_with("0x") || text.starts_with("0X"))) text.remove_prefix(2);
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v, base);
  if (ec != std::errc() || p != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

// "/sys/kernel/vmcoreinfo": "%pa %x\n" (the note's address, then its size in hex).
std::optional<CrashNoteBuffer> parse_vmcoreinfo_file(std::string_view text) {
  size_t sp = text.find(' ');
  if (sp == std::string_view::npos) return std::nullopt;
  auto addr = parse_number(text.substr(0, sp), 16);
  auto size = parse_number(text.substr(sp + 1), 16);
  if (!addr || !size) return std::nullopt;
  return CrashNoteBuffer{PhysAddr(*addr), *size};
}

// What a failed `head -c N /proc/kcore` says after its last ": " (coreutils: "head: cannot open
// '/proc/kcore' for reading: Operation not permitted"): strerror's words, as kexec-tools prints.
std::string strerror_words(std::string_view output) {
  while (!output.empty() && (output.back() == '\n' || output.back() == ' ')) output.remove_suffix(1);
  const size_t colon = output.rfind(": ");
  return std::string(colon == std::string_view::npos ? output : output.substr(colon + 2));
}

// The next kernel's command line: the step's own cmdline: (kexec-tools' --command-line), else
// for a capture kernel the first kernel's minus crashkernel= (a capture kernel reserves
// nothing), for kexec -l the first kernel's as it is.
std::string next_cmdline(const Scenario& s, KexecMode mode, const std::optional<std::string>& given) {
  if (given) return *given;
  if (mode == KexecMode::Normal) return s.cmdline;
  std::istringstream in(s.cmdline);
  std::string word, out;
  while (in >> word)
    if (!word.starts_with("crashkernel=")) out += (out.empty() ? "" : " ") + word;
  return out;
}

// The scenario's purgatory: the built purgatory.ro, another file, or the one inside a kexec binary.
llvm::Expected<PurgatoryImage> load_purgatory(const KexecStepContext& ctx, Arch arch) {
  if (!ctx.scenario.kexec.purgatory)
    return PurgatoryImage::create((ctx.options.kernel_dir / arch_name(arch) / "purgatory.ro").string(), arch);
  const PurgatorySource& source = *ctx.scenario.kexec.purgatory;
  switch (source.kind) {
    case PurgatorySource::Kind::Object: return PurgatoryImage::create(source.path.string(), arch);
    case PurgatorySource::Kind::KexecBinary: {
      auto found = extract_purgatory_file(source.path.string(), arch);
      if (!found) return found.takeError();
      return std::move(found->image);
    }
  }
  KDSIM_ASSERT(false, "kexec.purgatory: source kind {}", static_cast<int>(source.kind));
  return make_error("unreachable");
}

llvm::Expected<KexecPlan> plan(const KexecStepContext& ctx, const Gathered& g, KexecMode mode,
                                   const std::optional<std::string>& cmdline) {
  const Arch arch = ctx.scenario.arch;
  auto purgatory = load_purgatory(ctx, arch);
  if (!purgatory) return purgatory.takeError();
  std::optional<KernelImage> other;
  if (ctx.scenario.kexec.capture_kernel) {
    auto k = KernelImage::create(ctx.scenario.kexec.capture_kernel->string(), arch);
    if (!k) return k.takeError();
    other = std::move(*k);
  }
  KexecPlanConfig c{.arch = arch,
                    .running_kernel = &ctx.running_kernel,
                    .capture_kernel = other ? &*other : &ctx.running_kernel,
                    .purgatory = &*purgatory,
                    .board_ram = ctx.machine.board().ram,
                    .cpu_count = ctx.machine.cpu_count(),
                    .cmdline = next_cmdline(ctx.scenario, mode, cmdline),
                    .iomem_text = g.iomem};
  for (size_t i = 0; i < g.note_addr.size(); ++i)  // kexec-tools skips CPUs without the file
    if (g.note_addr[i]) c.cpu_notes.push_back({PhysAddr(*g.note_addr[i]), g.note_size[i].value_or(0)});
  c.vmcoreinfo = g.vmcoreinfo;
  c.kcore_head = g.kcore_head;
  c.kcore_error = g.kcore_error;
  c.checks = ctx.scenario.kexec.verify_digest ? PurgatoryChecks::Verify : PurgatoryChecks::Skip;
  c.purgatory_uart = ctx.scenario.kexec.purgatory_console ? ctx.machine.board().purgatory_console() : 0;
  c.stage_port = ctx.machine.board().stage_port.value();
  auto planned = plan_kexec(c, mode);
  if (planned) {
    ctx.result.next_kernel = other ? std::make_shared<const KernelImage>(std::move(*other)) : nullptr;
    ctx.result.purgatory_image = std::make_shared<const PurgatoryImage>(std::move(*purgatory));
  }
  return planned;
}

Action cat(std::string path, std::function<void(const StepResult&)> on_done) {
  return Action{.label = "kexec: cat " + path, .command = "cat " + path, .blob = {}, .host = {},
                .on_done = std::move(on_done)};
}

}  // namespace

std::optional<std::string> parse_kexec_load_output(std::string_view output) {
  constexpr std::string_view kPrefix = "kexec_load: ";
  size_t at = output.find(kPrefix);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = output.substr(at + kPrefix.size());
  rest = rest.substr(0, rest.find('\n'));
  if (rest.starts_with("0")) return "0";
  size_t open = rest.find('('), close = rest.find(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) return std::string(rest);
  return std::string(rest.substr(open + 1, close - open - 1));
}

std::deque<Action> kexec_load_actions(const KexecStepContext& ctx, KexecMode mode, const Step& step) {
  auto g = std::make_shared<Gathered>();
  const unsigned cpus = ctx.machine.cpu_count();
  g->note_addr.resize(cpus);
  g->note_size.resize(cpus);
  std::deque<Action> actions;
  actions.push_back(cat("/proc/iomem", [g](const StepResult& r) { g->iomem = r.output; }));
  for (unsigned i = 0; mode == KexecMode::Crash && i < cpus; ++i) {
    std::string dir = fmt::format("/sys/devices/system/cpu/cpu{}/", i);
    actions.push_back(cat(dir + "crash_notes", [g, i](const StepResult& r) {
      if (r.exit_status == 0) g->note_addr[i] = parse_number(r.output, 16);
    }));
    actions.push_back(cat(dir + "crash_notes_size", [g, i](const StepResult& r) {
      if (r.exit_status == 0) g->note_size[i] = parse_number(r.output, 10);
    }));
  }
  if (mode == KexecMode::Crash)
    actions.push_back(cat("/sys/kernel/vmcoreinfo", [g](const StepResult& r) {
      if (r.exit_status == 0) g->vmcoreinfo = parse_vmcoreinfo_file(r.output);
    }));
  // The VMCOREINFO note (arm64's VA_BITS and PHYS_OFFSET) and the kernel text mapping come
  // from /proc/kcore's headers, which kexec-tools reads and nothing else: its first 32 KiB.
  if (kexec_arch(ctx.scenario.arch).reads_kcore(mode))
    actions.push_back(Action{.label = "kexec: head -c " + std::to_string(kKcoreHeadersSize) + " /proc/kcore",
                             .command = fmt::format("head -c {} /proc/kcore", kKcoreHeadersSize),
                             .blob = {},
                             .host = {},
                             .on_done = [g](const StepResult& r) {
                               if (r.exit_status == 0) g->kcore_head = r.output;
                               else g->kcore_error = strerror_words(r.output);
                             }});
  RunResult* result = &ctx.result;
  Machine* machine = &ctx.machine;
  const bool verify_digest = ctx.scenario.kexec.verify_digest;
  actions.push_back(Action{
      .origin = step.origin,
      .label = mode == KexecMode::Crash ? "kexec -p: kexec_load(KEXEC_ON_CRASH)" : "kexec -l: kexec_load",
      .command = "kexec-load",
      .blob = [ctx, g, mode, cmdline = step.cmdline]() -> llvm::Expected<std::vector<uint8_t>> {
        auto p = plan(ctx, *g, mode, cmdline);
        if (!p) return p.takeError();
        ctx.result.kexec_plan = std::move(*p);
        const KexecPlan& pl = *ctx.result.kexec_plan;
        std::string table;
        for (const KexecSegment& s : pl.segments)
          table += fmt::format("{}[{}, +0x{:x}) {}", table.empty() ? "" : "; ", s.mem, s.memsz, s.what);
        ctx.host_event("kexec_plan", fmt::format("entry {}, flags 0x{:x}, {}{}segments: {}", pl.entry, pl.flags,
                                                 pl.crash_region ? fmt::format("elfcorehdr {}, ", pl.elfcorehdr.base) : "",
                                                 "", table));
        return encode_kexec_load_blob(pl.segments, pl.entry, pl.flags);
      },
      .host = {},
      .on_done =
          [result, machine, verify_digest](const StepResult& r) {
            record_kexec_load(*result, parse_kexec_load_output(r.output));
            // Loaded: from here on the machine watches the hand-off itself.
            if (result->kexec_load == "0" && result->kexec_plan)
              machine->watch_kexec(KexecWatch{.purgatory = result->kexec_plan->purgatory,
                                              .next_entry = result->kexec_plan->kernel_entry,
                                              .verify_digest = verify_digest,
                                              .segments = loaded_in_place(*result->kexec_plan)});
          }});
  return actions;
}

llvm::Error corrupt_segment(const KexecStepContext& ctx, const Step& step, std::string& detail) {
  if (!ctx.result.kexec_plan)
    return make_error("{}: {} needs a kexec step before it (nothing is loaded)", ctx.scenario.file.string(), step.label);
  for (const KexecSegment& s : ctx.result.kexec_plan->segments) {
    if (!s.what.starts_with(step.segment)) continue;
    if (step.offset >= s.memsz)
      return make_error("{}: {}: offset 0x{:x} is beyond the segment ({} bytes)", ctx.scenario.file.string(),
                        step.label, step.offset, s.memsz);
    PhysAddr at = s.mem.offset(step.offset);
    uint8_t* p = ctx.machine.ram().host_ptr(at, 1);
    if (!p) return make_error("{}: {}: {} is not RAM", ctx.scenario.file.string(), step.label, at);
    uint8_t before = *p;
    *p = static_cast<uint8_t>(~before);
    ctx.result.host_writes.push_back({at, step.label});
    detail = fmt::format("flipped the byte at {} ({} +0x{:x}): 0x{:02x} -> 0x{:02x}", at, s.what, step.offset, before, *p);
    return llvm::Error::success();
  }
  std::string names;
  for (const KexecSegment& s : ctx.result.kexec_plan->segments) names += (names.empty() ? "" : ", ") + s.what;
  return make_error("{}: {}: no loaded segment is called '{}' (loaded: {})", ctx.scenario.file.string(), step.label,
                    step.segment, names);
}

}  // namespace kdsim
