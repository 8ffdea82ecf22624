#include "sim/handoff_analysis.h"
#include <algorithm>

namespace kdsim {

namespace {

std::string purgatory_status(const RunResult& r) {
  for (const TimelineEvent& e : r.timeline) {
    if (e.name == "digest_ok") return "digest-ok";
    if (e.name == "digest_mismatch") return "digest-mismatch";
  }
  return "not-reached";
}

// The first byte of a loaded segment (not the purgatory, which changes itself) that differs
// from what kexec_load was given: its buffer, then zeros up to memsz.
std::optional<std::string> first_changed_region(Machine& m, const CrashLoadPlan& plan) {
  size_t region = 0;
  for (const KexecSegment& s : plan.segments) {
    if (s.mem == plan.purgatory.base) continue;
    const uint8_t* ram = m.ram().host_ptr(s.mem, s.memsz);
    if (!ram) continue;
    for (uint64_t i = 0; i < s.memsz; ++i) {
      uint8_t want = i < s.buf.size() ? s.buf[i] : 0;
      if (ram[i] != want)
        return fmt::format("sha256 region {} ({}, [{}, +0x{:x})) no longer holds what was loaded: first at {}: "
                           "loaded 0x{:02x}, now 0x{:02x}",
                           region, s.what, s.mem, s.memsz, s.mem.offset(i), want, ram[i]);
    }
    ++region;
  }
  return std::nullopt;
}

}  // namespace

void analyse_handoff(Machine& m, RunResult& r) {
  r.purgatory = purgatory_status(r);
  if (!r.kexec_plan) return;
  const CrashLoadPlan& plan = *r.kexec_plan;
  for (unsigned i = 0; i < m.cpu_count(); ++i) {
    uint64_t pc = m.cpu(i).pc();
    if (plan.purgatory.contains(PhysAddr(pc)))
      r.analysis.push_back(fmt::format("cpu{} is {} in purgatory at PC 0x{:x} (purgatory segment {})", i,
                                       r.outcome == "instruction-limit" ? "spinning" : "stopped", pc,
                                       PhysRange{plan.purgatory}));
  }
  if (r.purgatory == "digest-mismatch" || !r.analysis.empty())
    if (auto changed = first_changed_region(m, plan)) r.analysis.push_back(*changed);
}

}  // namespace kdsim
