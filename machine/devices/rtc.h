// Real-time clocks: the machine's wall clock as the guest reads it (issue #8: CRASHTIME and
// the kernel's time come from here). Wall time is a fixed instant at power-on plus machine
// time (instructions) at the nominal rate the arm64 generic timer also uses, never the host's
// clock, so every run reads the same times.
#pragma once
#include "machine/device.h"
#include <cstdint>
#include <functional>

namespace kdsim {

class WallClock {
public:
  // 2024-01-01T00:00:00Z: the default power-on instant.
  static constexpr int64_t kDefaultBootEpoch = 1'704'067'200;
  // Instructions per second of machine time (the arm64 CNTFRQ_EL0, docs/devices.md).
  static constexpr uint64_t kInstructionsPerSecond = 62'500'000;

  WallClock(int64_t boot_epoch, std::function<uint64_t()> machine_time)
      : m_boot_epoch(boot_epoch), m_machine_time(std::move(machine_time)) {}
  int64_t seconds() const {
    return m_boot_epoch + static_cast<int64_t>(m_machine_time() / kInstructionsPerSecond);
  }

private:
  int64_t m_boot_epoch;
  std::function<uint64_t()> m_machine_time;
};

// ARM PrimeCell PL031 RTC (QEMU virt at 0x0901_0000): RTCDR counts seconds; a write to RTCLR
// sets it. Linux: drivers/rtc/rtc-pl031.c.
class Pl031 final : public Device {
public:
  explicit Pl031(const WallClock& clock) : m_clock(clock) {}
  std::string_view name() const override { return "pl031-rtc"; }
  uint64_t size() const override { return 0x1000; }
  uint64_t read(uint64_t offset, unsigned width) override;
  void write(uint64_t offset, unsigned width, uint64_t value) override;

private:
  const WallClock& m_clock;
  int64_t m_load_delta = 0;  // RTCLR written minus the clock at that time
  uint32_t m_match = 0;
};

// The PC's MC146818 CMOS RTC at ports 0x70 (index) and 0x71 (data): BCD date and time in
// 24-hour mode, century in register 0x32. Linux: arch/x86/kernel/rtc.c mach_get_cmos_time.
class CmosRtc final : public Device {
public:
  explicit CmosRtc(const WallClock& clock) : m_clock(clock) {}
  std::string_view name() const override { return "cmos-rtc"; }
  uint64_t size() const override { return 2; }
  uint64_t read(uint64_t offset, unsigned width) override;
  void write(uint64_t offset, unsigned width, uint64_t value) override;

private:
  uint8_t register_value(uint8_t index) const;
  const WallClock& m_clock;
  uint8_t m_index = 0;
};

}  // namespace kdsim
