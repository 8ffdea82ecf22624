// SPDX-License-Identifier: MIT
/*
 * kexec core (mirrors kernel/kexec_core.c): the kimage, sanity_check_segment_list(), control
 * pages, the IND_* entry list, segment loading for normal and crash images, kimage_free(),
 * kernel_kexec().
 *
 * Pages: Linux's buddy allocator is memblock here (alloc = top-down reserve, free = give the
 * range back). A "struct page" is its physical address; page lists (dest_pages,
 * unusable_pages) are threaded through the free pages' first word.
 */
#define pr_fmt(fmt) "kexec_core: " fmt

#include <kernel/kexec.h>
#include <kernel/arch.h>
#include <kernel/crash_core.h>
#include <kernel/crash_reserve.h>
#include <kernel/memblock.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/uaccess.h>
#include <asm/memory.h>
#include <asm-generic/errno-base.h>

#define KIMAGE_NO_DEST (-1UL)
#define PAGE_COUNT(x) (((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)

struct kimage *kexec_image;
struct kimage *kexec_crash_image;
static bool kexec_lock;

/* Linux: kexec_load_disabled and the kexec_load_limit_{reboot,panic} sysctls (-1 = no limit). */
static int kexec_load_disabled;
static int kexec_load_limit_reboot = -1;
static int kexec_load_limit_panic = -1;

bool kexec_trylock(void)
{
	if (kexec_lock)
		return false;
	kexec_lock = true;
	return true;
}

void kexec_unlock(void)
{
	kexec_lock = false;
}

bool kexec_load_permitted(int kexec_image_type)
{
	int *limit = kexec_image_type == KEXEC_TYPE_CRASH ? &kexec_load_limit_panic
	                                                   : &kexec_load_limit_reboot;
	/* Only the superuser can use the kexec syscall and if it has not been disabled (init
	 * runs as root: CAP_SYS_BOOT). */
	if (kexec_load_disabled)
		return false;
	/* Check limit counter and decrease it.*/
	if (*limit == 0)
		return false;
	if (*limit != -1)
		(*limit)--;
	return true;
}

/* ---- pages ---- */

static phys_addr_t kimage_alloc_pages(unsigned int order)
{
	phys_addr_t size = PAGE_SIZE << order;
	return memblock_phys_alloc(size, size);
}

static void kimage_free_pages(phys_addr_t page, unsigned int order)
{
	memblock_phys_free(page, PAGE_SIZE << order);
}

static void page_list_add(phys_addr_t *list, phys_addr_t page)
{
	*(phys_addr_t *)phys_to_virt(page) = *list;
	*list = page;
}

static void kimage_free_page_list(phys_addr_t *list)
{
	while (*list) {
		phys_addr_t page = *list;
		*list = *(phys_addr_t *)phys_to_virt(page);
		kimage_free_pages(page, 0);
	}
}

kimage_entry_t *kimage_next_entry(kimage_entry_t *ptr, kimage_entry_t entry)
{
	return (entry & IND_INDIRECTION) ? phys_to_virt(entry & PAGE_MASK) : ptr + 1;
}

/* ---- the kimage ---- */

struct kimage *do_kimage_alloc_init(void)
{
	phys_addr_t pa = kimage_alloc_pages(0);
	struct kimage *image;

	_Static_assert(sizeof(struct kimage) <= PAGE_SIZE, "kimage must fit a page");
	if (!pa)
		return NULL;
	image = phys_to_virt(pa);
	memset(image, 0, sizeof(*image));
	image->head = 0;
	image->entry = &image->head;
	image->last_entry = &image->head;
	image->control_page = ~0UL; /* By default this does not apply */
	image->type = KEXEC_TYPE_DEFAULT;
	return image;
}

static void kimage_free_struct(struct kimage *image)
{
	kimage_free_pages(virt_to_phys(image), 0);
}

