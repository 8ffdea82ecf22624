// SPDX-License-Identifier: MIT
/* init_uts_ns (mirrors init/version.c): the kernel's name as uname(2) and dump readers see it. */
#include <kernel/utsname.h>
#include <kernel/version.h>
#include <asm/elf.h>

struct uts_namespace init_uts_ns = {
	.name = {
		.sysname = "Linux",
		.nodename = "(none)",
		.release = UTS_RELEASE,
		.version = UTS_VERSION,
		.machine = UTS_MACHINE,
		.domainname = "(none)",
	},
};
