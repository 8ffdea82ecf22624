// SPDX-License-Identifier: MIT
/*
 * arm64 boot-time setup (mirrors arch/arm64/kernel/setup.c and the DT scanning of
 * drivers/of/fdt.c): console, boot CPU line, stages, DTB (RAM, bootargs, model), memblock.
 */
#include <kernel/arch.h>
#include <kernel/crash_dump.h>
#include <kernel/crash_reserve.h>
#include <kernel/fdt.h>
#include <kernel/ioport.h>
#include <kernel/sections.h>
#include <kernel/smp.h>
#include <kernel/init.h>
#include <kernel/memblock.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/serial.h>
#include <kernel/serial_core.h>
#include <kernel/string.h>
#include <kdsim/stage.h>
#include <asm/board.h>
#include <asm/memory.h>
#include <asm/pgtable-hwdef.h>
#include <asm/psci.h>
#include <asm/setup.h>
#include <asm/smp.h>
#include <asm/sysreg.h>

#define MPIDR_HWID_BITMASK UL(0xff00ffffff)

/* Written by head.S after .bss is cleared. */
phys_addr_t __fdt_pointer;
phys_addr_t kimage_phys_base;

void cpu_uninstall_idmap(void);

#define UART_BASE ((void __iomem *)(DEVICE_VIRT_BASE + VIRT_UART_PHYS))

void arch_console_write(const char *s, size_t n)
{
	pl011_console_write(UART_BASE, s, n);
}

/* ttyAMA0 is the console and CONFIG_MAGIC_SYSRQ_SERIAL is on: a BREAK arms SysRq. */
static struct uart_port console_port = { .has_sysrq = true };

/* uart_startup() -> pl011_startup() and request_irq(): the console's receive interrupt on. */
void serial_console_startup(void)
{
	pl011_startup(UART_BASE);
	gic_enable_irq(VIRT_UART_IRQ);
}

/* The handler request_irq() registered for VIRT_UART_IRQ (handle_arch_irq() calls it). */
void serial_console_interrupt(void)
{
	pl011_int(UART_BASE, &console_port);
}

void smp_setup_processor_id(void)
{
	u64 mpidr = read_sysreg(mpidr_el1) & MPIDR_HWID_BITMASK;
	set_cpu_logical_map(0, mpidr);
	pr_info("Booting Linux on physical CPU 0x%010lx [0x%08x]\n", (unsigned long)mpidr,
	        (u32)read_sysreg(midr_el1));
}

static void add_ram(u64 base, u64 size, void *ctx)
{
	(void)ctx;
	/* Exactly the part the early code mapped: whole 2 MiB blocks. */
	u64 start = ALIGN(base, PMD_SIZE);
	u64 end = ALIGN_DOWN(base + size, PMD_SIZE);
	if (end > start) {
		memblock_add(start, end - start);
		arm64_record_linear_range(start, end);
	}
}

/* The DTB, if x0 pointed at a valid one inside the linear map; NULL otherwise. */
static const void *get_fdt(void)
{
	if (!__fdt_pointer)
		return NULL;
	const void *fdt = phys_to_virt(__fdt_pointer);
	int err = fdt_check_header(fdt);
	if (err) {
		pr_warn("Invalid device tree blob at physical address 0x%016llx (error %d)\n",
		        (unsigned long long)__fdt_pointer, err);
		return NULL;
	}
	return fdt;
}

static void setup_machine_fdt(const void *fdt)
{
	static char arch_desc[128];
	const char *model = NULL;
	if (fdt) {
		int root = fdt_path_offset(fdt, "/");
		if (root >= 0)
			model = fdt_getprop(fdt, root, "model", NULL);
		if (!model && root >= 0)
			model = fdt_getprop(fdt, root, "compatible", NULL);
	}
	if (model) {
		pr_info("Machine model: %s\n", model);
		snprintf(arch_desc, sizeof(arch_desc), "%s (DT)", model);
	} else {
		pr_info("Machine model: QEMU virt defaults (no device tree, x0 = 0)\n");
		snprintf(arch_desc, sizeof(arch_desc), "linux,dummy-virt (no DT)");
	}
	dump_stack_arch_desc = arch_desc;
}

