/* SPDX-License-Identifier: MIT */
/* arm64 part: putchar to a byte sink, the entry/dtb lines kexec-tools' arm64 purgatory prints. */
#include "../../purgatory.h"

#pragma GCC visibility push(hidden)
extern uint64_t arm64_kernel_entry; /* entry.S */
extern uint64_t arm64_dtb_addr;     /* entry.S */
#pragma GCC visibility pop

/* MMIO byte address putchar stores to (kexec-tools --serial's iomem_base); 0 = silent. */
__attribute__((section(".data"))) uint64_t arm64_sink;

void putchar(int ch)
{
	uint64_t sink = arm64_sink;
	if (sink == 0)
		return;
	/* One byte store, no status polling; '\n' is followed by '\r' (as kexec-tools). */
	*(volatile uint8_t *)(uintptr_t)sink = (uint8_t)ch;
	if (ch == '\n')
		*(volatile uint8_t *)(uintptr_t)sink = '\r';
}

void setup_arch(void)
{
	print_str("purgatory: entry=");
	print_hex(arm64_kernel_entry, 16);
	print_str("\npurgatory: dtb=");
	print_hex(arm64_dtb_addr, 16);
	putchar('\n');
}

void post_verification_setup_arch(void)
{
	print_str("purgatory: booting kernel now\n");
}

void arch_entry_stage_args(uint64_t *entry, uint64_t *boot_arg)
{
	*entry = arm64_kernel_entry;
	*boot_arg = arm64_dtb_addr;
}
