// Console UARTs, transmit side only (the guest never reads input in kdsim).
#pragma once
#include "machine/device.h"
#include "machine/devices/sinks.h"

namespace kdsim {

// ARM PrimeCell PL011 (ARM DDI 0183): DR at 0x000, FR at 0x018 (TXFF bit 5 never set,
// RXFE bit 4 always set), peripheral ID registers at 0xfe0.. so probing drivers recognise it.
class Pl011 final : public Device {
public:
  explicit Pl011(ConsoleSink& sink) : m_sink(sink) {}
  std::string_view name() const override { return "pl011"; }
  uint64_t size() const override { return 0x1000; }
  uint64_t read(uint64_t offset, unsigned width) override;
  void write(uint64_t offset, unsigned width, uint64_t value) override;

private:
  ConsoleSink& m_sink;
};

// 16550 UART at an I/O port base: THR at +0; LSR at +5 reads THRE|TEMT (0x60), no data ready.
class Uart16550 final : public Device {
public:
  explicit Uart16550(ConsoleSink& sink) : m_sink(sink) {}
  std::string_view name() const override { return "uart16550"; }
  uint64_t size() const override { return 8; }
  uint64_t read(uint64_t offset, unsigned width) override;
  void write(uint64_t offset, unsigned width, uint64_t value) override;

private:
  ConsoleSink& m_sink;
  uint8_t m_lcr = 0;  // DLAB (bit 7) redirects offset 0 to the divisor latch
  uint8_t m_scratch = 0;
};

}  // namespace kdsim
