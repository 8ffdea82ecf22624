#include "machine/devices/uart.h"

namespace kdsim {

namespace {
constexpr uint64_t kPl011Dr = 0x000, kPl011Fr = 0x018, kPl011Imsc = 0x038, kPl011Ris = 0x03c, kPl011Mis = 0x040;
constexpr uint64_t kPl011FrRxfe = 1 << 4, kPl011FrTxfe = 1 << 7;
constexpr uint32_t kPl011DrBe = 1 << 10;  // break error
constexpr uint32_t kPl011Rxim = 1 << 4;   // receive interrupt (mask, raw and masked status)
// PL011 PeriphID0..3 and PCellID0..3 at 0xfe0..0xffc.
constexpr uint8_t kPl011Ids[8] = {0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};
}  // namespace

uint64_t Pl011::read(uint64_t offset, unsigned) {
  const uint32_t ris = m_rx.empty() ? 0 : kPl011Rxim;
  switch (offset) {
  case kPl011Dr: {
    if (m_rx.empty()) return 0;
    const SerialRx rx = m_rx.front();
    m_rx.pop_front();
    return rx.brk ? kPl011DrBe : rx.ch;
  }
  case kPl011Fr: return (m_rx.empty() ? kPl011FrRxfe : 0) | kPl011FrTxfe;
  case kPl011Imsc: return m_imsc;
  case kPl011Ris: return ris;
  case kPl011Mis: return ris & m_imsc;
  default: break;
  }
  if (offset >= 0xfe0 && offset < 0x1000 && offset % 4 == 0) return kPl011Ids[(offset - 0xfe0) / 4];
  return 0;
}

void Pl011::write(uint64_t offset, unsigned, uint64_t value) {
  if (offset == kPl011Dr) {
    char c = static_cast<char>(value & 0xff);
    m_sink.console_write({&c, 1});
  } else if (offset == kPl011Imsc) {
    m_imsc = static_cast<uint32_t>(value & 0x7ff);
  }
}

bool Pl011::irq_asserted() const { return !m_rx.empty() && (m_imsc & kPl011Rxim); }

namespace {
constexpr uint64_t kThr = 0, kIer = 1, kIir = 2, kLcr = 3, kMcr = 4, kLsr = 5, kScr = 7;
constexpr uint8_t kLcrDlab = 0x80, kLsrThreTemt = 0x60, kLsrDr = 0x01, kLsrBi = 0x10;
constexpr uint8_t kIerErbfi = 0x01, kMcrOut2 = 0x08;
constexpr uint8_t kIirNoInt = 0x01, kIirRdi = 0x04;
}  // namespace

uint64_t Uart16550::read(uint64_t offset, unsigned) {
  const bool dlab = m_lcr & kLcrDlab;
  switch (offset) {
  case kThr: {  // RBR
    if (dlab || m_rx.empty()) return 0;
    const SerialRx rx = m_rx.front();
    m_rx.pop_front();
    return rx.brk ? 0 : rx.ch;
  }
  case kIer: return dlab ? 0 : m_ier;
  case kIir: return (m_ier & kIerErbfi) && !m_rx.empty() ? kIirRdi : kIirNoInt;
  case kLcr: return m_lcr;
  case kMcr: return m_mcr;
  case kLsr:
    if (m_rx.empty()) return kLsrThreTemt;
    return kLsrThreTemt | kLsrDr | (m_rx.front().brk ? kLsrBi : 0);
  case kScr: return m_scratch;
  default: return 0;
  }
}

void Uart16550::write(uint64_t offset, unsigned, uint64_t value) {
  uint8_t b = value & 0xff;
  const bool dlab = m_lcr & kLcrDlab;
  if (offset == kThr && !dlab) {
    char c = static_cast<char>(b);
    m_sink.console_write({&c, 1});
  } else if (offset == kIer && !dlab) {
    m_ier = b & 0x0f;
  } else if (offset == kLcr) {
    m_lcr = b;
  } else if (offset == kMcr) {
    m_mcr = b & 0x1f;
  } else if (offset == kScr) {
    m_scratch = b;
  }
}

// On a PC the 16550's INTR output reaches the interrupt controller only through OUT2.
bool Uart16550::irq_asserted() const { return !m_rx.empty() && (m_ier & kIerErbfi) && (m_mcr & kMcrOut2); }

}  // namespace kdsim
