// SPDX-License-Identifier: MIT
/*
 * sched_clock() from the HPET's main counter (arch/x86/kernel/hpet.c: hpet_enable(),
 * read_hpet(); Linux prefers the TSC, but Unicorn 2.0.1's rdtsc returns the host's TSC).
 * kdsim's HPET counts machine time, one tick per instruction, so console timestamps follow the
 * instruction clock exactly as arm64's generic timer does, identically on every run. Until
 * time_init() has enabled the HPET the clock reads 0, as Linux's does before its clocksource
 * is up ("[    0.000000]" on the first lines).
 */
#include <kernel/arch.h>
#include <kernel/printk.h>
#include <kernel/timekeeping.h>
#include <asm/board.h>
#include <asm/io.h>

/* arch/x86/include/asm/hpet.h */
#define HPET_ID 0x000
#define HPET_ID_PERIOD_SHIFT 32 /* COUNTER_CLK_PERIOD, femtoseconds per tick */
#define HPET_CFG 0x010
#define HPET_CFG_ENABLE 0x001
#define HPET_COUNTER 0x0f0
#define FSEC_PER_NSEC 1000000ULL

static volatile u64 __iomem *hpet_virt_address;
static u64 hpet_period_fs;

static u64 hpet_readq(unsigned int reg)
{
	return hpet_virt_address[reg / 8];
}

void time_init(void)
{
	volatile u64 __iomem *hpet = ioremap(PC_HPET_PHYS, PC_HPET_SIZE);
	if (!hpet)
		return;
	u64 period = hpet[HPET_ID / 8] >> HPET_ID_PERIOD_SHIFT;
	if (!period)
		return; /* not an HPET: keep the clock at 0 */
	hpet[HPET_COUNTER / 8] = 0;      /* hpet_reset_counter() */
	hpet[HPET_CFG / 8] |= HPET_CFG_ENABLE; /* hpet_start_counter() */
	hpet_period_fs = period;
	hpet_virt_address = hpet;
	pr_info("hpet: %llu fs period, machine time as the clocksource\n", (unsigned long long)period);
}

u64 sched_clock(void)
{
	if (!hpet_virt_address)
		return 0;
	return hpet_readq(HPET_COUNTER) * hpet_period_fs / FSEC_PER_NSEC;
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
