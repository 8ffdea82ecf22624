// Console UARTs. Transmit goes to the console sink; receive holds what the host types on the
// serial line (SerialInput: characters and BREAK conditions), for the guest's driver to read
// on its receive interrupt. Nothing arrives unless a scenario sends it.
#pragma once
#include "machine/device.h"
#include "machine/devices/sinks.h"
#include <deque>

namespace kdsim {

// One received entry: a character, or a BREAK (the line held low for a character time or more;
// the UART receives a 0 byte flagged as a break).
struct SerialRx {
  uint8_t ch = 0;
  bool brk = false;
};

// What the machine needs of a console UART to deliver input and route its interrupt line.
class SerialPort {
public:
  virtual ~SerialPort() = default;
  virtual void receive(SerialRx rx) = 0;
  // The UART's interrupt output: receive data waiting and the receive interrupt enabled.
  virtual bool irq_asserted() const = 0;
};

// ARM PrimeCell PL011 (ARM DDI 0183): DR at 0x000 (a read takes the next received character,
// BE bit 10 flags a break), FR at 0x018 (TXFF bit 5 never set, RXFE bit 4 set while nothing was
// received), IMSC 0x038 / RIS 0x03c / MIS 0x040 with RXIM bit 4 (the receive interrupt, level:
// raised while data waits), peripheral ID registers at 0xfe0.. so probing drivers recognise it.
class Pl011 final : public Device, public SerialPort {
public:
  explicit Pl011(ConsoleSink& sink) : m_sink(sink) {}
  std::string_view name() const override { return "pl011"; }
  uint64_t size() const override { return 0x1000; }
  uint64_t read(uint64_t offset, unsigned width) override;
  void write(uint64_t offset, unsigned width, uint64_t value) override;
  void receive(SerialRx rx) override { m_rx.push_back(rx); }
  bool irq_asserted() const override;

private:
  ConsoleSink& m_sink;
  std::deque<SerialRx> m_rx;
  uint32_t m_imsc = 0;
};

// 16550 UART at an I/O port base: THR/RBR at +0, IER at +1 (ERBFI bit 0: receive interrupt),
// IIR at +2 (0x04 receive data available, 0x01 nothing pending), MCR at +4 (OUT2 bit 3 gates the
// interrupt line on a PC), LSR at +5 (THRE|TEMT always, DR bit 0 while data waits, BI bit 4
// when the next character is a break).
class Uart16550 final : public Device, public SerialPort {
public:
  explicit Uart16550(ConsoleSink& sink) : m_sink(sink) {}
  std::string_view name() const override { return "uart16550"; }
  uint64_t size() const override { return 8; }
  uint64_t read(uint64_t offset, unsigned width) override;
  void write(uint64_t offset, unsigned width, uint64_t value) override;
  void receive(SerialRx rx) override { m_rx.push_back(rx); }
  bool irq_asserted() const override;

private:
  ConsoleSink& m_sink;
  std::deque<SerialRx> m_rx;
  uint8_t m_lcr = 0;  // DLAB (bit 7) redirects offsets 0 and 1 to the divisor latch
  uint8_t m_ier = 0;
  uint8_t m_mcr = 0;
  uint8_t m_scratch = 0;
};

}  // namespace kdsim
