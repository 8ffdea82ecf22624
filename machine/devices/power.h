// x86 power and reset ports (PC conventions, see docs/devices.md).
#pragma once
#include "machine/device.h"
#include "machine/devices/sinks.h"

namespace kdsim {

// ACPI PM1a control block as QEMU q35 places it at port 0x604: a 16-bit write with
// SLP_EN (bit 13) requests the sleep state in SLP_TYP; kdsim treats every SLP_EN as S5 (off).
class AcpiPowerControl final : public Device {
public:
  explicit AcpiPowerControl(PowerSink& sink) : m_sink(sink) {}
  std::string_view name() const override { return "acpi-pm1a-cnt"; }
  uint64_t size() const override { return 2; }
  uint64_t read(uint64_t, unsigned) override { return 0; }
  void write(uint64_t offset, unsigned width, uint64_t value) override;

private:
  PowerSink& m_sink;
};

// PCI reset control register at port 0xcf9 (Linux reboot=pci): bit 2 starts the reset.
class ResetControl final : public Device {
public:
  explicit ResetControl(PowerSink& sink) : m_sink(sink) {}
  std::string_view name() const override { return "reset-control"; }
  uint64_t size() const override { return 1; }
  uint64_t read(uint64_t, unsigned) override { return m_value; }
  void write(uint64_t offset, unsigned width, uint64_t value) override;

private:
  PowerSink& m_sink;
  uint8_t m_value = 0;
};

}  // namespace kdsim
