// SPDX-License-Identifier: MIT
/*
 * Task counters (mirrors kernel/fork.c): crash reads nr_threads while it gathers its task table
 * (it refuses a dump without it). Idle tasks are not counted, as in copy_process().
 */
#include <kernel/sched.h>

int nr_threads;
