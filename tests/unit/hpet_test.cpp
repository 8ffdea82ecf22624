// The HPET's main counter is machine time: it counts one tick per instruction while enabled,
// holds still (and may be written) while halted, and reports a 16 ns period (62.5 MHz, the
// same rate as the arm64 generic timer and the wall clock).
#include "machine/devices/hpet.h"
#include "machine/devices/rtc.h"
#include <doctest/doctest.h>

using namespace kdsim;

TEST_CASE("HPET: the main counter follows machine time only while ENABLE_CNF is set") {
  uint64_t machine_time = 1000;
  Hpet hpet([&] { return machine_time; });
  const uint64_t id = hpet.read(0x000, 8);
  const uint64_t period = id >> 32;
  CHECK(period == Hpet::kPeriodFemtoseconds);
  CHECK(hpet.read(0x004, 4) == Hpet::kPeriodFemtoseconds);  // HPET_PERIOD, the upper half
  const bool counter_64 = (id & 0x2000) != 0;
  CHECK(counter_64);
  const uint64_t hz = uint64_t(1'000'000'000'000'000) / Hpet::kPeriodFemtoseconds;
  CHECK(hz == WallClock::kInstructionsPerSecond);

  machine_time = 5000;
  CHECK(hpet.read(0x0f0, 8) == 0);  // halted at power-on
  hpet.write(0x0f0, 8, 7);          // hpet_reset_counter() style write while halted
  hpet.write(0x010, 4, 1);          // start
  CHECK(hpet.read(0x010, 4) == 1);
  machine_time = 5100;
  CHECK(hpet.read(0x0f0, 8) == 107);
  hpet.write(0x0f0, 8, 0);  // ignored while running
  CHECK(hpet.read(0x0f0, 4) == 107);
  CHECK(hpet.read(0x0f4, 4) == 0);
  hpet.write(0x010, 4, 0);  // halt: the count stays
  machine_time = 9999;
  CHECK(hpet.read(0x0f0, 8) == 107);
  hpet.write(0x0f4, 4, 1);  // upper half while halted
  CHECK(hpet.read(0x0f0, 8) == ((uint64_t(1) << 32) + 107));
}
