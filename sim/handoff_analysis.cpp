#include "sim/handoff_analysis.h"
#include "firmware-less-boot/kexec/sha256_regions.h"
#include <algorithm>

namespace kdsim {

namespace {

// The verdict comes first from what the machine saw (the purgatory reached the next kernel, or
// spins), then from what a purgatory reported; a purgatory that reports nothing is judged all
// the same.
PurgatoryStatus purgatory_status(const RunResult& r) {
  for (auto source : {TimelineEvent::Source::Machine, TimelineEvent::Source::Guest})
    for (const TimelineEvent& e : r.timeline) {
      if (e.source != source) continue;
      if (e.name == "digest_ok") return PurgatoryStatus::DigestOk;
      if (e.name == "digest_mismatch") return PurgatoryStatus::DigestMismatch;
      if (e.name == "digest_skipped") return PurgatoryStatus::DigestSkipped;
    }
  return PurgatoryStatus::NotReached;
}

std::string hex(std::span<const uint8_t> bytes) {
  std::string out;
  for (uint8_t b : bytes) out += fmt::format("{:02x}", b);
  return out;
}

// SHA-256 of one segment as kexec_load was given it (buffer, then zeros to memsz) and as it is
// in RAM now.
std::string segment_digests(const KexecSegment& loaded, const uint8_t* ram) {
  KexecSegment now = loaded;
  now.buf.assign(ram, ram + loaded.memsz);
  auto want = compute_sha256_regions({&loaded, 1}, std::nullopt);
  auto have = compute_sha256_regions({&now, 1}, std::nullopt);
  if (!want || !have) {
    llvm::consumeError(want.takeError());
    llvm::consumeError(have.takeError());
    return "(digests not computed)";
  }
  return fmt::format("sha256 as loaded {}, now {}", hex(want->digest), hex(have->digest));
}

// The step in effect at machine time `instructions`: the last one sent before it.
std::string step_at(const RunResult& r, uint64_t instructions) {
  const StepResult* in_effect = nullptr;
  for (const StepResult& s : r.steps)
    if (s.sent_at <= instructions) in_effect = &s;
  return in_effect ? fmt::format("during step '{}'", in_effect->label) : "before the first step";
}

// Who stored into `segment` after kexec_load, as the machine watched it: the store covering `at`
// if one was recorded, else the first store into the segment.
std::string writer(const HandoffObservation& h, const RunResult& r, PhysAddr at, PhysRange segment) {
  const SegmentStore* found = nullptr;
  for (const SegmentStore& st : h.segment_stores)
    if (PhysRange{st.at, st.size}.contains(at)) found = &st;
  if (!found)
    for (const SegmentStore& st : h.segment_stores)
      if (segment.contains(st.at)) {
        found = &st;
        break;
      }
  if (!found) {
    if (h.segment_store_count > h.segment_stores.size())
      return fmt::format("written after kexec_load by guest code ({} guest stores into loaded segments, only the "
                         "first {} recorded)",
                         h.segment_store_count, h.segment_stores.size());
    return "changed after kexec_load, by no guest store the machine saw (a device or the host)";
  }
  return fmt::format("written after kexec_load by a guest store of {} bytes at {} from cpu{} PC 0x{:x} at "
                     "instruction {} ({}); {} guest stores into loaded segments in all",
                     found->size, found->at, found->cpu, found->pc.value(), found->instructions,
                     step_at(r, found->instructions), h.segment_store_count);
}

// Digest forensics: the first loaded segment (not the purgatory, which changes itself) whose
// bytes differ from what kexec_load was given, the first differing byte, both digests, and who
// changed it: kdsim's own fault injection, or the guest store the machine saw.
std::optional<std::string> first_changed_region(Machine& m, const RunResult& r, const KexecPlan& plan) {
  size_t region = 0;
  for (const KexecSegment& s : plan.segments) {
    if (s.mem == plan.purgatory.base) continue;
    const uint8_t* ram = m.ram().host_ptr(s.mem, s.memsz);
    if (!ram) continue;
    for (uint64_t i = 0; i < s.memsz; ++i) {
      uint8_t want = i < s.buf.size() ? s.buf[i] : 0;
      if (ram[i] == want) continue;
      const PhysAddr at = s.mem.offset(i);
      std::string who = writer(m.handoff(), r, at, {s.mem, s.memsz});
      for (const RunResult::HostWrite& w : r.host_writes)
        if (w.at == at) who = fmt::format("written after kexec_load by the host step '{}'", w.step);
      return fmt::format("sha256 region {} ({}, [{}, +0x{:x})) no longer holds what was loaded: first at {}: "
                         "loaded 0x{:02x}, now 0x{:02x}, {}; {}",
                         region, s.what, s.mem, s.memsz, at, want, ram[i], who, segment_digests(s, ram));
    }
    ++region;
  }
  return std::nullopt;
}

}  // namespace

void analyse_handoff(Machine& m, RunResult& r) {
  r.purgatory = purgatory_status(r);
  if (!r.kexec_plan) return;
  const KexecPlan& plan = *r.kexec_plan;
  bool in_purgatory = false;
  for (unsigned i = 0; i < m.cpu_count(); ++i) {
    uint64_t pc = m.cpu(i).pc();
    if (!plan.purgatory.contains(PhysAddr(pc))) continue;
    in_purgatory = true;
    r.analysis.push_back(fmt::format("cpu{} is {} in purgatory at PC 0x{:x} (purgatory segment {}, +0x{:x})", i,
                                       r.outcome == Outcome::PurgatoryFault ? "stopped by a fault" : "spinning", pc,
                                       PhysRange{plan.purgatory}, pc - plan.purgatory.base.value()));
  }
  if (r.purgatory == PurgatoryStatus::DigestMismatch || in_purgatory)
    if (auto changed = first_changed_region(m, r, plan)) r.analysis.push_back(*changed);
}

}  // namespace kdsim
