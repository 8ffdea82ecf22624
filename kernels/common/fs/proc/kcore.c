// SPDX-License-Identifier: MIT
/*
 * /proc/kcore: the running kernel's memory as an ELF core file (mirrors fs/proc/kcore.c:
 * get_kcore_size, append_kcore_note, read_kcore, open_kcore). kexec-tools reads its header:
 * arm64 takes VA_BITS and PHYS_OFFSET from the VMCOREINFO note, x86_64 the kernel text
 * PT_LOAD and the direct map's base.
 *
 * Layout, as 6.1 builds it: the ELF header, one PT_NOTE then one PT_LOAD per kcore_list entry,
 * the notes (CORE NT_PRSTATUS, NT_PRPSINFO, NT_TASKSTRUCT, then VMCOREINFO), zeros up to the
 * page-aligned data offset, then memory: a PT_LOAD for vaddr V sits at file offset
 * data_offset + (V - PAGE_OFFSET) (kc_vaddr_to_offset). The list holds the kernel image
 * (KCORE_TEXT) and the linear map of each RAM range (KCORE_RAM); Linux's vmalloc, vmemmap
 * and module entries are left out: nothing reads them here.
 */
#include <kernel/fs.h>
#include <kernel/arch.h>
#include <kernel/crash_core.h>
#include <kernel/elf.h>
#include <kernel/elfcore.h>
#include <kernel/init.h>
#include <kernel/memblock.h>
#include <kernel/sched.h>
#include <kernel/sections.h>
#include <kernel/security.h>
#include <kernel/string.h>
#include <asm/elf.h>
#include <asm/memory.h>
#include <asm-generic/errno-base.h>

#define NT_PRPSINFO 3
#define NT_TASKSTRUCT 4
#define CORE_STR "CORE"
#define ELF_PRARGSZ 80

/* include/uapi/linux/elfcore.h (LP64: 136 bytes). */
struct elf_prpsinfo {
	char pr_state;
	char pr_sname;
	char pr_zomb;
	char pr_nice;
	unsigned long pr_flag;
	unsigned int pr_uid;
	unsigned int pr_gid;
	int pr_pid, pr_ppid, pr_pgrp, pr_sid;
	char pr_fname[16];
	char pr_psargs[ELF_PRARGSZ];
};
_Static_assert(sizeof(struct elf_prpsinfo) == 136, "elf_prpsinfo: Linux's LP64 size");

enum kcore_type { KCORE_TEXT, KCORE_RAM };

struct kcore_list {
	unsigned long addr;
	size_t size;
	enum kcore_type type;
};

#define KCORE_MAX_ENTRIES (1 + MEMBLOCK_MAX_REGIONS)
#define KCORE_NOTE_HEAD 12 /* sizeof(struct elf_note) */
#define KCORE_HEAD_MAX (64 * 1024)

static struct kcore_list kclist[KCORE_MAX_ENTRIES];
static unsigned int kclist_nr;
/* The header and notes, rebuilt at each open (read_kcore builds them at each read). */
static char kcore_head[KCORE_HEAD_MAX];
static size_t kcore_head_len; /* ELF header + program headers + notes */
static size_t kcore_data_offset;
static u64 kcore_size; /* the file's size (Linux's i_size): EOF after the highest entry */

static size_t vmcoreinfo_bytes(void)
{
#ifdef CONFIG_KEXEC_CORE
	return vmcoreinfo_size;
#else
	return 0;
#endif
}

static const void *vmcoreinfo_bytes_ptr(void)
{
#ifdef CONFIG_KEXEC_CORE
	return vmcoreinfo_data;
#else
	return NULL;
#endif
}

/* kcore_update_ram(): the text entry, then each RAM range as the linear map shows it. */
static void kcore_update_list(void)
{
	kclist_nr = 0;
	kclist[kclist_nr++] = (struct kcore_list){ (unsigned long)_text, (size_t)(_end - _text),
		                                   KCORE_TEXT };
	for (unsigned int i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];
		kclist[kclist_nr++] = (struct kcore_list){ (unsigned long)phys_to_virt(r->base),
			                                   (size_t)r->size, KCORE_RAM };
	}
}

static size_t append_kcore_note(char *notes, size_t at, const char *name, unsigned int type,
                                const void *desc, size_t descsz)
{
	Elf64_Nhdr *note = (Elf64_Nhdr *)(notes + at);
	note->n_namesz = (u32)strlen(name) + 1;
	note->n_descsz = (u32)descsz;
	note->n_type = type;
	at += sizeof(*note);
	memset(notes + at, 0, ALIGN(note->n_namesz, 4));
	memcpy(notes + at, name, note->n_namesz);
	at += ALIGN(note->n_namesz, 4);
	memset(notes + at, 0, ALIGN(descsz, 4));
	if (descsz)
		memcpy(notes + at, desc, descsz);
	return at + ALIGN(descsz, 4);
}

static size_t kcore_notes_len(void)
{
	return 4 * KCORE_NOTE_HEAD + 3 * ALIGN(sizeof(CORE_STR), 4) + VMCOREINFO_NOTE_NAME_BYTES +
	       ALIGN(sizeof(struct elf_prstatus), 4) + ALIGN(sizeof(struct elf_prpsinfo), 4) +
	       ALIGN(sizeof(struct task_struct), 4) + ALIGN(vmcoreinfo_bytes(), 4);
}

static unsigned long kc_vaddr_to_offset(unsigned long v)
{
	return v - PAGE_OFFSET;
}

