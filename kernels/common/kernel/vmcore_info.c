// SPDX-License-Identifier: MIT
/*
 * VMCOREINFO: the "KEY=VALUE\n" note makedumpfile and crash(8) read to understand the dump
 * (mirrors kernel/vmcore_info.c: append_elf_note, final_note, update_vmcoreinfo_note,
 * crash_update_vmcoreinfo_safecopy, crash_save_vmcoreinfo, vmcoreinfo_append_str,
 * paddr_vmcoreinfo_note, crash_save_vmcoreinfo_init).
 */
#define pr_fmt(fmt) "crash_core: " fmt

#include <kernel/crash_core.h>
#include <kernel/printk_ringbuffer.h>
#include <kernel/timekeeping.h>
#include <kernel/utsname.h>
#include <kernel/arch.h>
#include <kernel/memblock.h>
#include <kernel/mm.h>
#include <kernel/mmzone.h>
#include <kernel/nodemask.h>
#include <kernel/page-flags.h>
#include <kernel/printk.h>
#include <kernel/sections.h>
#include <kernel/string.h>
#include <asm-generic/errno-base.h>

/* vmcoreinfo stuff */
unsigned char *vmcoreinfo_data;
size_t vmcoreinfo_size;
static u32 *vmcoreinfo_note;
/* trusted vmcoreinfo, e.g. we can make a copy in the crash memory */
static unsigned char *vmcoreinfo_data_safecopy;

/* The GNU build ID note the linker put in .notes (arch linker scripts: __start_notes). */
extern const char __start_notes[], __stop_notes[];

u32 *append_elf_note(u32 *buf, const char *name, unsigned int type, const void *data,
                     size_t data_len)
{
	Elf64_Nhdr *note = (Elf64_Nhdr *)buf;

	note->n_namesz = (u32)strlen(name) + 1;
	note->n_descsz = (u32)data_len;
	note->n_type = type;
	buf += DIV_ROUND_UP(sizeof(*note), sizeof(u32));
	memcpy(buf, name, note->n_namesz);
	buf += DIV_ROUND_UP(note->n_namesz, sizeof(u32));
	memcpy(buf, data, data_len);
	buf += DIV_ROUND_UP(data_len, sizeof(u32));

	return buf;
}

void final_note(u32 *buf)
{
	memset(buf, 0, sizeof(Elf64_Nhdr));
}

static void update_vmcoreinfo_note(void)
{
	u32 *buf = vmcoreinfo_note;

	if (!vmcoreinfo_size)
		return;
	buf = append_elf_note(buf, VMCOREINFO_NOTE_NAME, 0, vmcoreinfo_data, vmcoreinfo_size);
	final_note(buf);
}

void crash_update_vmcoreinfo_safecopy(void *ptr)
{
	if (ptr)
		memcpy(ptr, vmcoreinfo_data, vmcoreinfo_size);

	vmcoreinfo_data_safecopy = ptr;
}

void crash_save_vmcoreinfo(void)
{
	if (!vmcoreinfo_note)
		return;

	/* Use the safe copy to generate vmcoreinfo note if have */
	if (vmcoreinfo_data_safecopy)
		vmcoreinfo_data = vmcoreinfo_data_safecopy;

	/* The wall clock (the board's RTC at boot + sched_clock), deterministic in kdsim. */
	vmcoreinfo_append_str("CRASHTIME=%lld\n", (long long)ktime_get_real_seconds());
	update_vmcoreinfo_note();
}

void vmcoreinfo_append_str(const char *fmt, ...)
{
	va_list args;
	char buf[0x50];
	size_t r;

	if (!vmcoreinfo_data)
		return;
	va_start(args, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);
	r = n < 0 ? 0 : min((size_t)n, sizeof(buf) - 1); /* vscnprintf */

	r = min(r, (size_t)VMCOREINFO_BYTES - vmcoreinfo_size);

	memcpy(&vmcoreinfo_data[vmcoreinfo_size], buf, r);

	vmcoreinfo_size += r;

	if (vmcoreinfo_size == VMCOREINFO_BYTES)
		pr_warn("vmcoreinfo data exceeds allocated size, truncating");
}

phys_addr_t paddr_vmcoreinfo_note(void)
{
	return virt_to_phys(vmcoreinfo_note);
}

/* VMCOREINFO_BUILD_ID(): "BUILD-ID=%20phN" of the GNU build-id note. */
static void vmcoreinfo_build_id(void)
{
	const char *p = __start_notes;
	while (p + sizeof(Elf64_Nhdr) <= __stop_notes) {
		const Elf64_Nhdr *n = (const Elf64_Nhdr *)p;
		const unsigned char *desc =
			(const unsigned char *)p + sizeof(*n) + ALIGN(n->n_namesz, 4);
		if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 && !memcmp(p + sizeof(*n), "GNU", 4) &&
		    n->n_descsz == 20) {
			char hex[41];
			for (int i = 0; i < 20; i++) {
				hex[2 * i] = "0123456789abcdef"[desc[i] >> 4];
				hex[2 * i + 1] = "0123456789abcdef"[desc[i] & 15];
			}
			hex[40] = '\0';
			vmcoreinfo_append_str("BUILD-ID=%s\n", hex);
			return;
		}
		p += sizeof(*n) + ALIGN(n->n_namesz, 4) + ALIGN(n->n_descsz, 4);
	}
}