int sanity_check_segment_list(struct kimage *image)
{
	unsigned long i;
	unsigned long nr_segments = image->nr_segments;
	unsigned long total_pages = 0;
	unsigned long nr_pages = totalram_pages();

	/*
	 * Verify we have good destination addresses. The caller is responsible for making
	 * certain we don't attempt to load the new image into invalid or reserved areas of RAM.
	 * This just verifies it is an address we can use.
	 *
	 * Since the kernel does everything in page size chunks ensure the destination addresses
	 * are page aligned.
	 */
	for (i = 0; i < nr_segments; i++) {
		unsigned long mstart, mend;

		mstart = image->segment[i].mem;
		mend = mstart + image->segment[i].memsz;
		if (mstart > mend)
			return -EADDRNOTAVAIL;
		if ((mstart & ~PAGE_MASK) || (mend & ~PAGE_MASK))
			return -EADDRNOTAVAIL;
		if (mend >= KEXEC_DESTINATION_MEMORY_LIMIT)
			return -EADDRNOTAVAIL;
	}

	/* Verify our destination addresses do not overlap. */
	for (i = 0; i < nr_segments; i++) {
		unsigned long mstart, mend;
		unsigned long j;

		mstart = image->segment[i].mem;
		mend = mstart + image->segment[i].memsz;
		for (j = 0; j < i; j++) {
			unsigned long pstart, pend;

			pstart = image->segment[j].mem;
			pend = pstart + image->segment[j].memsz;
			/* Do the segments overlap ? */
			if ((mend > pstart) && (mstart < pend))
				return -EINVAL;
		}
	}

	/* Ensure our buffer sizes are strictly less than our memory sizes. */
	for (i = 0; i < nr_segments; i++) {
		if (image->segment[i].bufsz > image->segment[i].memsz)
			return -EINVAL;
	}

	/* Verify that no more than half of memory will be consumed. */
	for (i = 0; i < nr_segments; i++) {
		if (PAGE_COUNT(image->segment[i].memsz) > nr_pages / 2)
			return -EINVAL;

		total_pages += PAGE_COUNT(image->segment[i].memsz);
	}

	if (total_pages > nr_pages / 2)
		return -EINVAL;

	/*
	 * Crash kernels are preloaded into a reserved area of ram. We must ensure the addresses
	 * are in the reserved area otherwise preloading the kernel could corrupt things.
	 */
	if (image->type == KEXEC_TYPE_CRASH) {
		for (i = 0; i < nr_segments; i++) {
			unsigned long mstart, mend;

			mstart = image->segment[i].mem;
			mend = mstart + image->segment[i].memsz - 1;
			/* Ensure we are within the crash kernel limits */
			if ((mstart < crashk_res.start) || (mend > crashk_res.end))
				return -EADDRNOTAVAIL;
		}
	}

	/* accept_memory(): no unaccepted memory here. */
	return 0;
}

static int kimage_is_destination_range(struct kimage *image, unsigned long start,
                                       unsigned long end)
{
	unsigned long i;

	for (i = 0; i < image->nr_segments; i++) {
		unsigned long mstart, mend;

		mstart = image->segment[i].mem;
		mend = mstart + image->segment[i].memsz - 1;
		if ((end >= mstart) && (start <= mend))
			return 1;
	}

	return 0;
}

static phys_addr_t kimage_alloc_normal_control_pages(struct kimage *image, unsigned int order)
{
	phys_addr_t extra_pages[32];
	unsigned int nr_extra = 0;
	phys_addr_t pages;
	unsigned long count = 1UL << order;

	/* Loop while I can allocate a page and the page allocated is a destination page. */
	do {
		unsigned long pfn, epfn, addr, eaddr;

		pages = kimage_alloc_pages(order);
		if (!pages)
			break;
		pfn = pages >> PAGE_SHIFT;
		epfn = pfn + count;
		addr = pfn << PAGE_SHIFT;
		eaddr = (epfn << PAGE_SHIFT) - 1;
		if ((epfn >= (KEXEC_CONTROL_MEMORY_LIMIT >> PAGE_SHIFT)) ||
		    kimage_is_destination_range(image, addr, eaddr)) {
			if (nr_extra == ARRAY_SIZE(extra_pages)) {
				kimage_free_pages(pages, order);
				pages = 0;
				break;
			}
			extra_pages[nr_extra++] = pages;
			pages = 0;
		}
	} while (!pages);

	if (pages) {
		/* Remember the allocated page... */
		if (image->nr_control_pages < KIMAGE_MAX_CONTROL_PAGES)
			image->control_pages[image->nr_control_pages++] = pages;
	}
	/* Deal with the destination pages I have inadvertently allocated: just free them. */
	while (nr_extra)
		kimage_free_pages(extra_pages[--nr_extra], order);

	return pages;
}

