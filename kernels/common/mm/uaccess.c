// SPDX-License-Identifier: MIT
/*
 * User copies checked against the current process's VMAs (see kernel/uaccess.h). The user
 * address space is live in the MMU while a syscall runs, so after the check the copy is a
 * plain memcpy.
 */
#include <kernel/uaccess.h>
#include <kernel/arch.h>
#include <kernel/sched.h>
#include <kernel/string.h>
#include <asm/memory.h>
#include <asm-generic/errno-base.h>

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	if (!mm)
		return NULL;
	for (unsigned int i = 0; i < mm->map_count; i++) {
		struct vm_area_struct *vma = &mm->mmap[i];
		if (addr >= vma->vm_start && addr < vma->vm_end)
			return vma;
	}
	return NULL;
}

bool access_ok(const void __user *addr, size_t size, unsigned int prot)
{
	unsigned long start = (unsigned long)addr;
	if (size == 0)
		return true;
	if (start >= TASK_SIZE || size > TASK_SIZE - start)
		return false;
	unsigned long end = start + size;
	/* Walk VMA by VMA: a range may span adjacent mappings. */
	while (start < end) {
		struct vm_area_struct *vma = find_vma(current->mm, start);
		if (!vma || (vma->vm_prot & prot) != prot)
			return false;
		start = vma->vm_end;
	}
	return true;
}

unsigned long copy_from_user(void *to, const void __user *from, unsigned long n)
{
	if (!access_ok(from, n, USER_PROT_READ))
		return n;
	memcpy(to, (const void *)from, n);
	return 0;
}

unsigned long copy_to_user(void __user *to, const void *from, unsigned long n)
{
	if (!access_ok(to, n, USER_PROT_WRITE))
		return n;
	memcpy((void *)to, from, n);
	return 0;
}

long strncpy_from_user(char *dst, const char __user *src, long count)
{
	for (long i = 0; i < count; i++) {
		if (!access_ok(src + i, 1, USER_PROT_READ))
			return -EFAULT;
		dst[i] = src[i];
		if (!dst[i])
			return i;
	}
	return -ENAMETOOLONG;
}

phys_addr_t user_virt_to_phys(const void __user *addr, size_t *contig)
{
	struct vm_area_struct *vma = find_vma(current->mm, (unsigned long)addr);
	if (!vma) {
		*contig = 0;
		return 0;
	}
	unsigned long off = (unsigned long)addr - vma->vm_start;
	*contig = vma->vm_end - (unsigned long)addr;
	return vma->vm_phys + off;
}
