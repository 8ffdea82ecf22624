// SPDX-License-Identifier: MIT
/*
 * Wall-clock time (mirrors kernel/time/timekeeping.c, reduced): the RTC is read once at boot
 * and the kernel counts on from there with sched_clock(). CRASHTIME in VMCOREINFO, which
 * makedumpfile requires to be non-zero, is ktime_get_real_seconds() at the crash.
 */
#include <kernel/timekeeping.h>
#include <kernel/arch.h>

#define NSEC_PER_SEC 1000000000ULL

/*
 * The tick counter (kernel/time/timer.c's jiffies_64; jiffies is the same word, as the
 * linker script makes it). crash refuses a dump without jiffies and derives UPTIME from
 * jiffies_64 - INITIAL_JIFFIES with the HZ it assumes (1000 on x86_64, 100 on arm64; Linux's
 * CONFIG_HZ, which crash cannot see without ikconfig, so HZ follows crash). There is no timer
 * tick here, so it stays at INITIAL_JIFFIES (5 minutes before the 32-bit wrap, as Linux
 * starts it): crash shows UPTIME 00:00:00.
 */
#ifdef __aarch64__
#define HZ 100
#else
#define HZ 1000
#endif
#define INITIAL_JIFFIES ((unsigned long)(unsigned int)(-300 * HZ))
volatile u64 jiffies_64 = INITIAL_JIFFIES;
extern volatile unsigned long jiffies __attribute__((alias("jiffies_64")));

/* kernel/sched/loadavg.c: the load averages crash's sys prints (no load accounting: 0). */
unsigned long avenrun[3];

static time64_t boot_seconds;   /* the RTC at timekeeping_init() */
static u64 boot_sched_clock_ns; /* sched_clock() at the same moment */

void timekeeping_init(void)
{
	boot_seconds = read_persistent_clock();
	boot_sched_clock_ns = sched_clock();
}

time64_t ktime_get_real_seconds(void)
{
	return boot_seconds + (time64_t)((sched_clock() - boot_sched_clock_ns) / NSEC_PER_SEC);
}

/* Gauss' algorithm as Linux's mktime64 has it: March-based months put February last. */
time64_t mktime64(unsigned int year, unsigned int mon, unsigned int day, unsigned int hour,
                  unsigned int min, unsigned int sec)
{
	if ((int)(mon -= 2) <= 0) {
		mon += 12;
		year -= 1;
	}
	time64_t days = (time64_t)(year / 4 - year / 100 + year / 400 + 367 * mon / 12 + day) +
	                (time64_t)year * 365 - 719499;
	return ((days * 24 + hour) * 60 + min) * 60 + sec;
}

__attribute__((weak)) void time_init(void)
{
}
