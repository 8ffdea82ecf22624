// SPDX-License-Identifier: MIT
/*
 * sched_clock() (Linux: native_sched_clock() from the TSC, arch/x86/kernel/tsc.c). kdsim must
 * be deterministic and rdtsc returns the host's TSC on Unicorn 2.0.1, so this clock is a
 * counter instead: each reading advances it by one microsecond. printk reads it once per
 * line, so timestamps count console lines, identically on every run.
 */
#include <kernel/arch.h>

#define SCHED_CLOCK_STEP_NS 1000ULL

static u64 sched_clock_ns;

u64 sched_clock(void)
{
	sched_clock_ns += SCHED_CLOCK_STEP_NS;
	return sched_clock_ns;
}
