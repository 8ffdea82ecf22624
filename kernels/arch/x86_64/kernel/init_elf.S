/* SPDX-License-Identifier: MIT */
/*
 * The user-mode init program (kernels/init/, linked separately) embedded in the kernel image,
 * like a one-file initramfs. KDSIM_INIT_ELF is the path of init.elf, set by kernels/CMakeLists.txt.
 */
	.section ".rodata.initramfs", "a"
	.balign	16
	.globl	__initramfs_init_start
__initramfs_init_start:
	.incbin	KDSIM_INIT_ELF
	.globl	__initramfs_init_end
__initramfs_init_end:
