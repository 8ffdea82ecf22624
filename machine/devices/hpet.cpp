#include "machine/devices/hpet.h"
#include "machine/devices/kdsim_device.h"

namespace kdsim {

namespace {
// Register offsets and bits (Linux arch/x86/include/asm/hpet.h).
constexpr uint64_t kHpetId = 0x000, kHpetCfg = 0x010, kHpetStatus = 0x020;  // HPET_PERIOD: HPET_ID + 4
constexpr uint64_t kHpetCounter = 0x0f0;
constexpr uint64_t kCfgEnable = 0x1;
// HPET_ID: REV_ID 1, no timers beyond timer 0 (NUM_TIM_CAP 0), 64-bit counter (COUNT_SIZE_CAP,
// bit 13), vendor 0x8086 as QEMU reports, the period in the upper half.
constexpr uint64_t kIdLow = 0x8086'2001;

// A 32-bit access reads or writes one half of a 64-bit register.
uint64_t half(uint64_t reg, uint64_t offset_in_reg, unsigned width) {
  if (width == 8) return reg;
  return offset_in_reg == 4 ? reg >> 32 : reg & 0xffffffffull;
}
}  // namespace

uint64_t Hpet::counter() const {
  return m_enabled ? m_counter_at + (m_machine_time() - m_time_at) : m_counter_at;
}

uint64_t Hpet::read(uint64_t offset, unsigned width) {
  const uint64_t id = (uint64_t(kPeriodFemtoseconds) << 32) | kIdLow;
  switch (offset & ~7ull) {
  case kHpetId: return half(id, offset & 7, width);
  case kHpetCfg: return half(m_enabled ? kCfgEnable : 0, offset & 7, width);
  case kHpetStatus: return 0;
  case kHpetCounter: return half(counter(), offset & 7, width);
  default: return 0;
  }
}

void Hpet::write(uint64_t offset, unsigned width, uint64_t value) {
  switch (offset & ~7ull) {
  case kHpetCfg: {
    if (offset & 7) return;  // the upper half is reserved
    const bool enable = value & kCfgEnable;
    if (enable != m_enabled) {
      m_counter_at = counter();
      m_time_at = m_machine_time();
      m_enabled = enable;
    }
    return;
  }
  case kHpetCounter: {
    if (m_enabled) return;  // software writes the counter only while it is halted
    if (width == 8) m_counter_at = value;
    else write_half(m_counter_at, offset & 4, value);
    return;
  }
  default: return;
  }
}

}  // namespace kdsim