static phys_addr_t kimage_alloc_crash_control_pages(struct kimage *image, unsigned int order)
{
	/*
	 * Control pages are special, they are the intermediaries that are needed while we copy
	 * the rest of the pages to their final resting place. Given the low demand this
	 * implements a very simple allocator that finds the first hole of the appropriate size
	 * in the reserved memory region, and allocates all of the memory up to and including the
	 * hole.
	 */
	unsigned long hole_start, hole_end, size;
	phys_addr_t pages = 0;

	size = (1UL << order) << PAGE_SHIFT;
	hole_start = ALIGN(image->control_page, size);
	hole_end = hole_start + size - 1;
	while (hole_end <= crashk_res.end) {
		unsigned long i;

		if (hole_end > KEXEC_CRASH_CONTROL_MEMORY_LIMIT)
			break;
		/* See if I overlap any of the segments */
		for (i = 0; i < image->nr_segments; i++) {
			unsigned long mstart, mend;

			mstart = image->segment[i].mem;
			mend = mstart + image->segment[i].memsz - 1;
			if ((hole_end >= mstart) && (hole_start <= mend)) {
				/* Advance the hole to the end of the segment */
				hole_start = ALIGN(mend, size);
				hole_end = hole_start + size - 1;
				break;
			}
		}
		/* If I don't overlap any segments I have found my hole! */
		if (i == image->nr_segments) {
			pages = hole_start;
			image->control_page = hole_end + 1;
			break;
		}
	}

	return pages;
}

phys_addr_t kimage_alloc_control_pages(struct kimage *image, unsigned int order)
{
	phys_addr_t pages = 0;

	switch (image->type) {
	case KEXEC_TYPE_DEFAULT:
		pages = kimage_alloc_normal_control_pages(image, order);
		break;
	case KEXEC_TYPE_CRASH:
		pages = kimage_alloc_crash_control_pages(image, order);
		break;
	}

	return pages;
}

int kimage_crash_copy_vmcoreinfo(struct kimage *image)
{
	phys_addr_t vmcoreinfo_page;
	void *safecopy;

	if (image->type != KEXEC_TYPE_CRASH)
		return 0;

	/*
	 * For kdump, allocate one vmcoreinfo safe copy from the crash memory. (Linux vmap()s it;
	 * the linear map covers the crash region here.)
	 */
	vmcoreinfo_page = kimage_alloc_control_pages(image, 0);
	if (!vmcoreinfo_page) {
		pr_warn("Could not allocate vmcoreinfo buffer\n");
		return -ENOMEM;
	}
	safecopy = phys_to_virt(vmcoreinfo_page);

	image->vmcoreinfo_data_copy = safecopy;
	crash_update_vmcoreinfo_safecopy(safecopy);

	return 0;
}

static int kimage_add_entry(struct kimage *image, kimage_entry_t entry);

static phys_addr_t kimage_alloc_page(struct kimage *image, unsigned long destination);

static int kimage_add_entry(struct kimage *image, kimage_entry_t entry)
{
	if (*image->entry != 0)
		image->entry++;

	if (image->entry == image->last_entry) {
		kimage_entry_t *ind_page;
		phys_addr_t page;

		page = kimage_alloc_page(image, KIMAGE_NO_DEST);
		if (!page)
			return -ENOMEM;

		ind_page = phys_to_virt(page);
		*image->entry = page | IND_INDIRECTION;
		image->entry = ind_page;
		image->last_entry = ind_page + ((PAGE_SIZE / sizeof(kimage_entry_t)) - 1);
	}
	*image->entry = entry;
	image->entry++;
	*image->entry = 0;

	return 0;
}

static int kimage_set_destination(struct kimage *image, unsigned long destination)
{
	destination &= PAGE_MASK;

	return kimage_add_entry(image, destination | IND_DESTINATION);
}

