// SPDX-License-Identifier: MIT
/*
 * sched_clock() (Linux: native_sched_clock() from the TSC, arch/x86/kernel/tsc.c). kdsim must
 * be deterministic and rdtsc returns the host's TSC on Unicorn 2.0.1, so this clock is a
 * counter instead: each reading advances it by one microsecond. printk reads it once per
 * line, so timestamps count console lines, identically on every run.
 */
#include <kernel/arch.h>
#include <kernel/timekeeping.h>
#include <asm/io.h>

#define SCHED_CLOCK_STEP_NS 1000ULL

static u64 sched_clock_ns;

u64 sched_clock(void)
{
	sched_clock_ns += SCHED_CLOCK_STEP_NS;
	return sched_clock_ns;
}

/* The MC146818 CMOS RTC (include/linux/mc146818rtc.h): index port 0x70, data port 0x71. */
#define RTC_PORT_INDEX 0x70
#define RTC_PORT_DATA 0x71
#define RTC_SECONDS 0x00
#define RTC_MINUTES 0x02
#define RTC_HOURS 0x04
#define RTC_DAY_OF_MONTH 0x07
#define RTC_MONTH 0x08
#define RTC_YEAR 0x09
#define RTC_FREQ_SELECT 0x0a /* status A */
#define RTC_UIP 0x80
#define RTC_CONTROL 0x0b /* status B */
#define RTC_DM_BINARY 0x04
#define RTC_CENTURY 0x32 /* where ACPI's FADT points on PCs */

static u8 cmos_read(u8 index)
{
	outb(index, RTC_PORT_INDEX);
	return inb(RTC_PORT_DATA);
}

static unsigned int bcd2bin(u8 v)
{
	return (v & 0x0f) + (v >> 4) * 10;
}

/* mach_get_cmos_time (arch/x86/kernel/rtc.c): wait out an update, read, convert from BCD. */
s64 read_persistent_clock(void)
{
	while (cmos_read(RTC_FREQ_SELECT) & RTC_UIP)
		;
	unsigned int sec = cmos_read(RTC_SECONDS), min = cmos_read(RTC_MINUTES);
	unsigned int hour = cmos_read(RTC_HOURS), day = cmos_read(RTC_DAY_OF_MONTH);
	unsigned int mon = cmos_read(RTC_MONTH), year = cmos_read(RTC_YEAR);
	unsigned int century = cmos_read(RTC_CENTURY);
	if (!(cmos_read(RTC_CONTROL) & RTC_DM_BINARY)) {
		sec = bcd2bin((u8)sec);
		min = bcd2bin((u8)min);
		hour = bcd2bin((u8)hour);
		day = bcd2bin((u8)day);
		mon = bcd2bin((u8)mon);
		year = bcd2bin((u8)year);
		century = bcd2bin((u8)century);
	}
	year += century ? century * 100 : (year < 70 ? 2000 : 1900);
	return mktime64(year, mon, day, hour, min, sec);
}
