#include "sim/html_report.h"
#include "sim/output_text.h"
#include "sim/host_arch.h"
#include "sim/stage_linux.h"
#include <algorithm>

namespace kdsim {

namespace {

std::string esc(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '&': out += "&amp;"; break;
    case '"': out += "&quot;"; break;
    default: out += c;
    }
  }
  return out;
}

// One band of the memory map: a named physical range, in a phase of the run.
struct Band {
  std::string phase;  // "first kernel", "kexec_load", "capture kernel", "dump"
  std::string name;
  uint64_t start, end;  // [start, end)
  std::string css;      // colour class
};

// The first kernel's /proc/iomem, every resource at any depth.
void iomem_bands(const RunResult& r, std::vector<Band>& out) {
  auto iomem = first_iomem(r);
  if (!iomem) return;
  for (const IomemResource& res : iomem->resources()) {
    const std::string& name = res.name;
    std::string css = name == "System RAM" ? "ram" : name == "Crash kernel" ? "crash" : name.starts_with("Kernel") ? "kernel" : "other";
    out.push_back({"first kernel: /proc/iomem", name, res.start, res.end + 1, css});
  }
}

void plan_bands(const RunResult& r, std::vector<Band>& out) {
  if (!r.kexec_plan) return;
  const KexecPlan& p = *r.kexec_plan;
  for (const KexecSegment& s : p.segments) {
    std::string css = s.what == "purgatory" ? "purgatory" : s.what == "elfcorehdr" ? "hdr" : "segment";
    out.push_back({"kexec_load: segments", s.what, s.mem.value(), s.mem.value() + s.memsz, css});
  }
  if (p.crash_region)
    out.push_back({"capture kernel: usable memory", "crash kernel region", p.crash_region->base.value(),
                   p.crash_region->base.value() + p.crash_region->size, "crash"});
  if (p.backup)
    out.push_back({"capture kernel: usable memory", "backed-up low memory", p.backup->source.base.value(),
                   p.backup->source.base.value() + p.backup->source.size, "crash"});
}

std::string memory_map_svg(const std::vector<Band>& bands, std::string_view id) {
  if (bands.empty()) return "<p>No /proc/iomem output and no kexec load in this run.</p>\n";
  uint64_t lo = ~0ull, hi = 0;
  for (const Band& b : bands) lo = std::min(lo, b.start), hi = std::max(hi, b.end);
  const double span = static_cast<double>(hi - lo);
  constexpr int kLeft = 360, kWidth = 560, kRow = 22;
  std::string svg = fmt::format("<svg id=\"{}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" "
                                "role=\"img\" aria-label=\"physical memory map\">\n",
                                id, kLeft + kWidth + 10, kRow * (bands.size() + 1) + 10);
  svg += fmt::format("<text x=\"{}\" y=\"14\" class=\"axis\">0x{:x}</text><text x=\"{}\" y=\"14\" class=\"axis\" "
                     "text-anchor=\"end\">0x{:x}</text>\n",
                     kLeft, lo, kLeft + kWidth, hi);
  std::string phase;
  for (size_t i = 0; i < bands.size(); ++i) {
    const Band& b = bands[i];
    const int y = kRow * static_cast<int>(i + 1);
    const double x0 = kLeft + kWidth * static_cast<double>(b.start - lo) / span;
    const double w = std::max(2.0, kWidth * static_cast<double>(b.end - b.start) / span);
    svg += fmt::format("<text x=\"4\" y=\"{}\" class=\"label\">{}{}</text>\n", y + 14,
                       b.phase != phase ? esc(b.phase) + ": " : "", esc(b.name));
    phase = b.phase;
    svg += fmt::format("<rect class=\"band {}\" x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\"><title>{} "
                       "[0x{:x}, 0x{:x})</title></rect>\n",
                       b.css, x0, y + 2, w, kRow - 6, esc(b.name), b.start, b.end);
  }
  return svg + "</svg>\n";
}

