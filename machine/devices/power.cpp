#include "machine/devices/power.h"

namespace kdsim {

void AcpiPowerControl::write(uint64_t offset, unsigned width, uint64_t value) {
  constexpr uint64_t kSlpEn = 1 << 13;
  if (offset == 0 && width == 2 && (value & kSlpEn)) m_sink.power_request(PowerRequest::Off);
}

void ResetControl::write(uint64_t, unsigned, uint64_t value) {
  constexpr uint8_t kResetCpu = 1 << 2;
  m_value = value & 0xff;
  if (m_value & kResetCpu) m_sink.power_request(PowerRequest::Reset);
}

}  // namespace kdsim