/* Mirrors early_init_dt_scan_chosen(): /chosen/bootargs -> boot_command_line. */
static void scan_chosen(const void *fdt)
{
	boot_command_line[0] = '\0';
	if (!fdt)
		return;
	int chosen = fdt_path_offset(fdt, "/chosen");
	if (chosen < 0)
		return;
	int len;
	const char *args = fdt_getprop(fdt, chosen, "bootargs", &len);
	if (args && len > 0)
		strlcpy(boot_command_line, args, min((size_t)len, sizeof(boot_command_line)));
}

/*
 * Mirrors early_init_dt_check_for_usable_mem_range() (drivers/of/fdt.c): a kdump capture
 * kernel gets "linux,usable-memory-range" in /chosen (one or two <addr size> pairs, low
 * region last) and must allocate only from there, never from the crashed kernel's memory.
 * The early linear map still covers all of RAM, so /proc/vmcore can read the old memory.
 */
#define MAX_USABLE_RANGES 2

/*
 * Reads up to `max` <addr size> pairs of /chosen/<name>, in the root node's #address-cells and
 * #size-cells. Returns how many were read (0: no FDT, no /chosen, no property or too short).
 */
static int read_chosen_ranges(const void *fdt, const char *name, u64 *base, u64 *size, int max)
{
	if (!fdt)
		return 0;
	int root = fdt_path_offset(fdt, "/");
	int chosen = fdt_path_offset(fdt, "/chosen");
	if (root < 0 || chosen < 0)
		return 0;
	int len;
	const void *prop = fdt_getprop(fdt, chosen, name, &len);
	int ac = fdt_address_cells(fdt, root);
	int sc = fdt_size_cells(fdt, root);
	int entry = 4 * (ac + sc);
	int n = 0;
	for (; prop && n < max && len >= entry; n++, len -= entry) {
		base[n] = fdt_read_number(&prop, ac);
		size[n] = fdt_read_number(&prop, sc);
	}
	return n;
}

static void check_for_usable_mem_range(const void *fdt)
{
	u64 base[MAX_USABLE_RANGES], size[MAX_USABLE_RANGES];
	int n = read_chosen_ranges(fdt, "linux,usable-memory-range", base, size, MAX_USABLE_RANGES);
	if (n == 0)
		return;
	memblock_cap_memory_range(base[0], size[0]);
	for (int i = 1; i < n; i++)
		memblock_add(base[i], size[i]);
	for (int i = 0; i < n; i++)
		pr_info("kdsim: usable memory range [mem 0x%016llx-0x%016llx]\n",
		        (unsigned long long)base[i], (unsigned long long)(base[i] + size[i] - 1));
}

/*
 * Mirrors early_init_dt_check_for_elfcorehdr() (drivers/of/fdt.c): a capture kernel gets
 * /chosen/linux,elfcorehdr = <addr size> (root #address-cells/#size-cells).
 */
static void check_for_elfcorehdr(const void *fdt)
{
	u64 base, size;
	if (read_chosen_ranges(fdt, "linux,elfcorehdr", &base, &size, 1) == 1) {
		elfcorehdr_addr = base;
		elfcorehdr_size = size;
	}
}

/* Mirrors fdt_reserve_elfcorehdr() (drivers/of/fdt.c, pr_fmt "OF: fdt: "). */
static void fdt_reserve_elfcorehdr(void)
{
	if (!is_kdump_kernel() || !elfcorehdr_size)
		return;

	if (memblock_is_region_reserved(elfcorehdr_addr, elfcorehdr_size)) {
		pr_warn("OF: fdt: elfcorehdr is overlapped\n");
		return;
	}

	memblock_reserve(elfcorehdr_addr, elfcorehdr_size);

	pr_info("OF: fdt: Reserving %llu KiB of memory at 0x%llx for elfcorehdr\n",
	        elfcorehdr_size >> 10, elfcorehdr_addr);
}

