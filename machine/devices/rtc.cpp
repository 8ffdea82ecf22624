#include "machine/devices/rtc.h"
#include <chrono>

namespace kdsim {

namespace {
// PL031 registers (ARM DDI 0224) and the PrimeCell identification block.
constexpr uint64_t kRtcDr = 0x00, kRtcMr = 0x04, kRtcLr = 0x08, kRtcCr = 0x0c;
constexpr uint8_t kPl031Id[8] = {0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};  // 0xfe0..0xffc

uint8_t bcd(unsigned v) { return static_cast<uint8_t>(((v / 10) << 4) | (v % 10)); }
}  // namespace

uint64_t Pl031::read(uint64_t offset, unsigned) {
  switch (offset) {
  case kRtcDr: return static_cast<uint32_t>(m_clock.seconds() + m_load_delta);
  case kRtcMr: return m_match;
  case kRtcLr: return static_cast<uint32_t>(m_clock.seconds() + m_load_delta);
  case kRtcCr: return 1;  // always counting
  default: break;
  }
  if (offset >= 0xfe0 && offset <= 0xffc && offset % 4 == 0) return kPl031Id[(offset - 0xfe0) / 4];
  return 0;
}

void Pl031::write(uint64_t offset, unsigned, uint64_t value) {
  if (offset == kRtcLr) m_load_delta = static_cast<int64_t>(static_cast<uint32_t>(value)) - m_clock.seconds();
  if (offset == kRtcMr) m_match = static_cast<uint32_t>(value);
}

uint64_t CmosRtc::read(uint64_t offset, unsigned) { return offset == 1 ? register_value(m_index) : 0xff; }

void CmosRtc::write(uint64_t offset, unsigned, uint64_t value) {
  if (offset == 0) m_index = static_cast<uint8_t>(value & 0x7f);  // bit 7 is the NMI mask
}

uint8_t CmosRtc::register_value(uint8_t index) const {
  using namespace std::chrono;
  const sys_seconds now{seconds{m_clock.seconds()}};
  const sys_days day = floor<days>(now);
  const year_month_day date{day};
  const hh_mm_ss time{now - day};
  const unsigned year = static_cast<unsigned>(static_cast<int>(date.year()));
  switch (index) {
  case 0x00: return bcd(static_cast<unsigned>(time.seconds().count()));
  case 0x02: return bcd(static_cast<unsigned>(time.minutes().count()));
  case 0x04: return bcd(static_cast<unsigned>(time.hours().count()));
  case 0x06: return bcd(weekday{day}.iso_encoding());
  case 0x07: return bcd(static_cast<unsigned>(date.day()));
  case 0x08: return bcd(static_cast<unsigned>(date.month()));
  case 0x09: return bcd(year % 100);
  case 0x0a: return 0x26;  // status A: update not in progress, 32.768 kHz divider
  case 0x0b: return 0x02;  // status B: 24-hour mode, BCD
  case 0x0d: return 0x80;  // status D: the battery is good
  case 0x32: return bcd(year / 100);
  default: return 0;
  }
}

}  // namespace kdsim
