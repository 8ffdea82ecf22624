#include "machine/devices/gic.h"

namespace kdsim {

namespace {
// Distributor
constexpr uint64_t kGicdCtlr = 0x000, kGicdTyper = 0x004, kGicdIidr = 0x008, kGicdSgir = 0xf00;
// CPU interface
constexpr uint64_t kGiccCtlr = 0x000, kGiccPmr = 0x004, kGiccIar = 0x00c, kGiccEoir = 0x010, kGiccIidr = 0x0fc;
constexpr uint32_t kSpuriousId = 1023;
constexpr uint32_t kArmImplementer = 0x43b;  // JEP106 code of ARM, as GICv2 reports it
}  // namespace

bool GicState::has_pending(unsigned cpu) const {
  if (!distributor_enabled || cpu >= cpu_count() || !cpu_interface_enabled[cpu]) return false;
  for (uint8_t sources : m_pending[cpu])
    if (sources) return true;
  return false;
}

uint64_t GicDistributor::read(uint64_t offset, unsigned) {
  switch (offset) {
  case kGicdCtlr: return m_s.distributor_enabled ? 1 : 0;
  case kGicdTyper: return (m_s.cpu_count() - 1) << 5;  // CPUNumber; ITLinesNumber 0 (32 interrupts)
  case kGicdIidr: return kArmImplementer;
  default: return 0;
  }
}

void GicDistributor::write(uint64_t offset, unsigned, uint64_t value) {
  if (offset == kGicdCtlr) {
    m_s.distributor_enabled = value & 1;
    return;
  }
  if (offset != kGicdSgir) return;
  // GICD_SGIR: TargetListFilter [25:24], CPUTargetList [23:16], SGIINTID [3:0].
  const unsigned self = m_current();
  const unsigned filter = (value >> 24) & 3, id = value & 0xf;
  const unsigned list = (value >> 16) & 0xff;
  for (unsigned cpu = 0; cpu < m_s.cpu_count(); ++cpu) {
    bool target = filter == 0 ? (list >> cpu) & 1 : filter == 1 ? cpu != self : filter == 2 ? cpu == self : false;
    if (target) m_s.m_pending[cpu][id] |= static_cast<uint8_t>(1u << self);
  }
}

uint64_t GicCpuInterface::read(uint64_t offset, unsigned) {
  const unsigned cpu = m_current();
  switch (offset) {
  case kGiccCtlr: return m_s.cpu_interface_enabled[cpu] ? 1 : 0;
  case kGiccIidr: return kArmImplementer | (2u << 16);  // architecture version 2
  case kGiccIar: {
    // Acknowledge the lowest pending SGI (lower IDs have higher priority at equal priority).
    for (unsigned id = 0; id < 16; ++id) {
      uint8_t& sources = m_s.m_pending[cpu][id];
      if (!sources) continue;
      unsigned source = static_cast<unsigned>(__builtin_ctz(sources));
      sources &= static_cast<uint8_t>(~(1u << source));
      return id | (source << 10);  // GICC_IAR: CPUID [12:10], interrupt ID [9:0]
    }
    return kSpuriousId;
  }
  default: return 0;
  }
}

void GicCpuInterface::write(uint64_t offset, unsigned, uint64_t value) {
  const unsigned cpu = m_current();
  if (offset == kGiccCtlr) m_s.cpu_interface_enabled[cpu] = value & 1;
  // GICC_PMR and GICC_EOIR: priorities are not modelled; an EOI has nothing to complete.
  (void)kGiccPmr;
  (void)kGiccEoir;
}

}  // namespace kdsim
