// SPDX-License-Identifier: MIT
/*
 * Linux Kernel Dump Test Module, reduced to its DIRECT entry (mirrors drivers/misc/lkdtm/core.c:
 * direct_entry(), find_crashtype(), lkdtm_do_action(); the crash types mirror
 * drivers/misc/lkdtm/bugs.c: lkdtm_PANIC, lkdtm_BUG, lkdtm_EXCEPTION, lkdtm_LOOP,
 * lkdtm_HARDLOCKUP, lkdtm_SOFTLOCKUP). Writing a type name to
 * /sys/kernel/debug/provoke-crash/DIRECT runs it at once, as
 * `echo BUG > /sys/kernel/debug/provoke-crash/DIRECT` does on Linux. There is no debugfs: the
 * path is a node of the flat file table. DIVIDE_ZERO is kdsim's own (x86 #DE; refused on arm64,
 * see asm/lkdtm.h).
 */
#define pr_fmt(fmt) "lkdtm: " fmt

#include <kernel/arch.h>
#include <kernel/lkdtm.h>
#include <kernel/bug.h>
#include <kernel/crash_reserve.h>
#include <kernel/fs.h>
#include <kernel/mm.h>
#include <kdsim/dumpdisk.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <asm/barrier.h>
#include <asm/memory.h>
#include <asm/lkdtm.h>
#include <asm-generic/errno-base.h>

#define LKDTM_BUF_SIZE 64

struct crashtype {
	const char *name;
	void (*func)(void);
	/* Non-NULL: this arch cannot provoke the type; the write fails with -EINVAL. */
	const char *refused;
};

/* lkdtm_PANIC (bugs.c). */
static void __noinline lkdtm_PANIC(void)
{
	panic("dumptest");
}

/* lkdtm_BUG (bugs.c): the arch's BUG() trap, reported through the __bug_table. */
static void __noinline lkdtm_BUG(void)
{
	BUG();
}

/* lkdtm_EXCEPTION (bugs.c): a store through NULL. */
static void __noinline lkdtm_EXCEPTION(void)
{
	*((volatile int *)NULL) = 0;
}

/* kdsim's own: integer division by zero (x86: #DE; arm64: refused). */
static void __noinline lkdtm_DIVIDE_ZERO(void)
{
	arch_lkdtm_divide_zero();
}

/*
 * lkdtm_LOOP (bugs.c): a CPU that never leaves the kernel. Nothing detects it in this kernel
 * (no soft-lockup watchdog), so the machine's spin detection ends the run: a runaway guest.
 */
static void __noinline lkdtm_LOOP(void)
{
	smp_call_release_caller(); /* run on another CPU: the writer goes on (smp.h) */
	for (;;)
		__asm__ __volatile__("" ::: "memory"); /* cpu_relax() without the pause */
}

/* lkdtm_HARDLOCKUP (bugs.c): the same with interrupts off, so not even the serial console's
 * SysRq can break in. */
static void __noinline lkdtm_HARDLOCKUP(void)
{
	smp_call_release_caller();
	arch_local_irq_save();
	for (;;)
		__asm__ __volatile__("" ::: "memory");
}

/*
 * UNMAPPED_IO (kdsim's catalogue of misbehaving guests; Linux's LKDTM has no such type): read a
 * register of a device the board does not have (asm/lkdtm.h says which). No crash by itself:
 * the machine names the access (x86: the port floats to 0xff) or the bus fault (arm64).
 */
static void __noinline lkdtm_UNMAPPED_IO(void)
{
	unsigned long value = arch_lkdtm_unmapped_io();
	pr_info("UNMAPPED_IO: %s read as 0x%lx\n", ARCH_LKDTM_UNMAPPED_IO_WHAT, value);
}

/*
 * WRITE_CRASHKERNEL (kdsim's catalogue; not Linux's LKDTM): a stray kernel store into the
 * crashkernel= region after kexec -p loaded the capture kernel there: the first byte of the
 * region (the capture kernel's first segment) is flipped through the linear map. Linux 6.1
 * would fault here: arch_kexec_protect_crashkres() unmaps (arm64) or write-protects (x86) the
 * loaded region; this kernel does not, so the purgatory's SHA-256 check is what finds it.
 */
static void __noinline lkdtm_WRITE_CRASHKERNEL(void)
{
	if (crashk_res.end <= crashk_res.start) {
		pr_err("WRITE_CRASHKERNEL: no crashkernel= region\n");
		return;
	}
	volatile u8 *p = phys_to_virt(crashk_res.start);
	pr_info("WRITE_CRASHKERNEL: flipping the byte at physical 0x%llx\n",
	        (unsigned long long)crashk_res.start);
	*p = (u8)~*p;
}

