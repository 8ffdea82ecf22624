// SPDX-License-Identifier: MIT
/*
 * The CPUs, as Linux finds them on a PC: boot_params.acpi_rsdp_addr -> RSDP -> XSDT -> MADT,
 * one Processor Local APIC entry per CPU (mirrors acpi_boot_init(), acpi_parse_madt() and
 * acpi_parse_lapic() of arch/x86/kernel/acpi/boot.c, acpi_tb_print_table_header() of
 * drivers/acpi/acpica/tbprint.c and prefill_possible_map() of arch/x86/kernel/smpboot.c,
 * reduced: no AML, no I/O APIC, no x2APIC entries). Without tables the machine has one CPU.
 */
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <asm/apic.h>
#include <asm/memory.h>
#include <asm/setup.h>

#undef pr_fmt
#define pr_fmt(fmt) "ACPI: " fmt

#define BP_ACPI_RSDP_ADDR 0x070 /* struct boot_params.acpi_rsdp_addr */
#define ACPI_TABLES_END 0x100000000ULL /* read through the direct map's first 4 GiB */
#define ACPI_MADT_TYPE_LOCAL_APIC 0
#define ACPI_MADT_ENABLED 1

struct acpi_table_rsdp {
	char signature[8];
	u8 checksum;
	char oem_id[6];
	u8 revision;
	u32 rsdt_physical_address;
	u32 length;
	u64 xsdt_physical_address;
	u8 extended_checksum;
	u8 reserved[3];
} __attribute__((packed));

struct acpi_table_header {
	char signature[4];
	u32 length;
	u8 revision;
	u8 checksum;
	char oem_id[6];
	char oem_table_id[8];
	u32 oem_revision;
	char asl_compiler_id[4];
	u32 asl_compiler_revision;
} __attribute__((packed));

struct acpi_table_madt {
	struct acpi_table_header header;
	u32 address; /* the local APIC's physical address */
	u32 flags;
} __attribute__((packed));

struct acpi_madt_local_apic {
	u8 type;
	u8 length;
	u8 processor_id;
	u8 id;
	u32 lapic_flags;
} __attribute__((packed));

static u8 acpi_checksum(const void *p, u32 len)
{
	u8 sum = 0;
	for (u32 i = 0; i < len; i++)
		sum = (u8)(sum + ((const u8 *)p)[i]);
	return sum;
}

/* A table the firmware handed over, or NULL when it lies outside what we can read. */
static const void *acpi_map(u64 pa, u64 len)
{
	if (!pa || pa >= ACPI_TABLES_END || len > ACPI_TABLES_END - pa)
		return NULL;
	return __va(pa);
}

static void copy_field(char *out, const char *in, size_t n)
{
	memcpy(out, in, n);
	out[n] = '\0';
}

/* acpi_tb_print_table_header(): "APIC 0x00000000000E0080 00004C (v05 KDSIM  KDSIMPC  ...)". */
static void acpi_print_table(u64 pa, const struct acpi_table_header *h)
{
	char sig[5], oem[7], table[9], creator[5];
	copy_field(sig, h->signature, 4);
	copy_field(oem, h->oem_id, 6);
	copy_field(table, h->oem_table_id, 8);
	copy_field(creator, h->asl_compiler_id, 4);
	pr_info("%s 0x%016llx %06X (v%02u %s %s %08X %s %08X)\n", sig, (unsigned long long)pa, h->length,
	        h->revision, oem, table, h->oem_revision, creator, h->asl_compiler_revision);
}

static const struct acpi_table_header *acpi_get_table(u64 pa, const char *signature)
{
	const struct acpi_table_header *h = acpi_map(pa, sizeof(*h));
	if (!h || !acpi_map(pa, h->length) || h->length < sizeof(*h))
		return NULL;
	if (memcmp(h->signature, signature, 4) != 0 || acpi_checksum(h, h->length) != 0) {
		pr_warn("table at 0x%016llx is not a valid %s\n", (unsigned long long)pa, signature);
		return NULL;
	}
	acpi_print_table(pa, h);
	return h;
}

/* acpi_parse_lapic() -> acpi_register_lapic() -> generic_processor_info(). */
static unsigned int acpi_parse_lapic(const struct acpi_madt_local_apic *p, unsigned int num_processors)
{
	if (!(p->lapic_flags & ACPI_MADT_ENABLED))
		return num_processors;
	if (num_processors >= NR_CPUS) {
		pr_warn("NR_CPUS/possible_cpus limit of %u reached. Processor %u/0x%x ignored.\n", NR_CPUS,
		        num_processors, p->id);
		return num_processors;
	}
	x86_cpu_to_apicid[num_processors] = p->id;
	return num_processors + 1;
}

