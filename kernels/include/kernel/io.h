/* SPDX-License-Identifier: MIT */
/* MMIO accessors (mirrors include/asm-generic/io.h): a barrier orders them with RAM accesses. */
#ifndef KERNEL_IO_H
#define KERNEL_IO_H

#include <kernel/types.h>
#include <asm/barrier.h>

static inline u32 readl(const volatile void __iomem *addr)
{
	u32 v = *(const volatile u32 *)addr;
	rmb();
	return v;
}

static inline void writel(u32 v, volatile void __iomem *addr)
{
	wmb();
	*(volatile u32 *)addr = v;
}

static inline u8 readb(const volatile void __iomem *addr)
{
	u8 v = *(const volatile u8 *)addr;
	rmb();
	return v;
}

static inline void writeb(u8 v, volatile void __iomem *addr)
{
	wmb();
	*(volatile u8 *)addr = v;
}

static inline void __iomem *io_offset(void __iomem *base, unsigned long off)
{
	return (char __iomem *)base + off;
}

#endif /* KERNEL_IO_H */
