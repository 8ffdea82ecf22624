// SPDX-License-Identifier: MIT
/*
 * x86_64 boot-time setup (mirrors arch/x86/kernel/setup.c and e820.c, reduced): console,
 * stages, boot_params (e820 map, command line), memblock, elfcorehdr= (a kdump capture kernel:
 * the loader's e820 lists only the crashkernel= region minus the ELF core header, so memblock
 * is confined to it while the direct map still covers the old RAM), crashkernel=, and the
 * /proc/iomem resources (e820__reserve_resources() + the kernel image resources).
 */
#include <kernel/arch.h>
#include <kernel/crash_dump.h>
#include <kernel/crash_reserve.h>
#include <kernel/init.h>
#include <kernel/ioport.h>
#include <kernel/memblock.h>
#include <kernel/sections.h>
#include <kernel/smp.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/serial_core.h>
#include <kernel/string.h>
#include <kdsim/stage.h>
#include <asm/board.h>
#include <asm/memory.h>
#include <asm/processor.h>
#include <asm/serial.h>
#include <asm/setup.h>

/* struct boot_params offsets (arch/x86/include/uapi/asm/bootparam.h). */
#define BP_EXT_CMD_LINE_PTR 0x0c8
#define BP_E820_ENTRIES 0x1e8
#define BP_HDR_BOOT_FLAG 0x1fe
#define BP_HDR_HEADER 0x202
#define BP_HDR_CMD_LINE_PTR 0x228
#define BP_E820_TABLE 0x2d0
#define E820_MAX_ENTRIES_ZEROPAGE 128
#define BOOT_PARAMS_SIZE 4096

#define E820_TYPE_RAM 1
#define E820_TYPE_RESERVED 2
#define E820_TYPE_ACPI 3
#define E820_TYPE_NVS 4
#define E820_TYPE_UNUSABLE 5

unsigned long x86_idt_base(void);

void arch_console_write(const char *s, size_t n)
{
	serial8250_console_write(PC_COM1_PORT, s, n);
}

/* ttyS0 is the console and CONFIG_MAGIC_SYSRQ_SERIAL is on: a BREAK arms SysRq. */
static struct uart_port console_port = { .has_sysrq = true };

/* uart_startup() -> serial8250_startup() and request_irq(4): the receive interrupt on. */
void serial_console_startup(void)
{
	serial8250_startup(PC_COM1_PORT);
}

/* The handler request_irq() registered for IRQ 4 (do_idt() calls it for its vector). */
void serial_console_interrupt(void)
{
	serial8250_handle_irq(PC_COM1_PORT, &console_port);
}

/* x86 Linux prints nothing here (the CPU is identified later, in identify_boot_cpu()). */
void smp_setup_processor_id(void)
{
}

struct e820_entry {
	u64 addr;
	u64 size;
	u32 type;
} __attribute__((packed));

static const char *e820_type_name(u32 type)
{
	switch (type) {
	case E820_TYPE_RAM:
		return "usable";
	case E820_TYPE_RESERVED:
		return "reserved";
	case E820_TYPE_ACPI:
		return "ACPI data";
	case E820_TYPE_NVS:
		return "ACPI NVS";
	case E820_TYPE_UNUSABLE:
		return "unusable";
	default:
		return "type";
	}
}

/* e820_table: the firmware's (loader's) map, copied out of the zero page. */
static struct e820_entry e820_table[E820_MAX_ENTRIES_ZEROPAGE];
static unsigned int e820_nr_entries;

