// SPDX-License-Identifier: MIT
/*
 * /proc/vmcore: the crashed kernel's memory as an ELF core file, in the capture kernel
 * (mirrors fs/proc/vmcore.c: read_from_oldmem, update_note_header_size_elf64,
 * get_note_number_and_size_elf64, copy_notes_elf64, merge_note_headers_elf64,
 * process_ptload_program_headers_elf64, set_vmcore_list_offsets, parse_crash_elf64_headers,
 * __read_vmcore, vmcore_init).
 *
 * File layout: [0, elfcorebuf_sz) ELF header + phdrs (merged PT_NOTE first), page padded;
 * [.., + elfnotes_sz) all notes back to back, page padded; then each PT_LOAD's page-aligned
 * chunk of old memory, read live through copy_oldmem_page(). sendfile(2) to /dev/dumpdisk
 * describes the same bytes as physical ranges instead (splice_read_phys).
 */
#define pr_fmt(fmt) "vmcore: " fmt

#include <kernel/crash_dump.h>
#include <kernel/arch.h>
#include <kernel/elf.h>
#include <kernel/fs.h>
#include <kernel/memblock.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kdsim/stage.h>
#include <asm/elf.h>
#include <asm/memory.h>
#include <asm-generic/errno-base.h>

/* One contiguous chunk of old memory in the file (Linux's struct vmcore / vmcore_range). */
struct vmcore_range {
	unsigned long long paddr;
	unsigned long long size;
	loff_t offset;
};

/* Stores the pointer to the buffer containing kernel elf core headers. */
static char *elfcorebuf;
static size_t elfcorebuf_sz;
static size_t elfcorebuf_sz_orig;

static char *elfnotes_buf;
static size_t elfnotes_sz;

/* Total size of vmcore file. */
static u64 vmcore_size;

static struct vmcore_range *vmcore_list;
static unsigned int vmcore_nr;

/* Reads from the oldmem device from given offset to given buffer. */
static ssize_t read_from_oldmem(char *buf, size_t count, u64 *ppos)
{
	unsigned long pfn, offset;
	ssize_t nr_bytes;
	ssize_t read = 0, tmp;

	if (!count)
		return 0;

	offset = (unsigned long)(*ppos % PAGE_SIZE);
	pfn = (unsigned long)(*ppos / PAGE_SIZE);

	do {
		if (count > (PAGE_SIZE - offset))
			nr_bytes = (ssize_t)(PAGE_SIZE - offset);
		else
			nr_bytes = (ssize_t)count;

		tmp = copy_oldmem_page(buf, pfn, (size_t)nr_bytes, offset);
		if (tmp < 0)
			return tmp;
		*ppos += (u64)nr_bytes;
		count -= (size_t)nr_bytes;
		buf += nr_bytes;
		read += nr_bytes;
		++pfn;
		offset = 0;
	} while (count);

	return read;
}

/* Mirrors elfcorehdr_read() / elfcorehdr_read_notes() (weak defaults: read_from_oldmem). */
static ssize_t elfcorehdr_read(char *buf, size_t count, u64 *ppos)
{
	return read_from_oldmem(buf, count, ppos);
}

static void *vmcore_alloc_buf(size_t size)
{
	return memblock_alloc(ALIGN(size, PAGE_SIZE), PAGE_SIZE);
}

static void vmcore_free_buf(void *buf, size_t size)
{
	if (buf)
		memblock_phys_free(virt_to_phys(buf), ALIGN(size, PAGE_SIZE));
}

/**
 * update_note_header_size_elf64 - update p_memsz member of each PT_NOTE entry
 *
 * Each PT_NOTE program header has actual ELF note segment size in its p_memsz member
 * (kexec-tools gives the buffer size); walk the notes to find the real size and drop the
 * terminator.
 */