std::string timeline_table(const Scenario& s, const RunResult& r) {
  std::string out = "<table id=\"timeline\"><thead><tr><th>instructions</th><th>CPU</th><th>source</th><th>" +
                    std::string(host_arch(s.arch).privilege_label()) +
                    "</th><th>MMU</th><th>stage</th><th>PC</th><th>code</th><th>mirrors</th></tr></thead><tbody>\n";
  for (const TimelineEvent& e : r.timeline) {
    if (e.source == TimelineEvent::Source::Host) {
      if (e.name == "step" || e.name == "kexec" || e.name == "boot" || e.name == outcome_name(r.outcome))
        out += fmt::format("<tr class=\"host\"><td>{}</td><td>{}</td><td>host</td><td></td><td></td><td>{}</td>"
                           "<td colspan=\"3\">{}</td></tr>\n",
                           e.record.instructions, e.record.cpu, esc(e.name), esc(e.detail));
      continue;
    }
    const StageRecord& rec = e.record;
    out += fmt::format("<tr class=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                       "<td><code>0x{:x}</code></td><td><code>{}</code></td><td>{}</td></tr>\n",
                       e.source == TimelineEvent::Source::Machine ? "seen" : "guest", rec.instructions, rec.cpu,
                       e.source == TimelineEvent::Source::Machine ? "seen" : "guest", rec.state.privilege,
                       rec.state.mmu_on ? "on" : "off", esc(e.name), rec.state.pc.value(), esc(e.symbol),
                       esc(stage_linux_code(e.name, s.arch).value_or("")));
  }
  return out + "</tbody></table>\n";
}

