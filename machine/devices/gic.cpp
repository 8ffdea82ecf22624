#include "machine/devices/gic.h"

namespace kdsim {

namespace {
// Distributor
constexpr uint64_t kGicdCtlr = 0x000, kGicdTyper = 0x004, kGicdIidr = 0x008, kGicdSgir = 0xf00;
constexpr uint64_t kGicdIsenabler0 = 0x100, kGicdIsenabler1 = 0x104, kGicdIcenabler1 = 0x184;
constexpr uint64_t kGicdItargetsrSpi = 0x820, kGicdItargetsrEnd = 0x840;
constexpr unsigned kFirstSpi = 32;
// CPU interface
constexpr uint64_t kGiccCtlr = 0x000, kGiccPmr = 0x004, kGiccIar = 0x00c, kGiccEoir = 0x010, kGiccIidr = 0x0fc;
constexpr uint32_t kSpuriousId = 1023;
constexpr uint32_t kArmImplementer = 0x43b;  // JEP106 code of ARM, as GICv2 reports it
}  // namespace

void GicState::set_spi_level(unsigned intid, bool high) {
  const uint32_t bit = 1u << (intid - kFirstSpi);
  spi_level = high ? spi_level | bit : spi_level & ~bit;
}

std::optional<unsigned> GicState::pending_spi(unsigned cpu) const {
  const uint32_t ready = spi_level & spi_enabled & ~spi_active;
  if (cpu != 0 || !ready) return std::nullopt;
  return kFirstSpi + static_cast<unsigned>(__builtin_ctz(ready));
}

bool GicState::has_pending(unsigned cpu) const {
  if (!distributor_enabled || cpu >= cpu_count() || !cpu_interface_enabled[cpu]) return false;
  for (uint8_t sources : m_pending[cpu])
    if (sources) return true;
  return pending_spi(cpu).has_value();
}

uint64_t GicDistributor::read(uint64_t offset, unsigned) {
  switch (offset) {
  case kGicdCtlr: return m_s.distributor_enabled ? 1 : 0;
  case kGicdTyper: return (m_s.cpu_count() - 1) << 5 | 1;  // CPUNumber; ITLinesNumber 1 (64 interrupts)
  case kGicdIidr: return kArmImplementer;
  case kGicdIsenabler0: return 0xffff;  // SGIs are always enabled
  case kGicdIsenabler1:
  case kGicdIcenabler1: return m_s.spi_enabled;
  default: break;
  }
  if (offset >= kGicdItargetsrSpi && offset < kGicdItargetsrEnd) return 0x01010101;  // CPU 0
  return 0;
}

void GicDistributor::write(uint64_t offset, unsigned, uint64_t value) {
  if (offset == kGicdCtlr) {
    m_s.distributor_enabled = value & 1;
    return;
  }
  if (offset == kGicdIsenabler1) {
    m_s.spi_enabled |= static_cast<uint32_t>(value);
    return;
  }
  if (offset == kGicdIcenabler1) {
    m_s.spi_enabled &= ~static_cast<uint32_t>(value);
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
    if (auto spi = m_s.pending_spi(cpu)) {
      m_s.spi_active |= 1u << (*spi - kFirstSpi);
      return *spi;
    }
    return kSpuriousId;
  }
  default: return 0;
  }
}

void GicCpuInterface::write(uint64_t offset, unsigned, uint64_t value) {
  const unsigned cpu = m_current();
  if (offset == kGiccCtlr) m_s.cpu_interface_enabled[cpu] = value & 1;
  // GICC_EOIR: an SPI leaves the active state (an SGI has nothing to complete). GICC_PMR:
  // priorities are not modelled.
  const unsigned id = value & 0x3ff;
  if (offset == kGiccEoir && id >= kFirstSpi && id < kFirstSpi + 32) m_s.spi_active &= ~(1u << (id - kFirstSpi));
  (void)kGiccPmr;
}

}  // namespace kdsim