static int update_note_header_size_elf64(const Elf64_Ehdr *ehdr_ptr)
{
	int i, rc = 0;
	Elf64_Phdr *phdr_ptr;
	Elf64_Nhdr *nhdr_ptr;

	phdr_ptr = (Elf64_Phdr *)(ehdr_ptr + 1);
	for (i = 0; i < ehdr_ptr->e_phnum; i++, phdr_ptr++) {
		void *notes_section;
		u64 offset, max_sz, sz, real_sz = 0;

		if (phdr_ptr->p_type != PT_NOTE)
			continue;
		max_sz = phdr_ptr->p_memsz;
		offset = phdr_ptr->p_offset;
		notes_section = vmcore_alloc_buf(max_sz + sizeof(Elf64_Nhdr));
		if (!notes_section)
			return -ENOMEM;
		rc = (int)elfcorehdr_read(notes_section, max_sz, &offset);
		if (rc < 0) {
			vmcore_free_buf(notes_section, max_sz + sizeof(Elf64_Nhdr));
			return rc;
		}
		nhdr_ptr = notes_section;
		/* (the extra zeroed header after the buffer stops a note list with no terminator) */
		while (nhdr_ptr->n_namesz != 0) {
			sz = sizeof(Elf64_Nhdr) + (((u64)nhdr_ptr->n_namesz + 3) & ~3ULL) +
			     (((u64)nhdr_ptr->n_descsz + 3) & ~3ULL);
			if ((real_sz + sz) > max_sz) {
				pr_warn("Warning: Exceeded p_memsz, dropping PT_NOTE entry n_namesz=0x%x, n_descsz=0x%x\n",
				        nhdr_ptr->n_namesz, nhdr_ptr->n_descsz);
				break;
			}
			real_sz += sz;
			nhdr_ptr = (Elf64_Nhdr *)((char *)nhdr_ptr + sz);
			if (real_sz + sizeof(Elf64_Nhdr) > max_sz)
				break;
		}
		vmcore_free_buf(notes_section, max_sz + sizeof(Elf64_Nhdr));
		phdr_ptr->p_memsz = real_sz;
		if (real_sz == 0)
			pr_warn("Warning: Zero PT_NOTE entries found\n");
	}

	return 0;
}

static int get_note_number_and_size_elf64(const Elf64_Ehdr *ehdr_ptr, int *nr_ptnote,
                                          u64 *sz_ptnote)
{
	int i;
	Elf64_Phdr *phdr_ptr;

	*nr_ptnote = 0;
	*sz_ptnote = 0;

	phdr_ptr = (Elf64_Phdr *)(ehdr_ptr + 1);
	for (i = 0; i < ehdr_ptr->e_phnum; i++, phdr_ptr++) {
		if (phdr_ptr->p_type != PT_NOTE)
			continue;
		*nr_ptnote += 1;
		*sz_ptnote += phdr_ptr->p_memsz;
	}

	return 0;
}

static int copy_notes_elf64(const Elf64_Ehdr *ehdr_ptr, char *notes_buf)
{
	int i, rc = 0;
	Elf64_Phdr *phdr_ptr;

	phdr_ptr = (Elf64_Phdr *)(ehdr_ptr + 1);

	for (i = 0; i < ehdr_ptr->e_phnum; i++, phdr_ptr++) {
		u64 offset;

		if (phdr_ptr->p_type != PT_NOTE)
			continue;
		offset = phdr_ptr->p_offset;
		rc = (int)elfcorehdr_read(notes_buf, phdr_ptr->p_memsz, &offset);
		if (rc < 0)
			return rc;
		notes_buf += phdr_ptr->p_memsz;
	}

	return 0;
}

