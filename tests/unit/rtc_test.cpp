#include "machine/devices/rtc.h"
#include <doctest/doctest.h>

using namespace kdsim;

namespace {
// 2024-02-29T23:59:58Z, a leap day one second before the next.
constexpr int64_t kLeapDayEvening = 1'709'251'198;

uint8_t cmos(CmosRtc& rtc, uint8_t index) {
  rtc.write(0, 1, index);
  return static_cast<uint8_t>(rtc.read(1, 1));
}
}  // namespace

TEST_CASE("wall clock: the power-on instant plus machine time at 62.5 M instructions a second") {
  uint64_t machine_time = 0;
  WallClock clock(kLeapDayEvening, [&] { return machine_time; });
  CHECK(clock.seconds() == kLeapDayEvening);
  machine_time = WallClock::kInstructionsPerSecond - 1;
  CHECK(clock.seconds() == kLeapDayEvening);
  machine_time = 3 * WallClock::kInstructionsPerSecond;
  CHECK(clock.seconds() == kLeapDayEvening + 3);
}

TEST_CASE("PL031: RTCDR counts the wall clock, RTCLR sets it, the PrimeCell IDs read as ARM's") {
  uint64_t machine_time = 0;
  WallClock clock(WallClock::kDefaultBootEpoch, [&] { return machine_time; });
  Pl031 rtc(clock);
  CHECK(rtc.read(0x000, 4) == 1'704'067'200);  // 2024-01-01T00:00:00Z
  machine_time = 2 * WallClock::kInstructionsPerSecond;
  CHECK(rtc.read(0x000, 4) == 1'704'067'202);
  rtc.write(0x008, 4, 1000);  // RTCLR: the clock now reads 1000 and counts on
  CHECK(rtc.read(0x000, 4) == 1000);
  machine_time += WallClock::kInstructionsPerSecond;
  CHECK(rtc.read(0x000, 4) == 1001);
  CHECK(rtc.read(0x00c, 4) == 1);  // RTCCR: started
  CHECK(rtc.read(0xfe0, 4) == 0x31);
  CHECK(rtc.read(0xfe4, 4) == 0x10);
  CHECK(rtc.read(0xff0, 4) == 0x0d);
  CHECK(rtc.read(0xffc, 4) == 0xb1);
}

TEST_CASE("CMOS RTC: BCD date and time in 24-hour mode, with the century, across a leap day") {
  uint64_t machine_time = 0;
  WallClock clock(kLeapDayEvening, [&] { return machine_time; });
  CmosRtc rtc(clock);
  CHECK(cmos(rtc, 0x00) == 0x58);
  CHECK(cmos(rtc, 0x02) == 0x59);
  CHECK(cmos(rtc, 0x04) == 0x23);
  CHECK(cmos(rtc, 0x07) == 0x29);
  CHECK(cmos(rtc, 0x08) == 0x02);
  CHECK(cmos(rtc, 0x09) == 0x24);
  CHECK(cmos(rtc, 0x32) == 0x20);
  CHECK(cmos(rtc, 0x06) == 0x04);  // a Thursday
  CHECK(cmos(rtc, 0x0b) == 0x02);  // 24-hour, BCD
  CHECK((cmos(rtc, 0x0a) & 0x80) == 0);  // no update in progress
  machine_time = 2 * WallClock::kInstructionsPerSecond;  // 2024-03-01T00:00:00Z
  CHECK(cmos(rtc, 0x00) == 0x00);
  CHECK(cmos(rtc, 0x04) == 0x00);
  CHECK(cmos(rtc, 0x07) == 0x01);
  CHECK(cmos(rtc, 0x08) == 0x03);
  rtc.write(0, 1, 0x80 | 0x09);  // bit 7 of the index is the NMI mask, not part of it
  CHECK(rtc.read(1, 1) == 0x24);
}