static int kcore_build_head(void)
{
	kcore_update_list();
	const unsigned int nphdr = 1 + kclist_nr;
	const size_t phdrs_len = nphdr * sizeof(Elf64_Phdr);
	const size_t notes_len = kcore_notes_len();
	kcore_head_len = sizeof(Elf64_Ehdr) + phdrs_len + notes_len;
	if (kcore_head_len > sizeof(kcore_head))
		return -ENOMEM;
	kcore_data_offset = ALIGN(kcore_head_len, PAGE_SIZE);
	kcore_size = kcore_data_offset;
	for (unsigned int i = 0; i < kclist_nr; i++) {
		u64 end = kcore_data_offset + kc_vaddr_to_offset(kclist[i].addr + kclist[i].size);
		if (end > kcore_size)
			kcore_size = end;
	}
	memset(kcore_head, 0, kcore_head_len);

	Elf64_Ehdr *ehdr = (Elf64_Ehdr *)kcore_head;
	memcpy(ehdr->e_ident, ELFMAG, SELFMAG);
	ehdr->e_ident[EI_CLASS] = ELFCLASS64;
	ehdr->e_ident[EI_DATA] = ELFDATA2LSB;
	ehdr->e_ident[EI_VERSION] = EV_CURRENT;
	ehdr->e_type = ET_CORE;
	ehdr->e_machine = ELF_ARCH;
	ehdr->e_version = EV_CURRENT;
	ehdr->e_phoff = sizeof(Elf64_Ehdr);
	ehdr->e_ehsize = sizeof(Elf64_Ehdr);
	ehdr->e_phentsize = sizeof(Elf64_Phdr);
	ehdr->e_phnum = (u16)nphdr;

	Elf64_Phdr *phdr = (Elf64_Phdr *)(kcore_head + sizeof(Elf64_Ehdr));
	phdr->p_type = PT_NOTE;
	phdr->p_offset = sizeof(Elf64_Ehdr) + phdrs_len;
	phdr->p_filesz = notes_len;
	for (unsigned int i = 0; i < kclist_nr; i++) {
		const struct kcore_list *m = &kclist[i];
		phdr++;
		phdr->p_type = PT_LOAD;
		phdr->p_flags = PF_R | PF_W | PF_X;
		phdr->p_offset = kc_vaddr_to_offset(m->addr) + kcore_data_offset;
		phdr->p_vaddr = m->addr;
		phdr->p_paddr = virt_to_phys((const void *)m->addr); /* __pa / __pa_symbol */
		phdr->p_filesz = phdr->p_memsz = m->size;
		phdr->p_align = PAGE_SIZE;
	}

	struct elf_prstatus prstatus = { 0 };
	struct elf_prpsinfo prpsinfo = { .pr_sname = 'R', .pr_fname = "vmlinux" };
	strlcpy(prpsinfo.pr_psargs, boot_command_line, sizeof(prpsinfo.pr_psargs));
	char *notes = kcore_head + sizeof(Elf64_Ehdr) + phdrs_len;
	size_t at = 0;
	at = append_kcore_note(notes, at, CORE_STR, NT_PRSTATUS, &prstatus, sizeof(prstatus));
	at = append_kcore_note(notes, at, CORE_STR, NT_PRPSINFO, &prpsinfo, sizeof(prpsinfo));
	at = append_kcore_note(notes, at, CORE_STR, NT_TASKSTRUCT, current, sizeof(*current));
	at = append_kcore_note(notes, at, VMCOREINFO_NOTE_NAME, 0, vmcoreinfo_bytes_ptr(),
	                       vmcoreinfo_bytes());
	return at == notes_len ? 0 : -EINVAL;
}

/* The kcore_list entry holding vaddr, or NULL: a hole reads as zeros. */
static const struct kcore_list *kcore_find(unsigned long vaddr)
{
	for (unsigned int i = 0; i < kclist_nr; i++)
		if (vaddr >= kclist[i].addr && vaddr - kclist[i].addr < kclist[i].size)
			return &kclist[i];
	return NULL;
}

static ssize_t read_kcore(struct file *file, char *buf, size_t count, loff_t *fpos)
{
	(void)file;
	size_t done = 0;
	if ((u64)*fpos >= kcore_size)
		return 0;
	if (count > kcore_size - (u64)*fpos)
		count = (size_t)(kcore_size - (u64)*fpos);
	while (done < count) {
		u64 pos = (u64)*fpos;
		size_t n = count - done;
		if (pos < kcore_head_len) {
			if (n > kcore_head_len - pos)
				n = kcore_head_len - pos;
			memcpy(buf + done, kcore_head + pos, n);
		} else if (pos < kcore_data_offset) {
			if (n > kcore_data_offset - pos)
				n = kcore_data_offset - pos;
			memset(buf + done, 0, n);
		} else {
			unsigned long vaddr = PAGE_OFFSET + (unsigned long)(pos - kcore_data_offset);
			const struct kcore_list *m = kcore_find(vaddr);
			size_t in_page = PAGE_SIZE - (vaddr & (PAGE_SIZE - 1));
			if (n > in_page)
				n = in_page;
			if (m && vaddr - m->addr + n > m->size)
				n = m->size - (vaddr - m->addr);
			if (m)
				memcpy(buf + done, (const void *)vaddr, n);
			else
				memset(buf + done, 0, n);
		}
		done += n;
		*fpos += (loff_t)n;
	}
	return (ssize_t)done;
}

static int open_kcore(struct file *file)
{
	(void)file;
	int ret = security_locked_down(LOCKDOWN_KCORE);
	if (ret)
		return ret;
	return kcore_build_head();
}

static const struct file_operations kcore_fops = { .read = read_kcore, .open = open_kcore };

void proc_kcore_init(void)
{
	fs_register_node("/proc/kcore", 0400, &kcore_fops, NULL);
}