/* Merges all the PT_NOTE headers into one. */
static int merge_note_headers_elf64(char *elfptr, size_t *elfsz, char **notes_buf,
                                    size_t *notes_sz)
{
	int i, nr_ptnote = 0, rc = 0;
	char *tmp;
	Elf64_Ehdr *ehdr_ptr;
	Elf64_Phdr phdr;
	u64 phdr_sz = 0, note_off;

	ehdr_ptr = (Elf64_Ehdr *)elfptr;

	rc = update_note_header_size_elf64(ehdr_ptr);
	if (rc < 0)
		return rc;

	rc = get_note_number_and_size_elf64(ehdr_ptr, &nr_ptnote, &phdr_sz);
	if (rc < 0)
		return rc;

	*notes_sz = ALIGN((size_t)phdr_sz, PAGE_SIZE);
	*notes_buf = vmcore_alloc_buf(*notes_sz);
	if (!*notes_buf)
		return -ENOMEM;

	rc = copy_notes_elf64(ehdr_ptr, *notes_buf);
	if (rc < 0)
		return rc;

	/* Prepare merged PT_NOTE program header. */
	phdr.p_type = PT_NOTE;
	phdr.p_flags = 0;
	note_off = sizeof(Elf64_Ehdr) + (ehdr_ptr->e_phnum - nr_ptnote + 1) * sizeof(Elf64_Phdr);
	phdr.p_offset = ALIGN(note_off, PAGE_SIZE);
	phdr.p_vaddr = phdr.p_paddr = 0;
	phdr.p_filesz = phdr.p_memsz = phdr_sz;
	phdr.p_align = 4;

	/* Add merged PT_NOTE program header*/
	tmp = elfptr + sizeof(Elf64_Ehdr);
	memcpy(tmp, &phdr, sizeof(phdr));
	tmp += sizeof(phdr);

	/* Remove unwanted PT_NOTE program headers. */
	i = (nr_ptnote - 1) * (int)sizeof(Elf64_Phdr);
	*elfsz = *elfsz - (size_t)i;
	memmove(tmp, tmp + i, ((*elfsz) - sizeof(Elf64_Ehdr) - sizeof(Elf64_Phdr)));
	memset(elfptr + *elfsz, 0, (size_t)i);
	*elfsz = ALIGN(*elfsz, PAGE_SIZE);

	/* Modify e_phnum to reflect merged headers. */
	ehdr_ptr->e_phnum = (u16)(ehdr_ptr->e_phnum - nr_ptnote + 1);

	return 0;
}

/* Add memory chunks represented by program headers to vmcore list. Also update the new
 * offset fields of exported program headers. */
static int process_ptload_program_headers_elf64(char *elfptr, size_t elfsz, size_t elfnotes_sz_)
{
	int i;
	Elf64_Ehdr *ehdr_ptr;
	Elf64_Phdr *phdr_ptr;
	loff_t vmcore_off;

	ehdr_ptr = (Elf64_Ehdr *)elfptr;
	phdr_ptr = (Elf64_Phdr *)(elfptr + sizeof(Elf64_Ehdr)); /* PT_NOTE hdr */

	/* Skip ELF header, program headers and ELF note segment. */
	vmcore_off = (loff_t)(elfsz + elfnotes_sz_);

	vmcore_list = memblock_alloc(ALIGN(ehdr_ptr->e_phnum * sizeof(*vmcore_list), PAGE_SIZE),
	                             PAGE_SIZE);
	if (!vmcore_list)
		return -ENOMEM;

	for (i = 0; i < ehdr_ptr->e_phnum; i++, phdr_ptr++) {
		u64 paddr, start, end, size;

		if (phdr_ptr->p_type != PT_LOAD)
			continue;

		paddr = phdr_ptr->p_offset;
		start = ALIGN_DOWN(paddr, PAGE_SIZE);
		end = ALIGN(paddr + phdr_ptr->p_memsz, PAGE_SIZE);
		size = end - start;

		/* Add this contiguous chunk of memory to vmcore list.*/
		vmcore_list[vmcore_nr].paddr = start;
		vmcore_list[vmcore_nr].size = size;
		vmcore_nr++;

		/* Update the program header offset. */
		phdr_ptr->p_offset = (u64)vmcore_off + (paddr - start);
		vmcore_off = vmcore_off + (loff_t)size;
	}
	return 0;
}

/* Sets offset fields of vmcore elements. */
static void set_vmcore_list_offsets(size_t elfsz, size_t elfnotes_sz_)
{
	loff_t vmcore_off = (loff_t)(elfsz + elfnotes_sz_);

	for (unsigned int i = 0; i < vmcore_nr; i++) {
		vmcore_list[i].offset = vmcore_off;
		vmcore_off += (loff_t)vmcore_list[i].size;
	}
}

static u64 get_vmcore_size(size_t elfsz, size_t elfnotesegsz)
{
	u64 size = elfsz + elfnotesegsz;
	for (unsigned int i = 0; i < vmcore_nr; i++)
		size += vmcore_list[i].size;
	return size;
}

