/* SPDX-License-Identifier: MIT */
/*
 * kexec and kdump core (mirrors include/linux/kexec.h): struct kimage, the IND_* entry list,
 * the loaded images, and the arch hooks (declared in kernel/arch.h, implemented in
 * arch/<arch>/kernel/machine_kexec.c).
 *
 *   common/kernel/kexec.c       sys_kexec_load() -> do_kexec_load()          (kernel/kexec.c)
 *   common/kernel/kexec_core.c  kimage allocation, segment checks and loading,
 *                               kernel_kexec() for reboot(LINUX_REBOOT_CMD_KEXEC) (kernel/kexec_core.c)
 *   common/kernel/crash_core.c  crash_kexec()/__crash_kexec(), crash notes    (kernel/crash_core.c)
 */
#ifndef KERNEL_KEXEC_H
#define KERNEL_KEXEC_H

#ifndef __KERNEL__
#define __KERNEL__ 1 /* selects the kernel view of struct kexec_segment below */
#endif

#include <kernel/types.h>
#include <kernel/compiler.h>

struct pt_regs;
struct task_struct;

/*
 * Like Linux's Kconfig: an arch that implements the kdump hooks of kernel/arch.h builds with
 * -DCONFIG_KEXEC_CORE=1 -DCONFIG_CRASH_DUMP=1 and links ${KDSIM_KERNEL_KEXEC_SOURCES}
 * (kernels/CMakeLists.txt). Without it, the stubs at the end keep panic()/die() working.
 */
#ifdef CONFIG_KEXEC_CORE
#include <linux/kexec.h>
#include <asm/kexec.h>

/* KEXEC_FLAGS: the legal low bits of the kexec_load flags (no CONFIG_KEXEC_JUMP here). */
#define KEXEC_FLAGS (KEXEC_ON_CRASH | KEXEC_UPDATE_ELFCOREHDR | KEXEC_CRASH_HOTPLUG_SUPPORT)

/* The kernel's view of a segment (user buf, physical mem). */
struct kexec_segment {
	const void __user *buf;
	size_t bufsz;
	unsigned long mem;
	size_t memsz;
};

typedef unsigned long kimage_entry_t;

#define IND_DESTINATION_BIT 0
#define IND_INDIRECTION_BIT 1
#define IND_DONE_BIT 2
#define IND_SOURCE_BIT 3
#define IND_DESTINATION (1 << IND_DESTINATION_BIT)
#define IND_INDIRECTION (1 << IND_INDIRECTION_BIT)
#define IND_DONE (1 << IND_DONE_BIT)
#define IND_SOURCE (1 << IND_SOURCE_BIT)
#define IND_FLAGS (IND_DESTINATION | IND_INDIRECTION | IND_DONE | IND_SOURCE)

#define KEXEC_TYPE_DEFAULT 0
#define KEXEC_TYPE_CRASH 1

/*
 * Most control pages a normal image remembers for kimage_free(): the control code page, the
 * swap page and, on x86_64, the identity page table (alloc_pgt_page(): PML4, PUDs, one PD per
 * GiB of RAM, the MMIO window and the transition mapping). Pages beyond this are not freed.
 */
#define KIMAGE_MAX_CONTROL_PAGES 16

struct kimage {
	kimage_entry_t head;
	kimage_entry_t *entry;
	kimage_entry_t *last_entry;

	unsigned long start; /* entry point (kexec_load: the purgatory) */
	phys_addr_t control_code_page;
	phys_addr_t swap_page;
	void *vmcoreinfo_data_copy; /* crash images: the VMCOREINFO safe copy in crash memory */

	unsigned long nr_segments;
	struct kexec_segment segment[KEXEC_SEGMENT_MAX];

	/* Linux keeps struct page lists; here: control pages in an array, the two page lists
	 * threaded through the (otherwise unused) pages themselves (first word = next PA). */
	phys_addr_t control_pages[KIMAGE_MAX_CONTROL_PAGES];
	unsigned int nr_control_pages;
	phys_addr_t dest_pages;     /* allocated pages that are some segment's destination */
	phys_addr_t unusable_pages; /* pages above KEXEC_SOURCE_MEMORY_LIMIT */

	/* Address used to allocate the next crash control page (crash images). */
	unsigned long control_page;

	unsigned int type : 1;
	unsigned int preserve_context : 1;

	struct kimage_arch arch;
};

extern struct kimage *kexec_image;
extern struct kimage *kexec_crash_image;

/* kexec_trylock()/kexec_unlock(): the single global kexec lock (an atomic in Linux). */
bool kexec_trylock(void);
void kexec_unlock(void);

/* kernel/kexec_core.c */
struct kimage *do_kimage_alloc_init(void);
int sanity_check_segment_list(struct kimage *image);
phys_addr_t kimage_alloc_control_pages(struct kimage *image, unsigned int order);
int kimage_crash_copy_vmcoreinfo(struct kimage *image);
int kimage_load_segment(struct kimage *image, int idx);
void kimage_terminate(struct kimage *image);
void kimage_free(struct kimage *image);
bool kexec_load_permitted(int kexec_image_type);
/* reboot(LINUX_REBOOT_CMD_KEXEC): returns only on error (-EBUSY, -EINVAL). */
int kernel_kexec(void);

/* Walk the entry list (Linux's for_each_kimage_entry). */
kimage_entry_t *kimage_next_entry(kimage_entry_t *ptr, kimage_entry_t entry);
#define for_each_kimage_entry(image, ptr, entry)                                      \
	for (ptr = &(image)->head; (entry = *ptr) && !(entry & IND_DONE);             \
	     ptr = kimage_next_entry(ptr, entry))

/* kernel/kexec.c */
long sys_kexec_load(unsigned long entry, unsigned long nr_segments,
                    const void __user *segments, unsigned long flags);

/* kernel/crash_core.c */
/* Called by panic() with regs == NULL (kernel/panic.c). Returns only if no crash kernel. */
void __crash_kexec(struct pt_regs *regs);
/* Called by die() with the faulting regs when kexec_should_crash(current). */
void crash_kexec(struct pt_regs *regs);
/* Linux: in interrupt, pid 0, init, or panic_on_oops. */
bool kexec_should_crash(struct task_struct *p);
bool kexec_crash_loaded(void);

#else /* !CONFIG_KEXEC_CORE */

static inline void __crash_kexec(struct pt_regs *regs)
{
	(void)regs;
}
static inline void crash_kexec(struct pt_regs *regs)
{
	(void)regs;
}
static inline bool kexec_should_crash(struct task_struct *p)
{
	(void)p;
	return false;
}

#endif /* CONFIG_KEXEC_CORE */

#endif /* KERNEL_KEXEC_H */