static int kimage_add_page(struct kimage *image, unsigned long page)
{
	page &= PAGE_MASK;

	return kimage_add_entry(image, page | IND_SOURCE);
}

static void kimage_free_extra_pages(struct kimage *image)
{
	/* Walk through and free any extra destination pages I may have */
	kimage_free_page_list(&image->dest_pages);

	/* Walk through and free any unusable pages I have cached */
	kimage_free_page_list(&image->unusable_pages);
}

void kimage_terminate(struct kimage *image)
{
	if (*image->entry != 0)
		image->entry++;

	*image->entry = IND_DONE;
}

static void kimage_free_entry(kimage_entry_t entry)
{
	kimage_free_pages(entry & PAGE_MASK, 0);
}

void kimage_free(struct kimage *image)
{
	kimage_entry_t *ptr, entry;
	kimage_entry_t ind = 0;

	if (!image)
		return;

	if (image->vmcoreinfo_data_copy)
		crash_update_vmcoreinfo_safecopy(NULL);

	kimage_free_extra_pages(image);
	for_each_kimage_entry(image, ptr, entry) {
		if (entry & IND_INDIRECTION) {
			/* Free the previous indirection page */
			if (ind & IND_INDIRECTION)
				kimage_free_entry(ind);
			/* Save this indirection page until we are done with it. */
			ind = entry;
		} else if (entry & IND_SOURCE) {
			kimage_free_entry(entry);
		}
	}
	/* Free the final indirection page */
	if (ind & IND_INDIRECTION)
		kimage_free_entry(ind);

	/* Free the kexec control pages... (crash images take theirs from the crash region) */
	while (image->nr_control_pages)
		kimage_free_pages(image->control_pages[--image->nr_control_pages], 0);

	kimage_free_struct(image);
}

static kimage_entry_t *kimage_dst_used(struct kimage *image, unsigned long page)
{
	kimage_entry_t *ptr, entry;
	unsigned long destination = 0;

	for_each_kimage_entry(image, ptr, entry) {
		if (entry & IND_DESTINATION) {
			destination = entry & PAGE_MASK;
		} else if (entry & IND_SOURCE) {
			if (page == destination)
				return ptr;
			destination += PAGE_SIZE;
		}
	}

	return NULL;
}

static phys_addr_t kimage_alloc_page(struct kimage *image, unsigned long destination)
{
	/*
	 * Here we implement safeguards to ensure that a source page is not copied to its
	 * destination page before the data on the destination page is no longer useful.
	 *
	 * To do this we maintain the invariant that a source page is either its own
	 * destination page, or it is not a destination page at all.
	 */
	phys_addr_t page, *link;
	unsigned long addr;

	/* Walk through the list of destination pages, and see if I have a match. */
	for (link = &image->dest_pages; *link; link = (phys_addr_t *)phys_to_virt(*link)) {
		if (*link == destination) {
			page = *link;
			*link = *(phys_addr_t *)phys_to_virt(page);
			return page;
		}
	}
	for (;;) {
		kimage_entry_t *old;

		/* Allocate a page, if we run out of memory give up */
		page = kimage_alloc_pages(0);
		if (!page)
			return 0;
		/* If the page cannot be used file it away */
		if ((page >> PAGE_SHIFT) > (KEXEC_SOURCE_MEMORY_LIMIT >> PAGE_SHIFT)) {
			page_list_add(&image->unusable_pages, page);
			continue;
		}
		addr = page;

		/* If it is the destination page we want use it */
		if (addr == destination)
			break;

		/* If the page is not a destination page use it */
		if (!kimage_is_destination_range(image, addr, addr + PAGE_SIZE - 1))
			break;

		/*
		 * I know that the page is someones destination page. See if there is already a
		 * source page for this destination page. And if so swap the source pages.
		 */
		old = kimage_dst_used(image, addr);
		if (old) {
			/* If so move it */
			unsigned long old_addr;

			old_addr = *old & PAGE_MASK;
			memcpy(phys_to_virt(page), phys_to_virt(old_addr), PAGE_SIZE);
			*old = addr | (*old & ~PAGE_MASK);

			/* The old page I have found cannot be a destination page, so return it. */
			page = old_addr;
			break;
		}
		/* Place the page on the destination list, to be used later */
		page_list_add(&image->dest_pages, page);
	}

	return page;
}