static int parse_crash_elf64_headers(void)
{
	int rc = 0;
	Elf64_Ehdr ehdr;
	u64 addr;

	addr = elfcorehdr_addr;

	/* Read ELF header */
	rc = (int)elfcorehdr_read((char *)&ehdr, sizeof(Elf64_Ehdr), &addr);
	if (rc < 0)
		return rc;

	/* Do some basic Verification. */
	if (memcmp(ehdr.e_ident, ELFMAG, SELFMAG) != 0 || (ehdr.e_type != ET_CORE) ||
	    !vmcore_elf64_check_arch(&ehdr) || ehdr.e_ident[EI_CLASS] != ELFCLASS64 ||
	    ehdr.e_ident[EI_VERSION] != EV_CURRENT || ehdr.e_version != EV_CURRENT ||
	    ehdr.e_ehsize != sizeof(Elf64_Ehdr) || ehdr.e_phentsize != sizeof(Elf64_Phdr) ||
	    ehdr.e_phnum == 0) {
		pr_warn("Warning: Core image elf header is not sane\n");
		return -EINVAL;
	}

	/* Read in all elf headers. */
	elfcorebuf_sz_orig = sizeof(Elf64_Ehdr) + ehdr.e_phnum * sizeof(Elf64_Phdr);
	elfcorebuf_sz = elfcorebuf_sz_orig;
	elfcorebuf = vmcore_alloc_buf(elfcorebuf_sz_orig); /* __get_free_pages(__GFP_ZERO) */
	if (!elfcorebuf)
		return -ENOMEM;
	addr = elfcorehdr_addr;
	rc = (int)elfcorehdr_read(elfcorebuf, elfcorebuf_sz_orig, &addr);
	if (rc < 0)
		return rc;

	/* Merge all PT_NOTE headers into one. */
	rc = merge_note_headers_elf64(elfcorebuf, &elfcorebuf_sz, &elfnotes_buf, &elfnotes_sz);
	if (rc)
		return rc;
	rc = process_ptload_program_headers_elf64(elfcorebuf, elfcorebuf_sz, elfnotes_sz);
	if (rc)
		return rc;
	set_vmcore_list_offsets(elfcorebuf_sz, elfnotes_sz);
	return 0;
}

static int parse_crash_elf_headers(void)
{
	unsigned char e_ident[EI_NIDENT];
	u64 addr;
	int rc = 0;

	addr = elfcorehdr_addr;
	rc = (int)elfcorehdr_read((char *)e_ident, EI_NIDENT, &addr);
	if (rc < 0)
		return rc;
	if (memcmp(e_ident, ELFMAG, SELFMAG) != 0) {
		pr_warn("Warning: Core image elf header not found\n");
		return -EINVAL;
	}

	if (e_ident[EI_CLASS] == ELFCLASS64) {
		rc = parse_crash_elf64_headers();
		if (rc)
			return rc;
	} else {
		/* ELFCLASS32 cores (i386, arm) are not produced by this simulator. */
		pr_warn("Warning: Core image elf header is not sane\n");
		return -EINVAL;
	}

	/* Determine vmcore size. */
	vmcore_size = get_vmcore_size(elfcorebuf_sz, elfnotes_sz);

	return 0;
}

/* Read from the ELF header and then the crash dump. On error, negative value is returned
 * otherwise number of bytes read are returned. */