/* acpi_parse_madt() + the MADT subtable walk: the CPUs in table order, the boot CPU first. */
static unsigned int acpi_parse_madt(const struct acpi_table_madt *madt)
{
	unsigned int n = 0;
	const u8 *p = (const u8 *)(madt + 1), *end = (const u8 *)madt + madt->header.length;

	if (madt->address != APIC_DEFAULT_PHYS_BASE) {
		pr_warn("local APIC at 0x%08x, not 0x%08lx: ignored\n", madt->address, APIC_DEFAULT_PHYS_BASE);
		return 0;
	}
	while (p + 2 <= end && p[1] >= 2 && p + p[1] <= end) {
		if (p[0] == ACPI_MADT_TYPE_LOCAL_APIC && p[1] >= sizeof(struct acpi_madt_local_apic))
			n = acpi_parse_lapic((const struct acpi_madt_local_apic *)p, n);
		p += p[1];
	}
	return n;
}

static const struct acpi_table_madt *acpi_find_madt(u64 rsdp_pa)
{
	const struct acpi_table_rsdp *rsdp = acpi_map(rsdp_pa, sizeof(*rsdp));
	if (!rsdp || memcmp(rsdp->signature, "RSD PTR ", 8) != 0 || acpi_checksum(rsdp, 20) != 0 ||
	    rsdp->revision < 2 || acpi_checksum(rsdp, sizeof(*rsdp)) != 0) {
		pr_warn("no valid ACPI 2.0 RSDP at 0x%016llx\n", (unsigned long long)rsdp_pa);
		return NULL;
	}
	char oem[7];
	copy_field(oem, rsdp->oem_id, 6);
	pr_info("RSDP 0x%016llx %06X (v%02u %s)\n", (unsigned long long)rsdp_pa, rsdp->length, rsdp->revision,
	        oem);
	const struct acpi_table_header *xsdt = acpi_get_table(rsdp->xsdt_physical_address, "XSDT");
	if (!xsdt)
		return NULL;
	const u64 *entry = (const u64 *)(xsdt + 1);
	for (u32 i = 0; i < (xsdt->length - sizeof(*xsdt)) / 8; i++) {
		u64 pa;
		memcpy(&pa, entry + i, sizeof(pa)); /* XSDT entries are not 8-byte aligned */
		const struct acpi_table_header *h = acpi_map(pa, sizeof(*h));
		if (h && memcmp(h->signature, "APIC", 4) == 0)
			return (const struct acpi_table_madt *)acpi_get_table(pa, "APIC");
	}
	return NULL;
}

/*
 * acpi_find_root_pointer() (drivers/acpi/acpica/tbxfroot.c): without a pointer from the boot
 * loader (kexec-tools on a BIOS machine passes none), search the BIOS area 0xE0000-0xFFFFF on
 * 16-byte boundaries for a valid RSDP. (Linux also searches the EBDA's first KiB.)
 */
static u64 acpi_find_root_pointer(void)
{
	for (u64 pa = 0xe0000; pa < 0x100000; pa += 16) {
		const struct acpi_table_rsdp *rsdp = __va(pa);
		if (memcmp(rsdp->signature, "RSD PTR ", 8) == 0 && acpi_checksum(rsdp, 20) == 0)
			return pa;
	}
	return 0;
}

void acpi_boot_init(const u8 *bp)
{
	u64 rsdp_pa = bp ? *(const u64 *)(bp + BP_ACPI_RSDP_ADDR) : 0;
	if (!rsdp_pa)
		rsdp_pa = acpi_find_root_pointer();
	const struct acpi_table_madt *madt = rsdp_pa ? acpi_find_madt(rsdp_pa) : NULL;
	unsigned int cpus = madt ? acpi_parse_madt(madt) : 0;

	if (!cpus) {
		/* No MADT: the boot CPU alone, APIC ID 0 (Linux: "found SMP MP-table" fallbacks). */
		set_nr_cpu_ids(1);
		return;
	}
	x86_apic_present = true;
	pr_info("Using ACPI (MADT) for SMP configuration information\n");
	set_nr_cpu_ids(cpus);
	/* prefill_possible_map() */
	printk("smpboot: Allowing %u CPUs, 0 hotplug CPUs\n", cpus);
}