/* Possible CPUs: one per /cpus/cpu@N node with device_type = "cpu" (smp_init_cpus()). */
static void smp_init_cpus(const void *fdt)
{
	unsigned int n = 0;
	if (fdt) {
		int cpus = fdt_path_offset(fdt, "/cpus");
		int depth = 0;
		for (int off = cpus >= 0 ? fdt_next_node(fdt, cpus, &depth) : -1; off >= 0 && depth > 0;
		     off = fdt_next_node(fdt, off, &depth)) {
			int len;
			const char *type = fdt_getprop(fdt, off, "device_type", &len);
			if (depth == 1 && type && len >= 4 && !strcmp(type, "cpu"))
				n++;
		}
	}
	set_nr_cpu_ids(n ? n : 1);
}

/* Mirrors request_standard_resources() (arch/arm64/kernel/setup.c). */
static struct resource kernel_code = { .name = "Kernel code", .flags = IORESOURCE_SYSTEM_RAM };
static struct resource kernel_data = { .name = "Kernel data", .flags = IORESOURCE_SYSTEM_RAM };
static struct resource standard_resources[MEMBLOCK_MAX_REGIONS];

static void request_standard_resources(void)
{
	/* Linux: _stext .. __init_begin - 1 (text + rodata); here __init_begin is _sdata. */
	kernel_code.start = virt_to_phys(_stext);
	kernel_code.end = virt_to_phys(_sdata - 1);
	kernel_data.start = virt_to_phys(_sdata);
	kernel_data.end = virt_to_phys(_end - 1);

	for (unsigned int i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *region = &memblock.memory.regions[i];
		struct resource *res = &standard_resources[i];
		res->name = "System RAM";
		res->flags = IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY;
		res->start = region->base;
		res->end = region->base + region->size - 1;

		request_resource(&iomem_resource, res);

		if (kernel_code.start >= res->start && kernel_code.end <= res->end)
			request_resource(res, &kernel_code);
		if (kernel_data.start >= res->start && kernel_data.end <= res->end)
			request_resource(res, &kernel_data);
	}
}

static void print_memory(void)
{
	memblock_print_early_ranges();
	pr_info("kdsim: kernel image at [mem 0x%016llx-0x%016llx] virt 0x%016lx, "
	        "kimage_voffset 0x%016llx, PHYS_OFFSET 0x%016llx\n",
	        (unsigned long long)kimage_phys_base,
	        (unsigned long long)(kimage_phys_base + (u64)(_end - _text) - 1),
	        (unsigned long)KIMAGE_VADDR, (unsigned long long)kimage_voffset,
	        (unsigned long long)PHYS_OFFSET);
}

void setup_arch(char **cmdline_p)
{
	cpu_uninstall_idmap();
	kdsim_stage_init();
	kdsim_stage(STAGE_MMU_ON, read_sysreg(ttbr1_el1), KIMAGE_VADDR);
	kdsim_stage(STAGE_VECTORS_INSTALLED, read_sysreg(vbar_el1), 0);

	const void *fdt = get_fdt();
	setup_machine_fdt(fdt);
	scan_chosen(fdt);
	*cmdline_p = boot_command_line;

	/* early_init_dt_scan_chosen(): elfcorehdr from the DT, then early_param("elfcorehdr"). */
	check_for_elfcorehdr(fdt);
	parse_elfcorehdr_param(boot_command_line);

	arm64_scan_memory(fdt, add_ram, NULL);
	check_for_usable_mem_range(fdt);
	memblock_reserve(kimage_phys_base, (phys_addr_t)(_end - _text));
	if (fdt)
		memblock_reserve(__fdt_pointer, fdt_totalsize(fdt));
	fdt_reserve_elfcorehdr();
	arch_reserve_crashkernel();
	print_memory();
	smp_init_cpus(fdt);
	request_standard_resources();
	psci_dt_init();
}
