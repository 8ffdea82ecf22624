/* SPDX-License-Identifier: MIT */
/* arm64 boot state shared between head.S, the early mapping code and setup.c. */
#ifndef ASM_SETUP_H
#define ASM_SETUP_H

#include <kernel/types.h>

/* Set by head.S (__primary_switched): x0 at entry, and the image's physical load address. */
extern phys_addr_t __fdt_pointer;
extern phys_addr_t kimage_phys_base;

/* Linker-script symbols (arch/arm64/kernel/kernel.lds). */
extern char _text[], _etext[], _end[], __bss_start[], __bss_stop[];
extern char vectors[];
extern u64 init_pg_dir[];
extern u64 idmap_pg_dir[];

/* arch/arm64/kernel/pi/map_kernel.c: build idmap_pg_dir and init_pg_dir, MMU still off. */
void early_map_kernel(phys_addr_t fdt_pa, phys_addr_t phys_base);
/* Early DTB/default RAM discovery shared by the MMU-off code and setup_arch(). */
typedef void (*arm64_mem_cb)(u64 base, u64 size, void *ctx);
int arm64_scan_memory(const void *fdt, arm64_mem_cb cb, void *ctx);
/* ESR/FAR-driven handlers (arch/arm64/kernel/traps.c, mm/fault.c). */
struct pt_regs;
void do_mem_abort(unsigned long far, unsigned long esr, struct pt_regs *regs);
void el0_svc_handler(struct pt_regs *regs);

/* arch/arm64/mm/init.c: crashkernel= (after memblock is final) and the linear-map record. */
void arch_reserve_crashkernel(void);
void arm64_record_linear_range(phys_addr_t start, phys_addr_t end);
bool arm64_linear_map_covers(phys_addr_t pa, size_t size);

#endif /* ASM_SETUP_H */