extern u64 swapper_pg_dir[];

/*
 * The memory-model block of crash_save_vmcoreinfo_init() (6.1, !CONFIG_NUMA,
 * CONFIG_SPARSEMEM_VMEMMAP): makedumpfile finds every struct page through mem_section and
 * filters pages (-d) by the PG_* and *_MAPCOUNT_VALUE numbers; crash cross-checks them.
 */
static void vmcoreinfo_mm(void)
{
	VMCOREINFO_SYMBOL(mem_map);
	VMCOREINFO_SYMBOL(contig_page_data);
	VMCOREINFO_SYMBOL_ARRAY(mem_section);
	VMCOREINFO_LENGTH(mem_section, NR_SECTION_ROOTS);
	VMCOREINFO_STRUCT_SIZE(mem_section);
	VMCOREINFO_OFFSET(mem_section, section_mem_map);
	VMCOREINFO_NUMBER(SECTION_SIZE_BITS);
	VMCOREINFO_NUMBER(MAX_PHYSMEM_BITS);
	VMCOREINFO_STRUCT_SIZE(page);
	VMCOREINFO_STRUCT_SIZE(pglist_data);
	VMCOREINFO_STRUCT_SIZE(zone);
	VMCOREINFO_STRUCT_SIZE(free_area);
	VMCOREINFO_STRUCT_SIZE(list_head);
	VMCOREINFO_SIZE(nodemask_t);
	VMCOREINFO_OFFSET(page, flags);
	VMCOREINFO_OFFSET(page, _refcount);
	VMCOREINFO_OFFSET(page, mapping);
	VMCOREINFO_OFFSET(page, lru);
	VMCOREINFO_OFFSET(page, _mapcount);
	VMCOREINFO_OFFSET(page, private);
	VMCOREINFO_OFFSET(page, compound_dtor);
	VMCOREINFO_OFFSET(page, compound_order);
	VMCOREINFO_OFFSET(page, compound_head);
	VMCOREINFO_OFFSET(pglist_data, node_zones);
	VMCOREINFO_OFFSET(pglist_data, nr_zones);
	VMCOREINFO_OFFSET(pglist_data, node_start_pfn);
	VMCOREINFO_OFFSET(pglist_data, node_spanned_pages);
	VMCOREINFO_OFFSET(pglist_data, node_id);
	VMCOREINFO_OFFSET(zone, free_area);
	VMCOREINFO_OFFSET(zone, vm_stat);
	VMCOREINFO_OFFSET(zone, spanned_pages);
	VMCOREINFO_OFFSET(free_area, free_list);
	VMCOREINFO_OFFSET(list_head, next);
	VMCOREINFO_OFFSET(list_head, prev);
	VMCOREINFO_LENGTH(zone.free_area, MAX_ORDER);
	log_buf_vmcoreinfo_setup();
	VMCOREINFO_LENGTH(free_area.free_list, MIGRATE_TYPES);
	VMCOREINFO_NUMBER(NR_FREE_PAGES);
	VMCOREINFO_NUMBER(PG_lru);
	VMCOREINFO_NUMBER(PG_private);
	VMCOREINFO_NUMBER(PG_swapcache);
	VMCOREINFO_NUMBER(PG_swapbacked);
	VMCOREINFO_NUMBER(PG_slab);
	VMCOREINFO_NUMBER(PG_hwpoison);
	VMCOREINFO_NUMBER(PG_head_mask);
	VMCOREINFO_NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE);
	VMCOREINFO_NUMBER(HUGETLB_PAGE_DTOR);
	VMCOREINFO_NUMBER(PAGE_OFFLINE_MAPCOUNT_VALUE);
}

int crash_save_vmcoreinfo_init(void)
{
	vmcoreinfo_data = memblock_alloc(PAGE_SIZE, PAGE_SIZE);
	if (!vmcoreinfo_data) {
		pr_warn("Memory allocation for vmcoreinfo_data failed\n");
		return -ENOMEM;
	}

	/* alloc_pages_exact(VMCOREINFO_NOTE_SIZE): page granular, normal RAM (never the crash
	 * region, which memblock keeps reserved). */
	vmcoreinfo_note = memblock_alloc(ALIGN(VMCOREINFO_NOTE_SIZE, PAGE_SIZE), PAGE_SIZE);
	if (!vmcoreinfo_note) {
		pr_warn("Memory allocation for vmcoreinfo_note failed\n");
		vmcoreinfo_data = NULL;
		return -ENOMEM;
	}

	VMCOREINFO_OSRELEASE(init_uts_ns.name.release);
	vmcoreinfo_build_id();
	VMCOREINFO_PAGESIZE(PAGE_SIZE);

	VMCOREINFO_SYMBOL(init_uts_ns);
	VMCOREINFO_OFFSET(uts_namespace, name);
	VMCOREINFO_SYMBOL(node_online_map);
	VMCOREINFO_SYMBOL_ARRAY(swapper_pg_dir);
	VMCOREINFO_SYMBOL(_stext);
	/* Linux also writes SYMBOL(vmap_area_list): there is no vmalloc here. */

	vmcoreinfo_mm();

	arch_crash_save_vmcoreinfo();
	update_vmcoreinfo_note();

	return 0;
}