// The console, with the lines that mark the kdump path highlighted.
std::string console_html(const std::string& console) {
  static constexpr std::string_view kMarkers[] = {
      "crashkernel reserved", "sysrq: Trigger a crash", "Unable to handle kernel", "BUG: kernel NULL pointer",
      "Kernel panic", "SMP: stopping secondary CPUs", "Starting crashdump kernel", "Bye!", "I'm in purgatory",
      "sha256 digests do not match", "purgatory: booting kernel now", "vmcore"};
  std::string out = "<pre id=\"console\">";
  std::string_view text = console;
  while (!text.empty()) {
    std::string_view line = text.substr(0, text.find('\n'));
    text.remove_prefix(std::min(text.size(), line.size() + 1));
    while (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const bool marked = std::any_of(std::begin(kMarkers), std::end(kMarkers),
                                    [&](std::string_view m) { return line.find(m) != std::string_view::npos; });
    out += marked ? "<mark>" + esc(line) + "</mark>\n" : esc(line) + "\n";
  }
  return out + "</pre>\n";
}

std::string steps_html(const RunResult& r) {
  std::string out = "<div id=\"steps\">\n";
  for (size_t i = 0; i < r.steps.size(); ++i) {
    const StepResult& st = r.steps[i];
    out += fmt::format("<details><summary>{} &rarr; {}</summary><pre>{}</pre></details>\n", esc(st.label),
                       st.exit_status ? fmt::format("exit status {}", *st.exit_status) : "did not complete",
                       esc(step_output_text(st.output, i)));
  }
  return out + "</div>\n";
}

constexpr std::string_view kStyle = R"(body{font-family:sans-serif;margin:1.5em;max-width:1100px;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;font-size:.85em}td,th{border:1px solid #ddd;padding:2px 6px;text-align:left}
tr.seen td{background:#eef6ff}tr.host td{color:#666}pre{background:#f6f6f6;padding:.6em;overflow-x:auto;font-size:.8em}
mark{background:#ffe28a}.label{font-size:11px}.axis{font-size:10px;fill:#666}
.band{stroke:#333;stroke-width:.5}.ram{fill:#b9d7b0}.kernel{fill:#5b8def}.crash{fill:#f2b36f}.other{fill:#ccc}
.segment{fill:#c77dd6}.purgatory{fill:#e45757}.hdr{fill:#2bb3a3}.dump{fill:#777}
.ok{color:#176b1a}.failed{color:#b3261e;font-weight:bold}dl{display:grid;grid-template-columns:max-content auto;gap:2px 12px}
)";

}  // namespace

std::string render_report_html(const Scenario& s, const RunResult& r, const std::vector<ExpectationCheck>& checks,
                               const std::optional<std::string>& vmcore_summary) {
  std::vector<Band> bands;
  iomem_bands(r, bands);
  plan_bands(r, bands);
  std::string html = fmt::format("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>kdsim: {}</title>\n"
                                 "<style>{}</style></head><body>\n",
                                 esc(s.name), kStyle);
  html += fmt::format("<h1>kdsim scenario {}</h1>\n<p>{}</p>\n", esc(s.name), esc(s.description));
  html += "<dl id=\"summary\">";
  html += fmt::format("<dt>machine</dt><dd>{}, {} CPU{}, {} MiB RAM</dd>", arch_name(s.arch), s.cpus,
                      s.cpus == 1 ? "" : "s", s.memory >> 20);
  html += fmt::format("<dt>command line</dt><dd><code>{}</code></dd>", esc(s.cmdline));
  html += fmt::format("<dt>outcome</dt><dd id=\"outcome\">{} after {} instructions</dd>", esc(outcome_name(r.outcome)), r.instructions);
  if (r.kexec_load) html += fmt::format("<dt>kexec_load</dt><dd>{}</dd>", esc(*r.kexec_load));
  html += fmt::format("<dt>purgatory</dt><dd id=\"purgatory\">{}</dd>", esc(purgatory_status_name(r.purgatory)));
  html += fmt::format("<dt>vmcore</dt><dd>{}</dd>", r.vmcore_size ? fmt::format("saved, {} bytes", *r.vmcore_size) : "none");
  html += "</dl>\n";
  if (!checks.empty()) {
    html += "<ul id=\"expectations\">";
    for (const ExpectationCheck& c : checks)
      html += fmt::format("<li class=\"{}\">{} {}</li>", c.met ? "ok" : "failed", c.met ? "met:" : "NOT met:",
                          esc(c.what) + (c.met ? "" : " (saw: " + esc(c.actual) + ")"));
    html += "</ul>\n";
  }
  html += "<h2>Physical memory as it changes hands</h2>\n" + memory_map_svg(bands, "memory-map");
  if (r.kexec_plan && r.kexec_plan->crash_region) {  // the same, zoomed into the crash region
    const PhysRange crash = *r.kexec_plan->crash_region;
    std::vector<Band> inside;
    for (const Band& b : bands)
      if (b.start >= crash.base.value() && b.end <= crash.base.value() + crash.size) inside.push_back(b);
    html += fmt::format("<h3>Inside the crash kernel region [0x{:x}, 0x{:x})</h3>\n", crash.base.value(),
                        crash.base.value() + crash.size) +
            memory_map_svg(inside, "crash-region-map");
  }
  html += "<h2>Stage timeline</h2>\n<p>Machine time is instructions executed; <em>seen</em> rows are what the "
          "machine observed, <em>guest</em> rows what guest code reported.</p>\n" +
          timeline_table(s, r);
  for (const std::string& a : r.analysis) html += fmt::format("<p class=\"analysis\">{}</p>\n", esc(a));
  html += "<h2>Console</h2>\n" + console_html(r.console);
  html += "<h2>Steps</h2>\n" + steps_html(r);
  html += "<h2>vmcore</h2>\n";
  html += vmcore_summary ? "<pre id=\"vmcore\">" + esc(*vmcore_summary) + "</pre>\n" : "<p id=\"vmcore\">No vmcore was saved.</p>\n";
  return html + "</body></html>\n";
}

}  // namespace kdsim
