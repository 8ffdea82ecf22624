// SPDX-License-Identifier: MIT
/*
 * kexec_load(2) (mirrors kernel/kexec.c: kimage_alloc_init, do_kexec_load,
 * kexec_load_check, SYSCALL_DEFINE4(kexec_load)). Every check runs in Linux's order with
 * Linux's errno (linux-kexec.md 1.2-1.4).
 */
#define pr_fmt(fmt) "kexec: " fmt

#include <kernel/kexec.h>
#include <kernel/arch.h>
#include <kernel/crash_reserve.h>
#include <kernel/printk.h>
#include <kernel/security.h>
#include <kernel/string.h>
#include <kernel/uaccess.h>
#include <asm/memory.h>
#include <asm-generic/errno-base.h>

static int kimage_alloc_init(struct kimage **rimage, unsigned long entry,
                             unsigned long nr_segments, struct kexec_segment *segments,
                             unsigned long flags)
{
	int ret;
	struct kimage *image;
	bool kexec_on_panic = flags & KEXEC_ON_CRASH;

	if (kexec_on_panic) {
		/* Verify we have a valid entry point */
		if ((entry < crashk_res.start) || (entry > crashk_res.end))
			return -EADDRNOTAVAIL;
	}

	/* Allocate and initialize a controlling structure */
	image = do_kimage_alloc_init();
	if (!image)
		return -ENOMEM;

	image->start = entry;
	image->nr_segments = nr_segments;
	memcpy(image->segment, segments, nr_segments * sizeof(*segments));

	if (kexec_on_panic) {
		/* Enable special crash kernel control page alloc policy. */
		image->control_page = crashk_res.start;
		image->type = KEXEC_TYPE_CRASH;
	}

	ret = sanity_check_segment_list(image);
	if (ret)
		goto out_free_image;

	/*
	 * Find a location for the control code buffer, and add it the vector of segments so that
	 * it's pages will also be counted as destination pages.
	 */
	ret = -ENOMEM;
	image->control_code_page = kimage_alloc_control_pages(image, 0 /* get_order(4096) */);
	if (!image->control_code_page) {
		pr_err("Could not allocate control_code_buffer\n");
		goto out_free_image;
	}

	if (!kexec_on_panic) {
		image->swap_page = kimage_alloc_control_pages(image, 0);
		if (!image->swap_page) {
			pr_err("Could not allocate swap buffer\n");
			goto out_free_image;
		}
	}

	*rimage = image;
	return 0;
out_free_image:
	kimage_free(image); /* Linux: kimage_free_page_list(&control_pages) + kfree(image) */
	return ret;
}

static int do_kexec_load(unsigned long entry, unsigned long nr_segments,
                         struct kexec_segment *segments, unsigned long flags)
{
	struct kimage **dest_image, *image;
	unsigned long i;
	int ret;

	/*
	 * Because we write directly to the reserved memory region when loading crash kernels we
	 * need a serialization here to prevent multiple crash kernels from attempting to load
	 * simultaneously.
	 */
	if (!kexec_trylock())
		return -EBUSY;

	if (flags & KEXEC_ON_CRASH)
		dest_image = &kexec_crash_image; /* arch_kexec_unprotect_crashkres(): nothing here */
	else
		dest_image = &kexec_image;

	if (nr_segments == 0) {
		/* Uninstall image */
		image = *dest_image;
		*dest_image = NULL;
		kimage_free(image);
		ret = 0;
		goto out_unlock;
	}
	if (flags & KEXEC_ON_CRASH) {
		/*
		 * Loading another kernel to switch to if this one crashes. Free any current crash
		 * dump kernel before we corrupt it.
		 */
		image = kexec_crash_image;
		kexec_crash_image = NULL;
		kimage_free(image);
	}

	image = NULL;
	ret = kimage_alloc_init(&image, entry, nr_segments, segments, flags);
	if (ret)
		goto out_unlock;

	if (flags & KEXEC_PRESERVE_CONTEXT)
		image->preserve_context = 1;

	ret = machine_kexec_prepare(image);
	if (ret)
		goto out;

	/*
	 * Some architecture(like S390) may touch the crash memory before
	 * machine_kexec_prepare(), we must copy vmcoreinfo data after it.
	 */
	ret = kimage_crash_copy_vmcoreinfo(image);
	if (ret)
		goto out;

	for (i = 0; i < nr_segments; i++) {
		ret = kimage_load_segment(image, (int)i);
		if (ret)
			goto out;
	}

	kimage_terminate(image);

	ret = machine_kexec_post_load(image);
	if (ret)
		goto out;

	/* Install the new kernel and uninstall the old */
	{
		struct kimage *old = *dest_image;
		*dest_image = image;
		image = old;
	}

out:
	/* arch_kexec_protect_crashkres(): nothing here (the linear map stays). */
	kimage_free(image);
out_unlock:
	kexec_unlock();
	return ret;
}

/*
 * Exec Kernel system call: for obvious reasons only root may call it.
 *
 * This call breaks up into three pieces.
 * - A generic part which loads the new kernel from the current address space, and very
 *   carefully places the data in the allocated pages.
 * - A generic part that interacts with the kernel and tells all of the devices to shut down.
 *   Preventing on-going dmas, and placing the devices in a consistent state so a later
 *   kernel can reinitialize them.
 * - A machine specific part that includes the syscall number and then copies the image to
 *   it's final destination. And jumps into the image at entry.
 */
static inline int kexec_load_check(unsigned long nr_segments, unsigned long flags)
{
	int image_type = (flags & KEXEC_ON_CRASH) ? KEXEC_TYPE_CRASH : KEXEC_TYPE_DEFAULT;

	/* We only trust the superuser with rebooting the system. */
	if (!kexec_load_permitted(image_type))
		return -EPERM;

	/*
	 * security_kernel_load_data(): no LSM here. kexec can be used to circumvent module
	 * loading restrictions, so a locked-down kernel refuses it.
	 */
	int result = security_locked_down(LOCKDOWN_KEXEC);
	if (result)
		return result;

	/*
	 * Verify we have a legal set of flags
	 * This leaves us room for future extensions.
	 */
	if ((flags & KEXEC_FLAGS) != (flags & ~KEXEC_ARCH_MASK))
		return -EINVAL;

	/* Put an artificial cap on the number of segments passed to kexec_load. */
	if (nr_segments > KEXEC_SEGMENT_MAX)
		return -EINVAL;

	return 0;
}

long sys_kexec_load(unsigned long entry, unsigned long nr_segments,
                    const void __user *segments, unsigned long flags)
{
	struct kexec_segment ksegments[KEXEC_SEGMENT_MAX];
	long result;

	result = kexec_load_check(nr_segments, flags);
	if (result)
		return result;

	/* Verify we are on the appropriate architecture */
	if (((flags & KEXEC_ARCH_MASK) != KEXEC_ARCH) &&
	    ((flags & KEXEC_ARCH_MASK) != KEXEC_ARCH_DEFAULT))
		return -EINVAL;

	/* memdup_array_user(): the user layout is {buf, bufsz, mem, memsz}, 32 bytes. */
	_Static_assert(sizeof(struct kexec_segment) == 32, "struct kexec_segment is 32 bytes");
	if (copy_from_user(ksegments, segments, nr_segments * sizeof(ksegments[0])))
		return -EFAULT;

	return do_kexec_load(entry, nr_segments, ksegments, flags);
}
