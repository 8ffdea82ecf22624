// A GICv2 subset (ARM IHI 0048B): software-generated interrupts (SGI 0-15), which is what
// Linux's arm64 SMP code uses for IPIs (IPI_CPU_STOP, IPI_CPU_CRASH_STOP, ...), and 32
// level-sensitive shared peripheral interrupts (INTID 32-63) routed to CPU 0, for the board's
// UART (INTID 33 as on QEMU virt). Two register frames as on QEMU virt: the distributor
// (0x0800_0000) and the banked CPU interface (0x0801_0000). The machine asks which CPU makes an
// access (banking), sets the SPI lines from the devices and delivers pending interrupts
// between slices. Priorities and GICD_ITARGETSR are not modelled (every SPI targets CPU 0).
#pragma once
#include "machine/device.h"
#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace kdsim {

class GicState {
public:
  explicit GicState(unsigned cpus) : cpu_interface_enabled(cpus, false), m_pending(cpus) {}
  unsigned cpu_count() const { return static_cast<unsigned>(m_pending.size()); }
  bool distributor_enabled = false;
  std::vector<bool> cpu_interface_enabled;
  // pending[target][sgi] = bitmask of source CPUs (GICv2 keeps one pending bit per source).
  std::vector<std::array<uint8_t, 16>> m_pending;
  // SPIs (INTID 32 + bit): the device's line, GICD_ISENABLER1, and acknowledged but not yet
  // EOIed (an active level interrupt is not presented again until its EOI).
  uint32_t spi_level = 0, spi_enabled = 0, spi_active = 0;
  void set_spi_level(unsigned intid, bool high);
  // An SPI that would be acknowledged now (level high, enabled, not active), if any.
  std::optional<unsigned> pending_spi(unsigned cpu) const;
  bool has_pending(unsigned cpu) const;
};

class GicDistributor final : public Device {
public:
  GicDistributor(GicState& s, std::function<unsigned()> current_cpu) : m_s(s), m_current(std::move(current_cpu)) {}
  std::string_view name() const override { return "gicv2-distributor"; }
  uint64_t size() const override { return 0x10000; }
  uint64_t read(uint64_t offset, unsigned width) override;
  void write(uint64_t offset, unsigned width, uint64_t value) override;

private:
  GicState& m_s;
  std::function<unsigned()> m_current;
};

class GicCpuInterface final : public Device {
public:
  GicCpuInterface(GicState& s, std::function<unsigned()> current_cpu) : m_s(s), m_current(std::move(current_cpu)) {}
  std::string_view name() const override { return "gicv2-cpu-interface"; }
  uint64_t size() const override { return 0x10000; }
  uint64_t read(uint64_t offset, unsigned width) override;
  void write(uint64_t offset, unsigned width, uint64_t value) override;

private:
  GicState& m_s;
  std::function<unsigned()> m_current;
};

}  // namespace kdsim
