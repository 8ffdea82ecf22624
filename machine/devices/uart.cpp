#include "machine/devices/uart.h"

namespace kdsim {

namespace {
constexpr uint64_t kPl011Dr = 0x000, kPl011Fr = 0x018;
constexpr uint64_t kPl011FrRxfe = 1 << 4, kPl011FrTxfe = 1 << 7;
// PL011 PeriphID0..3 and PCellID0..3 at 0xfe0..0xffc.
constexpr uint8_t kPl011Ids[8] = {0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};
}  // namespace

uint64_t Pl011::read(uint64_t offset, unsigned) {
  if (offset == kPl011Fr) return kPl011FrRxfe | kPl011FrTxfe;
  if (offset >= 0xfe0 && offset < 0x1000 && offset % 4 == 0) return kPl011Ids[(offset - 0xfe0) / 4];
  return 0;
}

void Pl011::write(uint64_t offset, unsigned, uint64_t value) {
  if (offset == kPl011Dr) {
    char c = static_cast<char>(value & 0xff);
    m_sink.console_write({&c, 1});
  }
}

namespace {
constexpr uint64_t kThr = 0, kLcr = 3, kLsr = 5, kScr = 7;
constexpr uint8_t kLcrDlab = 0x80, kLsrThreTemt = 0x60;
}  // namespace

uint64_t Uart16550::read(uint64_t offset, unsigned) {
  switch (offset) {
  case kLcr: return m_lcr;
  case kLsr: return kLsrThreTemt;
  case kScr: return m_scratch;
  default: return 0;
  }
}

void Uart16550::write(uint64_t offset, unsigned, uint64_t value) {
  uint8_t b = value & 0xff;
  if (offset == kThr && !(m_lcr & kLcrDlab)) {
    char c = static_cast<char>(b);
    m_sink.console_write({&c, 1});
  } else if (offset == kLcr) {
    m_lcr = b;
  } else if (offset == kScr) {
    m_scratch = b;
  }
}

}  // namespace kdsim
