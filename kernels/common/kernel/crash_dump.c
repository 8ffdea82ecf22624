// SPDX-License-Identifier: MIT
/*
 * elfcorehdr= (mirrors kernel/crash_dump.c setup_elfcorehdr): the capture kernel learns where
 * the loader put the ELF core header. On arm64 the DT property /chosen/linux,elfcorehdr sets
 * the same variables first (arch/arm64/kernel/setup.c, drivers/of/fdt.c).
 */
#include <kernel/crash_dump.h>
#include <kernel/crash_reserve.h>
#include <kernel/string.h>

unsigned long long elfcorehdr_addr = ELFCORE_ADDR_MAX;
unsigned long long elfcorehdr_size;

/*
 * elfcorehdr= specifies the location of elf core header stored by the crashed kernel. This
 * option will be passed by kexec loader to the capture kernel.
 *
 * Syntax: elfcorehdr=[size[KMG]@]offset[KMG]
 */
static int setup_elfcorehdr(const char *arg)
{
	char *end;
	unsigned long long addr, size = elfcorehdr_size;

	if (!arg)
		return -1;
	addr = memparse(arg, &end);
	if (*end == '@') {
		size = addr;
		addr = memparse(end + 1, &end);
	}
	if (end <= arg)
		return -1;
	elfcorehdr_addr = addr;
	elfcorehdr_size = size;
	return 0;
}

void parse_elfcorehdr_param(const char *cmdline)
{
	const char *p = cmdline;
	while (*p) {
		while (*p == ' ')
			p++;
		const char *word = p;
		while (*p && *p != ' ')
			p++;
		if ((size_t)(p - word) > 11 && !strncmp(word, "elfcorehdr=", 11))
			setup_elfcorehdr(word + 11);
	}
}