static ssize_t vmcore_read(struct file *file, char *buffer, size_t buflen, loff_t *fpos)
{
	ssize_t acc = 0, tmp;
	size_t tsz;
	u64 start;
	(void)file;

	if ((u64)buflen == 0 || (u64)*fpos >= vmcore_size)
		return 0;

	/* trim buflen to not go beyond EOF */
	if (buflen > vmcore_size - (u64)*fpos)
		buflen = (size_t)(vmcore_size - (u64)*fpos);

	/* Read ELF core header */
	if ((u64)*fpos < elfcorebuf_sz) {
		tsz = min(elfcorebuf_sz - (size_t)*fpos, buflen);
		memcpy(buffer, elfcorebuf + *fpos, tsz);
		buflen -= tsz;
		*fpos += (loff_t)tsz;
		buffer += tsz;
		acc += (ssize_t)tsz;

		/* leave now if filled buffer already */
		if (buflen == 0)
			return acc;
	}

	/* Read ELF note segment */
	if ((u64)*fpos < elfcorebuf_sz + elfnotes_sz) {
		tsz = min(elfcorebuf_sz + elfnotes_sz - (size_t)*fpos, buflen);
		memcpy(buffer, elfnotes_buf + *fpos - elfcorebuf_sz, tsz);
		buflen -= tsz;
		*fpos += (loff_t)tsz;
		buffer += tsz;
		acc += (ssize_t)tsz;

		/* leave now if filled buffer already */
		if (buflen == 0)
			return acc;
	}

	for (unsigned int i = 0; i < vmcore_nr; i++) {
		struct vmcore_range *m = &vmcore_list[i];
		if (*fpos < m->offset + (loff_t)m->size) {
			tsz = (size_t)min((u64)(m->offset + (loff_t)m->size - *fpos), (u64)buflen);
			start = m->paddr + (u64)(*fpos - m->offset);
			tmp = read_from_oldmem(buffer, tsz, &start);
			if (tmp < 0)
				return tmp;
			buflen -= tsz;
			*fpos += (loff_t)tsz;
			buffer += tsz;
			acc += (ssize_t)tsz;

			/* leave now if filled buffer already */
			if (buflen == 0)
				return acc;
		}
	}

	return acc;
}

/*
 * sendfile(2) source: describe [*fpos, *fpos + len) as physical ranges (the header and note
 * buffers are kernel memory: virt_to_phys; the chunks are old memory) and queue each on the
 * sink. Nothing is copied by the CPU.
 */
static ssize_t vmcore_splice_read_phys(struct file *in, loff_t *fpos, size_t len,
                                       struct file *out, loff_t *out_pos)
{
	int (*sink)(struct file *, phys_addr_t, size_t, loff_t *) = out->f_op->splice_write_phys;
	size_t done = 0;
	(void)in;

	if ((u64)*fpos >= vmcore_size || !len)
		return 0;
	if (len > vmcore_size - (u64)*fpos)
		len = (size_t)(vmcore_size - (u64)*fpos);

	while (done < len) {
		u64 pos = (u64)*fpos;
		phys_addr_t pa;
		u64 avail;
		if (pos < elfcorebuf_sz) {
			pa = virt_to_phys(elfcorebuf + pos);
			avail = elfcorebuf_sz - pos;
		} else if (pos < elfcorebuf_sz + elfnotes_sz) {
			pa = virt_to_phys(elfnotes_buf + (pos - elfcorebuf_sz));
			avail = elfcorebuf_sz + elfnotes_sz - pos;
		} else {
			unsigned int i;
			for (i = 0; i < vmcore_nr; i++)
				if ((loff_t)pos < vmcore_list[i].offset + (loff_t)vmcore_list[i].size)
					break;
			if (i == vmcore_nr)
				break;
			pa = vmcore_list[i].paddr + (pos - (u64)vmcore_list[i].offset);
			avail = (u64)vmcore_list[i].offset + vmcore_list[i].size - pos;
		}
		size_t tsz = (size_t)min(avail, (u64)(len - done));
		int err = sink(out, pa, tsz, out_pos);
		if (err)
			return done ? (ssize_t)done : err;
		*fpos += (loff_t)tsz;
		done += tsz;
	}
	return (ssize_t)done;
}

static const struct file_operations vmcore_fops = {
	.read = vmcore_read,
	.splice_read_phys = vmcore_splice_read_phys,
};

/* Init function for vmcore module (fs_initcall). */
int vmcore_init(void)
{
	int rc = 0;

	/* If elfcorehdr= has been passed in cmdline or created in 2nd kernel, then capture the
	 * dump. */
	if (!(is_vmcore_usable()))
		return rc;
	rc = parse_crash_elf_headers();
	if (rc) {
		pr_warn("not initialized\n");
		return rc;
	}
	elfcorehdr_addr = ELFCORE_ADDR_ERR;

	fs_register_node("/proc/vmcore", 0400, &vmcore_fops, NULL);
	kdsim_stage(STAGE_VMCORE_INIT, vmcore_size, vmcore_nr);
	return 0;
}