/* Mirrors e820__memory_setup() + e820__print_table() + e820__memblock_setup(). */
static void e820_setup(const u8 *bp)
{
	unsigned int n = bp[BP_E820_ENTRIES];
	const struct e820_entry *table = e820_table;
	if (n > E820_MAX_ENTRIES_ZEROPAGE)
		n = E820_MAX_ENTRIES_ZEROPAGE;
	memcpy(e820_table, bp + BP_E820_TABLE, n * sizeof(struct e820_entry));
	e820_nr_entries = n;
	pr_info("BIOS-provided physical RAM map:\n");
	for (unsigned int i = 0; i < n; i++) {
		pr_info("BIOS-e820: [mem 0x%016llx-0x%016llx] %s\n", (unsigned long long)table[i].addr,
		        (unsigned long long)(table[i].addr + table[i].size - 1),
		        e820_type_name(table[i].type));
	}
	for (unsigned int i = 0; i < n; i++) {
		if (table[i].type != E820_TYPE_RAM)
			continue;
		/*
		 * Whole pages the direct map covers: every e820 RAM range below the CPU's MAXPHYADDR
		 * (head_64.S). kdsim-only message: Linux assumes firmware reports no RAM above it.
		 */
		u64 start = ALIGN(table[i].addr, PAGE_SIZE);
		u64 end = ALIGN_DOWN(table[i].addr + table[i].size, PAGE_SIZE);
		if (end > direct_map_size) {
			pr_info("e820: ignoring [mem 0x%016llx-0x%016llx] above MAXPHYADDR (%u bits)\n",
			        (unsigned long long)max(start, direct_map_size),
			        (unsigned long long)(end - 1), (unsigned int)x86_phys_bits);
			end = direct_map_size;
		}
		if (end > start)
			memblock_add(start, end - start);
	}
}

/* Mirrors the boot_command_line copy in setup_arch() (cmd_line_ptr | ext_cmd_line_ptr << 32). */
static void copy_command_line(const u8 *bp)
{
	u64 ptr = *(const u32 *)(bp + BP_HDR_CMD_LINE_PTR) |
	          (u64)*(const u32 *)(bp + BP_EXT_CMD_LINE_PTR) << 32;
	boot_command_line[0] = '\0';
	if (!ptr || ptr >= direct_map_size)
		return;
	strlcpy(boot_command_line, __va(ptr), sizeof(boot_command_line));
	size_t len = strlen(boot_command_line) + 1;
	memblock_reserve(ALIGN_DOWN(ptr, PAGE_SIZE),
	                 ALIGN(ptr + len, PAGE_SIZE) - ALIGN_DOWN(ptr, PAGE_SIZE));
}

static void print_memory(void)
{
	memblock_print_early_ranges();
	pr_info("kdsim: kernel image at [mem 0x%016llx-0x%016llx] virt 0x%016lx, "
	        "phys_base 0x%016llx, direct map 0x%016lx + [0, 0x%llx)\n",
	        (unsigned long long)kimage_phys_base,
	        (unsigned long long)(kimage_phys_base + (u64)(_end - _text) - 1),
	        (unsigned long)KIMAGE_VADDR,
	        (unsigned long long)(kimage_phys_base - KERNEL_LOAD_PHYS), (unsigned long)PAGE_OFFSET,
	        (unsigned long long)direct_map_size);
}

/* Mirrors e820_type_to_string(). */
static const char *e820_type_to_string(u32 type)
{
	switch (type) {
	case E820_TYPE_RAM:
		return "System RAM";
	case E820_TYPE_ACPI:
		return "ACPI Tables";
	case E820_TYPE_NVS:
		return "ACPI Non-volatile Storage";
	case E820_TYPE_UNUSABLE:
		return "Unusable memory";
	default:
		return "Reserved";
	}
}

/*
 * Mirrors the kernel image resources of setup_arch() (code_resource, rodata_resource,
 * data_resource). Linux also has "Kernel bss" ([__bss_start, __bss_stop)); here "Kernel data"
 * runs to _end instead, like arm64's, because kdsim's kexec-tools role derives the core
 * header's kernel-image PT_LOAD from "Kernel code".."Kernel data" (kexec-tools reads
 * /proc/kcore), and the crashed task's kernel stack lives in .bss (gdb needs it in the vmcore).
 */
static struct resource code_resource = { .name = "Kernel code", .flags = IORESOURCE_SYSTEM_RAM };
static struct resource rodata_resource = { .name = "Kernel rodata", .flags = IORESOURCE_SYSTEM_RAM };
static struct resource data_resource = { .name = "Kernel data", .flags = IORESOURCE_SYSTEM_RAM };
static struct resource e820_res[E820_MAX_ENTRIES_ZEROPAGE];

/*
 * Mirrors e820__reserve_resources(): every e820 entry becomes an iomem resource through
 * insert_resource() (order independent: "Crash kernel", inserted at reservation time, and the
 * kernel image resources end up under their "System RAM"). Reserved ranges above 1 MiB wait
 * for e820__reserve_resources_late() in Linux (PCI BARs may claim them): not inserted here.
 */
