/* SPDX-License-Identifier: MIT */
/* Wall-clock time (mirrors include/linux/timekeeping.h, reduced to seconds). */
#ifndef KERNEL_TIMEKEEPING_H
#define KERNEL_TIMEKEEPING_H

#include <kernel/types.h>

typedef s64 time64_t;

/* Read the RTC once at boot (Linux: timekeeping_init() from start_kernel()). */
void timekeeping_init(void);
/* The arch's clock hardware (Linux: time_init() right after timekeeping_init()); weak no-op
 * default for arches whose counter needs no setup (arm64's generic timer). */
void time_init(void);
/* Seconds since the epoch now: the boot-time RTC reading plus sched_clock()'s progress. */
time64_t ktime_get_real_seconds(void);
/* Days and seconds to epoch seconds, proleptic Gregorian (kernel/time/time.c, mktime64). */
time64_t mktime64(unsigned int year, unsigned int mon, unsigned int day, unsigned int hour,
                  unsigned int min, unsigned int sec);

#endif /* KERNEL_TIMEKEEPING_H */
