// The PC's High Precision Event Timer at 0xfed0_0000 (IA-PC HPET specification 1.0a; Linux:
// arch/x86/include/asm/hpet.h, arch/x86/kernel/hpet.c). Only the main counter is modelled, no
// comparators or interrupts: it counts machine time, one tick per instruction (62.5 MHz
// nominal, the arm64 generic timer's rate), so x86 time is as deterministic as arm64's. The
// counter runs while HPET_CFG's ENABLE_CNF bit is set and may be written while it is stopped.
#pragma once
#include "machine/device.h"
#include <cstdint>
#include <functional>

namespace kdsim {

class Hpet final : public Device {
public:
  // 1e15 fs / 62.5 MHz: HPET_ID's COUNTER_CLK_PERIOD.
  static constexpr uint32_t kPeriodFemtoseconds = 16'000'000;

  explicit Hpet(std::function<uint64_t()> machine_time) : m_machine_time(std::move(machine_time)) {}
  std::string_view name() const override { return "hpet"; }
  uint64_t size() const override { return 0x400; }
  uint64_t read(uint64_t offset, unsigned width) override;
  void write(uint64_t offset, unsigned width, uint64_t value) override;

private:
  uint64_t counter() const;
  std::function<uint64_t()> m_machine_time;
  bool m_enabled = false;
  uint64_t m_counter_at = 0;  // the counter's value when it was last started or written
  uint64_t m_time_at = 0;     // machine time then
};

}  // namespace kdsim