static int kimage_load_normal_segment(struct kimage *image, int idx)
{
	struct kexec_segment *segment = &image->segment[idx];
	unsigned long maddr;
	size_t ubytes, mbytes;
	int result;
	const unsigned char __user *buf = segment->buf;

	ubytes = segment->bufsz;
	mbytes = segment->memsz;
	maddr = segment->mem;

	result = kimage_set_destination(image, maddr);
	if (result < 0)
		goto out;

	while (mbytes) {
		phys_addr_t page;
		char *ptr;
		size_t uchunk, mchunk;

		page = kimage_alloc_page(image, maddr);
		if (!page) {
			result = -ENOMEM;
			goto out;
		}
		result = kimage_add_page(image, page);
		if (result < 0)
			goto out;

		ptr = phys_to_virt(page);
		/* Start with a clear page */
		memset(ptr, 0, PAGE_SIZE);
		ptr += maddr & ~PAGE_MASK;
		mchunk = min(mbytes, (size_t)(PAGE_SIZE - (maddr & ~PAGE_MASK)));
		uchunk = min(ubytes, mchunk);

		if (uchunk) {
			result = copy_from_user(ptr, buf, uchunk) ? 1 : 0;
			ubytes -= uchunk;
			buf += uchunk;
		}
		if (result) {
			result = -EFAULT;
			goto out;
		}
		maddr += mchunk;
		mbytes -= mchunk;
	}
out:
	return result;
}

static int kimage_load_crash_segment(struct kimage *image, int idx)
{
	/*
	 * For crash dumps kernels we simply copy the data from user space to it's destination.
	 * We do things a page at a time for the sake of kmap.
	 */
	struct kexec_segment *segment = &image->segment[idx];
	unsigned long maddr;
	size_t ubytes, mbytes;
	int result = 0;
	const unsigned char __user *buf = segment->buf;

	ubytes = segment->bufsz;
	mbytes = segment->memsz;
	maddr = segment->mem;
	while (mbytes) {
		char *ptr;
		size_t uchunk, mchunk;

		ptr = phys_to_virt(maddr & PAGE_MASK);
		ptr += maddr & ~PAGE_MASK;
		mchunk = min(mbytes, (size_t)(PAGE_SIZE - (maddr & ~PAGE_MASK)));
		uchunk = min(ubytes, mchunk);
		if (mchunk > uchunk) {
			/* Zero the trailing part of the page */
			memset(ptr + uchunk, 0, mchunk - uchunk);
		}

		if (uchunk) {
			result = copy_from_user(ptr, buf, uchunk) ? 1 : 0;
			ubytes -= uchunk;
			buf += uchunk;
		}
		if (result) {
			result = -EFAULT;
			goto out;
		}
		maddr += mchunk;
		mbytes -= mchunk;
	}
out:
	return result;
}

int kimage_load_segment(struct kimage *image, int idx)
{
	int result = -ENOMEM;

	switch (image->type) {
	case KEXEC_TYPE_DEFAULT:
		result = kimage_load_normal_segment(image, idx);
		break;
	case KEXEC_TYPE_CRASH:
		result = kimage_load_crash_segment(image, idx);
		break;
	}

	return result;
}

/*
 * Move into place and start executing a preloaded standalone executable. If nothing was
 * preloaded return an error.
 */
int kernel_kexec(void)
{
	int error = 0;

	if (!kexec_trylock())
		return -EBUSY;
	if (!kexec_image) {
		error = -EINVAL;
		goto Unlock;
	}

	/* kexec_in_progress, kernel_restart_prepare("kexec reboot"), migrate_to_reboot_cpu(),
	 * syscore_shutdown(): no devices or notifiers to shut down here. */
	pr_notice("Starting new kernel\n");
	machine_shutdown();

	machine_kexec(kexec_image);

Unlock:
	kexec_unlock();
	return error;
}