/*
 * WILD_DMA (kdsim's catalogue; not Linux's LKDTM): a driver programs DMA with a bus address
 * that is no memory at all (here the first page past the end of RAM, as a stale or
 * miscomputed dma_addr_t would be). Without an IOMMU the transfer is refused by the bus; the
 * device reports the error and the machine names the address. Nothing crashes by itself.
 */
static void __noinline lkdtm_WILD_DMA(void)
{
	phys_addr_t pa = (phys_addr_t)max_pfn << PAGE_SHIFT;
	int status = kdsim_dumpdisk_dma_once(pa, PAGE_SIZE);
	pr_err("WILD_DMA: DMA from physical 0x%llx (+0x%lx) by the dump disk: status %d\n",
	       (unsigned long long)pa, (unsigned long)PAGE_SIZE, status);
}

/* CORRUPT_VECTORS (kdsim's, asm/lkdtm.h): the CPU's exception vectors are lost, then an
 * exception: x86 triple-faults (the machine resets), arm64 loops taking exceptions. */
static void __noinline lkdtm_CORRUPT_VECTORS(void)
{
	arch_lkdtm_corrupt_vectors();
	pr_err("CORRUPT_VECTORS: the CPU survived\n");
}

/* lkdtm_SOFTLOCKUP (bugs.c): a kernel loop with interrupts on (Linux: preemption off). A stop
 * IPI or NMI still reaches it: the busy CPU of a kdump scenario. */
static void __noinline lkdtm_SOFTLOCKUP(void)
{
	smp_call_release_caller();
	for (;;)
		cpu_relax();
}

static const struct crashtype crashtypes[] = {
	{ "PANIC", lkdtm_PANIC, NULL },
	{ "BUG", lkdtm_BUG, NULL },
	{ "EXCEPTION", lkdtm_EXCEPTION, NULL },
	{ "LOOP", lkdtm_LOOP, NULL },
	{ "HARDLOCKUP", lkdtm_HARDLOCKUP, NULL },
	{ "SOFTLOCKUP", lkdtm_SOFTLOCKUP, NULL },
	{ "UNMAPPED_IO", lkdtm_UNMAPPED_IO, NULL },
	{ "WRITE_CRASHKERNEL", lkdtm_WRITE_CRASHKERNEL, NULL },
	{ "CORRUPT_VECTORS", lkdtm_CORRUPT_VECTORS, NULL },
	{ "WILD_DMA", lkdtm_WILD_DMA, NULL },
	{ "DIVIDE_ZERO", lkdtm_DIVIDE_ZERO, ARCH_LKDTM_DIVIDE_ZERO_REFUSED },
};

/* find_crashtype() (core.c). */
static const struct crashtype *find_crashtype(const char *name)
{
	for (size_t i = 0; i < sizeof(crashtypes) / sizeof(crashtypes[0]); i++)
		if (!strcmp(name, crashtypes[i].name))
			return &crashtypes[i];
	return NULL;
}

/* lkdtm_do_action() (core.c). */
static void lkdtm_do_action(const struct crashtype *crashtype)
{
	/*
	 * LKDTM-based kdump tests rely on panic_on_oops=1 (sysctl kernel.panic_on_oops), so that an
	 * oops ends in a panic (and crash_kexec) instead of killing the task. There is no sysctl
	 * here: force it the way sysrq_handle_crash() does (common/drivers/tty/sysrq.c), but keep
	 * die()'s own "<str>: Fatal exception" reason, as Linux prints for these types.
	 */
	panic_on_oops = 1;
	oops_panic_reason = NULL;
	wmb();
	crashtype->func();
}

/* direct_entry() (core.c): the written name, trailing whitespace dropped (strim). */
static ssize_t direct_entry(struct file *file, const char *user_buf, size_t count, loff_t *off)
{
	char buf[LKDTM_BUF_SIZE];
	(void)file;

	if (count < 1 || count >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, user_buf, count);
	buf[count] = '\0';
	size_t len = count;
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' ' || buf[len - 1] == '\t'))
		buf[--len] = '\0';

	const struct crashtype *crashtype = find_crashtype(buf);
	if (!crashtype)
		return -EINVAL;
	if (crashtype->refused) {
		pr_err("%s: %s\n", crashtype->name, crashtype->refused);
		return -EINVAL;
	}
	pr_info("Performing direct entry %s\n", crashtype->name);
	lkdtm_do_action(crashtype);

	*off += (loff_t)count;
	return (ssize_t)count;
}

static const struct file_operations direct_fops = { .write = direct_entry };

void lkdtm_init(void)
{
	fs_register_node("/sys/kernel/debug/provoke-crash/DIRECT", 0200, &direct_fops, NULL);
}
