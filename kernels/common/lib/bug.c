// SPDX-License-Identifier: MIT
/*
 * The BUG() table lookup (mirrors lib/bug.c: find_bug(), report_bug(), with relative
 * pointers). The linker script gathers every BUG() site's entry between __start___bug_table
 * and __stop___bug_table.
 */
#include <kernel/bug.h>
#include <kernel/printk.h>

extern const struct bug_entry __start___bug_table[], __stop___bug_table[];

static unsigned long bug_addr(const struct bug_entry *bug)
{
	return (unsigned long)&bug->bug_addr_disp + (unsigned long)(long)bug->bug_addr_disp;
}

static const char *bug_file(const struct bug_entry *bug)
{
	return (const char *)((unsigned long)&bug->file_disp + (unsigned long)(long)bug->file_disp);
}

static const struct bug_entry *find_bug(unsigned long bugaddr)
{
	for (const struct bug_entry *bug = __start___bug_table; bug < __stop___bug_table; bug++)
		if (bug_addr(bug) == bugaddr)
			return bug;
	return NULL;
}

enum bug_trap_type report_bug(unsigned long bugaddr)
{
	const struct bug_entry *bug = find_bug(bugaddr);
	if (!bug)
		return BUG_TRAP_TYPE_NONE;
	/* Linux prints the cut-here line for BUGs too (unless BUGFLAG_NO_CUT_HERE). */
	pr_emerg("------------[ cut here ]------------\n");
	pr_crit("kernel BUG at %s:%u!\n", bug_file(bug), (unsigned int)bug->line);
	return BUG_TRAP_TYPE_BUG;
}
