// SPDX-License-Identifier: MIT
/*
 * sched_clock() from the generic timer's virtual counter (mirrors arch_timer_read_counter +
 * kernel/time/sched_clock.c). In kdsim CNTVCT_EL0 counts executed instructions at a nominal
 * CNTFRQ_EL0 of 62.5 MHz, so timestamps are deterministic.
 */
#include <kernel/arch.h>
#include <kernel/io.h>
#include <asm/board.h>
#include <asm/memory.h>
#include <asm/sysreg.h>

#define NSEC_PER_SEC 1000000000ULL
#define DEFAULT_CNTFRQ 62500000ULL

u64 sched_clock(void)
{
	u64 freq = read_sysreg(cntfrq_el0);
	if (!freq)
		freq = DEFAULT_CNTFRQ;
	u64 cnt = read_sysreg(cntvct_el0);
	/* Split to avoid overflow: cnt * 1e9 would overflow after ~5 minutes at 62.5 MHz. */
	return (cnt / freq) * NSEC_PER_SEC + ((cnt % freq) * NSEC_PER_SEC) / freq;
}

/* The PL031's data register counts seconds since the epoch (drivers/rtc/rtc-pl031.c). */
#define RTC_DR 0x00

s64 read_persistent_clock(void)
{
	return (s64)readl((const volatile void __iomem *)(DEVICE_VIRT_BASE + VIRT_RTC_PHYS + RTC_DR));
}
