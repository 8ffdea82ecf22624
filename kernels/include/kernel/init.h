/* SPDX-License-Identifier: MIT */
/* Boot entry and globals (common/init/main.c, mirrors init/main.c + include/linux/init.h). */
#ifndef KERNEL_INIT_H
#define KERNEL_INIT_H

#include <kernel/compiler.h>

/* Boot-only code (include/linux/init.h): linked into .init.text. */
#define __init __attribute__((section(".init.text")))

#define COMMAND_LINE_SIZE 2048

extern char boot_command_line[COMMAND_LINE_SIZE];
extern const char linux_banner[];
extern const char linux_proc_banner[];

void __init __noreturn start_kernel(void);
/* Report memory like Linux's mem_init(): "Memory: <free>K/<total>K available". */
void __init mem_init(void);

#endif /* KERNEL_INIT_H */
