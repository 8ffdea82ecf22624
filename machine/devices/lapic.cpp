#include "machine/devices/lapic.h"

namespace kdsim {

using namespace lapic;

namespace {
constexpr uint32_t kLvtMasked = 0x1'0000;  // every LVT entry reads masked (no timer, no LINT)
constexpr uint32_t kDfrFlat = 0xffff'ffff;  // DFR model 0xf: flat (reserved bits read 1)

bool is_lvt(uint64_t offset) { return offset == 0x2f0 || (offset >= 0x320 && offset <= 0x370); }
}  // namespace

LapicState::LapicState(unsigned cpus) : m_cpus(cpus) {
  // APIC IDs are the CPU indexes, as the MADT the firmware-less boot writes says.
  for (unsigned i = 0; i < cpus; ++i) m_cpus[i].apic_id = static_cast<uint8_t>(i);
}

void LapicState::reject(unsigned from, uint32_t esr_bits) {
  m_cpus[from].esr_accumulated |= esr_bits;
  ++m_undeliverable;
}

// SDM 10.6.2: physical mode names one APIC ID (0xff: everyone); flat logical mode a bit mask
// matched against each LDR's logical ID. A shorthand ignores the destination field.
std::vector<unsigned> LapicState::targets(unsigned from, Shorthand shorthand, bool logical, uint8_t dest) const {
  std::vector<unsigned> out;
  for (unsigned i = 0; i < cpu_count(); ++i) {
    bool hit = false;
    switch (shorthand) {
    case Shorthand::None:
      if (!logical) hit = dest == kBroadcastId || dest == m_cpus[i].apic_id;
      else hit = (m_cpus[i].ldr >> 24) & dest;
      break;
    case Shorthand::Self: hit = i == from; break;
    case Shorthand::AllIncludingSelf: hit = true; break;
    case Shorthand::AllExcludingSelf: hit = i != from; break;
    }
    if (hit) out.push_back(i);
  }
  return out;
}

unsigned LapicState::send_ipi(unsigned from) {
  const LapicCpu& src = m_cpus[from];
  const uint32_t icr = src.icr_low;
  const auto mode = static_cast<DeliveryMode>((icr & kDeliveryModeMask) >> kDeliveryModeShift);
  const auto shorthand = static_cast<Shorthand>((icr >> kShorthandShift) & 3);
  const bool logical = icr & kDestLogical;
  const uint8_t vector = icr & 0xff, dest = static_cast<uint8_t>(src.icr_high >> 24);
  // INIT level de-assert (level 0, level-triggered): a no-op since the Pentium 4 (SDM 10.6.1);
  // Linux still sends it for old APICs (wakeup_secondary_cpu_via_init).
  if (mode == DeliveryMode::Init && !(icr & kLevelAssert) && (icr & kTriggerLevel)) return 0;
  if (mode == DeliveryMode::Fixed && vector < 16) {
    reject(from, kEsrSendIllegalVector);
    return 0;
  }
  const bool known_mode = mode == DeliveryMode::Fixed || mode == DeliveryMode::Nmi || mode == DeliveryMode::Init ||
                          mode == DeliveryMode::Startup;
  if (!known_mode || (logical && shorthand == Shorthand::None && src.dfr != kDfrFlat)) {
    reject(from, kEsrSendAccept);  // lowest priority, SMI, cluster model: not modelled
    return 0;
  }
  const std::vector<unsigned> to = targets(from, shorthand, logical, dest);
  if (to.empty()) {
    reject(from, kEsrSendAccept);  // SDM: no APIC accepted the message
    return 0;
  }
  for (unsigned t : to) {
    LapicCpu& c = m_cpus[t];
    switch (mode) {
    case DeliveryMode::Fixed: c.irr.set(vector); break;
    case DeliveryMode::Nmi: c.nmi = true; break;
    case DeliveryMode::Init:
      c.init = true;
      c.startup_vector.reset();
      break;
    case DeliveryMode::Startup: c.startup_vector = vector; break;
    case DeliveryMode::LowestPriority:
    case DeliveryMode::Smi: break;
    }
  }
  return static_cast<unsigned>(to.size());
}

std::optional<uint8_t> LapicState::deliverable_vector(unsigned index) const {
  const LapicCpu& c = m_cpus.at(index);
  for (unsigned v = 255; v >= 16; --v)
    if (c.irr.test(v)) return (v >> 4) > (c.tpr >> 4 & 0xf) ? std::optional<uint8_t>(static_cast<uint8_t>(v)) : std::nullopt;
  return std::nullopt;
}

bool LapicState::has_pending(unsigned index) const {
  const LapicCpu& c = m_cpus.at(index);
  return c.nmi || c.init || c.startup_vector || c.irr.any();
}

uint64_t LocalApic::read(uint64_t offset, unsigned) {
  const LapicCpu& c = m_s.cpu(m_current());
  switch (offset) {
  case kId: return static_cast<uint32_t>(c.apic_id) << 24;
  case kVersion: return kVersionValue;
  case kTpr: return c.tpr;
  case kLdr: return c.ldr;
  case kDfr: return c.dfr;
  case kSvr: return c.svr;
  case kEsr: return c.esr;
  case kIcrLow: return c.icr_low & ~(1u << 12);  // delivery status: always idle (sent at once)
  case kIcrHigh: return c.icr_high;
  default: break;
  }
  return is_lvt(offset) ? kLvtMasked : 0;
}

void LocalApic::write(uint64_t offset, unsigned, uint64_t value) {
  const unsigned self = m_current();
  LapicCpu& c = m_s.cpu(self);
  const uint32_t v = static_cast<uint32_t>(value);
  switch (offset) {
  case kTpr: c.tpr = v & 0xff; return;
  case kEoi: return;  // no in-service tracking: a fixed IPI is done once delivered
  case kLdr: c.ldr = v & 0xff00'0000; return;
  case kDfr: c.dfr = v | 0x0fff'ffff; return;
  case kSvr: c.svr = v & 0x13ff; return;
  case kEsr:  // SDM 10.5.3: a write latches the errors seen since the last one and clears them
    c.esr = c.esr_accumulated;
    c.esr_accumulated = 0;
    return;
  case kIcrHigh: c.icr_high = v & 0xff00'0000; return;
  case kIcrLow:
    c.icr_low = v;
    if (m_s.send_ipi(self) && m_sent) m_sent();
    return;
  default: return;  // ID and version read-only here (Linux never moves an xAPIC ID); LVT, timer
  }
}

}  // namespace kdsim
