// SPDX-License-Identifier: MIT
/*
 * Load a static ELF executable into a fresh mm (mirrors load_elf_binary() in
 * fs/binfmt_elf.c, reduced): each PT_LOAD gets physically contiguous zeroed pages, its file
 * bytes are copied in, and it is mapped with the segment's protections; then a stack with
 * Linux's initial layout (argc, argv, envp, auxv) is built below USER_STACK_TOP.
 */
#include <kernel/binfmts.h>
#include <kernel/arch.h>
#include <kernel/memblock.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/string.h>
#include <asm/elf.h>
#include <asm/memory.h>
#include <asm-generic/errno-base.h>

#define AT_NULL 0
#define AT_PAGESZ 6

static int add_vma(struct mm_struct *mm, unsigned long start, unsigned long end,
                   phys_addr_t phys, unsigned int prot)
{
	if (mm->map_count >= MM_MAX_VMAS)
		return -ENOMEM;
	for (unsigned int i = 0; i < mm->map_count; i++)
		if (start < mm->mmap[i].vm_end && mm->mmap[i].vm_start < end)
			return -EINVAL;
	mm->mmap[mm->map_count++] = (struct vm_area_struct){
		.vm_start = start, .vm_end = end, .vm_phys = phys, .vm_prot = prot
	};
	/* Every page is backed at once (no demand paging): anonymous and resident. */
	mm->total_vm += (end - start) >> PAGE_SHIFT;
	mm->rss_stat.count[MM_ANONPAGES].counter += (long)((end - start) >> PAGE_SHIFT);
	return arch_map_user_range(mm, start, phys, end - start, prot);
}

static unsigned int elf_prot(u32 p_flags)
{
	unsigned int prot = 0;
	if (p_flags & PF_R)
		prot |= USER_PROT_READ;
	if (p_flags & PF_W)
		prot |= USER_PROT_WRITE;
	if (p_flags & PF_X)
		prot |= USER_PROT_EXEC;
	return prot;
}

static int check_ehdr(const Elf64_Ehdr *eh, size_t size)
{
	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return -ENOEXEC;
	if (eh->e_type != ET_EXEC || eh->e_machine != ELF_ARCH ||
	    eh->e_phentsize != sizeof(Elf64_Phdr))
		return -ENOEXEC;
	if (eh->e_phoff > size || (size - eh->e_phoff) / sizeof(Elf64_Phdr) < eh->e_phnum)
		return -ENOEXEC;
	return 0;
}

static int load_segment(struct mm_struct *mm, const char *file, size_t size,
                        const Elf64_Phdr *ph)
{
	if (ph->p_offset > size || ph->p_filesz > size - ph->p_offset ||
	    ph->p_filesz > ph->p_memsz || (ph->p_vaddr & (PAGE_SIZE - 1)) != (ph->p_offset & (PAGE_SIZE - 1)))
		return -ENOEXEC;
	unsigned long start = ph->p_vaddr & PAGE_MASK;
	if (ph->p_vaddr >= TASK_SIZE || ph->p_memsz > TASK_SIZE - ph->p_vaddr)
		return -EINVAL;
	unsigned long end = ALIGN(ph->p_vaddr + ph->p_memsz, PAGE_SIZE);
	phys_addr_t pa = memblock_phys_alloc(end - start, PAGE_SIZE);
	if (!pa)
		return -ENOMEM;
	char *kva = phys_to_virt(pa);
	/* Zero only what the file does not cover: every guest store is expensive. */
	unsigned long head = ph->p_vaddr - start;
	memset(kva, 0, head);
	memcpy(kva + head, file + ph->p_offset, ph->p_filesz);
	memset(kva + head + ph->p_filesz, 0, (end - start) - head - ph->p_filesz);
	return add_vma(mm, start, end, pa, elf_prot(ph->p_flags));
}

/* Linux's initial stack: argc, argv[], NULL, envp[] = { NULL }, auxv, then the strings. */
static int setup_stack(struct mm_struct *mm, struct linux_binprm *bprm)
{
	unsigned long start = USER_STACK_TOP - USER_STACK_SIZE;
	phys_addr_t pa = memblock_phys_alloc(USER_STACK_SIZE, PAGE_SIZE);
	if (!pa)
		return -ENOMEM;
	int err = add_vma(mm, start, USER_STACK_TOP, pa, USER_PROT_READ | USER_PROT_WRITE);
	if (err)
		return err;
	mm->start_stack = USER_STACK_TOP;

	/* Only the top page is written: the rest stays as the allocator left it (zeroed below). */
	char *top_page = (char *)phys_to_virt(pa + USER_STACK_SIZE - PAGE_SIZE);
	memset(top_page, 0, PAGE_SIZE);
	memset(phys_to_virt(pa), 0, USER_STACK_SIZE - PAGE_SIZE);

	size_t name_len = strlen(bprm->filename) + 1;
	unsigned long str_va = ALIGN_DOWN(USER_STACK_TOP - name_len, 16);
	memcpy(top_page + (str_va - (USER_STACK_TOP - PAGE_SIZE)), bprm->filename, name_len);

	const u64 words[] = { 1, str_va, 0, 0, AT_PAGESZ, PAGE_SIZE, AT_NULL, 0 };
	unsigned long sp = ALIGN_DOWN(str_va - sizeof(words), 16);
	memcpy(top_page + (sp - (USER_STACK_TOP - PAGE_SIZE)), words, sizeof(words));
	bprm->sp = sp;
	return 0;
}

int load_elf_binary(struct linux_binprm *bprm, struct mm_struct *mm)
{
	const Elf64_Ehdr *eh = bprm->image;
	int err = check_ehdr(eh, bprm->size);
	if (err)
		return err;
	const Elf64_Phdr *phdrs = (const Elf64_Phdr *)((const char *)bprm->image + eh->e_phoff);
	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		if (phdrs[i].p_type != PT_LOAD)
			continue;
		err = load_segment(mm, bprm->image, bprm->size, &phdrs[i]);
		if (err)
			return err;
		if (phdrs[i].p_flags & PF_X) {
			mm->start_code = phdrs[i].p_vaddr;
			mm->end_code = phdrs[i].p_vaddr + phdrs[i].p_memsz;
		}
	}
	if (!find_vma(mm, eh->e_entry))
		return -ENOEXEC;
	bprm->entry = eh->e_entry;
	return setup_stack(mm, bprm);
}