static void e820_reserve_resources(void)
{
	for (unsigned int i = 0; i < e820_nr_entries; i++) {
		const struct e820_entry *entry = &e820_table[i];
		struct resource *res = &e820_res[i];
		if (!entry->size)
			continue;
		res->start = entry->addr;
		res->end = entry->addr + entry->size - 1;
		res->name = e820_type_to_string(entry->type);
		res->flags = IORESOURCE_MEM;
		if (entry->type == E820_TYPE_RAM)
			res->flags = IORESOURCE_SYSTEM_RAM;
		/* do_mark_busy() */
		if (entry->type != E820_TYPE_RESERVED || res->start < SZ_1M) {
			res->flags |= IORESOURCE_BUSY;
			insert_resource(&iomem_resource, res);
		}
	}
}

static void insert_kernel_resources(void)
{
	code_resource.start = virt_to_phys(_text);
	code_resource.end = virt_to_phys(_etext - 1);
	rodata_resource.start = virt_to_phys(__start_rodata);
	rodata_resource.end = virt_to_phys(__end_rodata - 1);
	data_resource.start = virt_to_phys(_sdata);
	data_resource.end = virt_to_phys(_end - 1);
	insert_resource(&iomem_resource, &code_resource);
	insert_resource(&iomem_resource, &rodata_resource);
	insert_resource(&iomem_resource, &data_resource);
}

/*
 * Mirrors arch_reserve_crashkernel() (arch/x86/kernel/setup.c): crashkernel=X[@Y],
 * range:size, and X,high + Y,low; reserved top-down below 4 GiB (CRASH_ALIGN 16 MiB), else
 * above 4 GiB with a low companion region.
 */
void arch_reserve_crashkernel(void)
{
	unsigned long long crash_base, crash_size, low_size = 0;
	bool high = false;
	int ret;

	ret = parse_crashkernel(boot_command_line, memblock_phys_mem_size(), &crash_size,
	                        &crash_base, &low_size, NULL, &high);
	if (ret)
		return;

	reserve_crashkernel_generic(crash_size, crash_base, low_size, high);
}

void acpi_boot_init(const u8 *bp);

void setup_arch(char **cmdline_p)
{
	kdsim_stage_init();
	kdsim_stage(STAGE_MMU_ON, __read_cr3(), KIMAGE_VADDR);
	kdsim_stage(STAGE_VECTORS_INSTALLED, x86_idt_base(), 0);

	const u8 *bp = boot_params_phys ? __va(boot_params_phys) : NULL;
	if (bp && *(const u16 *)(bp + BP_HDR_BOOT_FLAG) == 0xaa55) {
		e820_setup(bp);
		copy_command_line(bp);
	} else {
		/* No zero page (should not happen with the 64-bit boot protocol). */
		pr_warn("boot_params at 0x%llx missing or invalid: assuming 128 MiB of RAM\n",
		        (unsigned long long)boot_params_phys);
		boot_command_line[0] = '\0';
		memblock_add(SZ_1M, SZ_128M - SZ_1M);
	}
	*cmdline_p = boot_command_line;
	pr_info("DMI not present or invalid.\n");
	dump_stack_arch_desc = "kdsim x86_64 PC (Q35-like, no DMI)";

	/* Mirrors reserve_real_mode() + the "reserve low 1MB" policy: boot_params, command line
	 * and the loader's page tables all live there. */
	memblock_reserve(0, SZ_1M);
	memblock_reserve(kimage_phys_base, (phys_addr_t)(_end - _text));
	if (boot_params_phys)
		memblock_reserve(ALIGN_DOWN(boot_params_phys, PAGE_SIZE), BOOT_PARAMS_SIZE);

	/*
	 * early_param("elfcorehdr"): a kdump capture kernel. Its e820 (built by the loader) is
	 * the crash region minus the ELF core header, so memblock already holds nothing of the
	 * crashed kernel's memory; the direct map (head_64.S) still covers [0, 4 GiB) and more,
	 * so copy_oldmem_page() reads the old RAM through it.
	 */
	parse_elfcorehdr_param(boot_command_line);

	arch_reserve_crashkernel();
	print_memory();

	/* acpi_boot_init() + prefill_possible_map(): the CPUs of the MADT (one without it). */
	acpi_boot_init(bp);

	insert_kernel_resources();
	e820_reserve_resources();
}
