/* SPDX-License-Identifier: MIT */
/*
 * CPU state helpers (mirrors arch/x86/include/asm/processor.h, special_insns.h, msr.h,
 * desc_defs.h): control registers, MSRs, the TSS and the per-CPU block reached through %gs.
 */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

#include <kernel/compiler.h>
#include <kernel/types.h>

static inline unsigned long read_cr0(void)
{
	unsigned long v;
	__asm__ __volatile__("mov %%cr0, %0" : "=r"(v));
	return v;
}
static inline unsigned long read_cr2(void)
{
	unsigned long v;
	__asm__ __volatile__("mov %%cr2, %0" : "=r"(v));
	return v;
}
static inline unsigned long __read_cr3(void)
{
	unsigned long v;
	__asm__ __volatile__("mov %%cr3, %0" : "=r"(v));
	return v;
}
static inline void write_cr3(unsigned long v)
{
	__asm__ __volatile__("mov %0, %%cr3" : : "r"(v) : "memory");
}
static inline unsigned long __read_cr4(void)
{
	unsigned long v;
	__asm__ __volatile__("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;
	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}
static inline void wrmsr(u32 msr, u64 v)
{
	__asm__ __volatile__("wrmsr" : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)) : "memory");
}

static inline unsigned long native_save_fl(void)
{
	unsigned long flags;
	__asm__ __volatile__("pushfq; popq %0" : "=rm"(flags) : : "memory");
	return flags;
}

/* The 64-bit TSS (struct x86_hw_tss): only sp0 (ring-3 -> ring-0 stack) is used. */
struct x86_hw_tss {
	u32 reserved1;
	u64 sp0;
	u64 sp1;
	u64 sp2; /* scratch: Linux keeps the user RSP here at syscall entry */
	u64 reserved2;
	u64 ist[7];
	u32 reserved3;
	u32 reserved4;
	u16 reserved5;
	u16 io_bitmap_base;
} __attribute__((packed));

/* Per-CPU data at MSR_GS_BASE in the kernel (Linux: struct pcpu_hot + cpu_tss_rw.sp2). */
struct x86_pcpu {
	unsigned long top_of_stack; /* kernel RSP at syscall entry (= TSS.sp0) */
	unsigned long user_rsp;     /* the user RSP while the entry code switches stacks */
};

extern struct x86_hw_tss cpu_tss_rw;
extern struct x86_pcpu cpu_pcpu;

/* Make stack_top the kernel stack of ring-3 entries (TSS.sp0 and the syscall stack). */
void update_task_stack(unsigned long stack_top);

#endif /* ASM_PROCESSOR_H */
