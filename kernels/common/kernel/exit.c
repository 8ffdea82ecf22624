// SPDX-License-Identifier: MIT
/* Task exit (mirrors do_exit() in kernel/exit.c): the only process is init, so it panics. */
#include <kernel/panic.h>
#include <kernel/sched.h>

void __noreturn do_exit(long code)
{
	/* Linux (kernel/exit.c): "Attempted to kill init! exitcode=0x%08x". */
	panic("Attempted to kill init! exitcode=0x%08x", (unsigned int)code);
}
