/* SPDX-License-Identifier: MIT */
/*
 * User-memory access (common/mm/uaccess.c). Mirrors include/linux/uaccess.h, but instead of
 * exception fixups every range is checked against current->mm's VMAs first, so a bad pointer
 * gives -EFAULT and never faults in the kernel.
 */
#ifndef KERNEL_UACCESS_H
#define KERNEL_UACCESS_H

#include <kernel/types.h>

/* True when [addr, addr + size) lies inside user VMAs with the required protection. */
bool access_ok(const void __user *addr, size_t size, unsigned int prot);
/* Return the number of bytes NOT copied (0 on success), like Linux. */
unsigned long copy_from_user(void *to, const void __user *from, unsigned long n);
unsigned long copy_to_user(void __user *to, const void *from, unsigned long n);
/* Copy a NUL-terminated string: length without NUL, -EFAULT, or -ENAMETOOLONG if none in count. */
long strncpy_from_user(char *dst, const char __user *src, long count);

/*
 * Physical address behind a user VA (VMAs are physically contiguous) and how many bytes from
 * there stay inside the same VMA (*contig; 0 when unmapped). For drivers that DMA into user
 * memory after access_ok().
 */
phys_addr_t user_virt_to_phys(const void __user *addr, size_t *contig);

#endif /* KERNEL_UACCESS_H */
