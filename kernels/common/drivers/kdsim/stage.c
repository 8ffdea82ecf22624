// SPDX-License-Identifier: MIT
/*
 * The kdsim stage port (docs/devices.md): phase codes the host records with the CPU state.
 * On QEMU the slot answers virtio's magic instead, and every kdsim_stage() is a no-op.
 */
#include <kdsim/stage.h>
#include <kdsim/devices.h>
#include <kernel/arch.h>
#include <kernel/io.h>
#include <asm/board.h>

void __iomem *kdsim_stage_base;

void kdsim_stage_init(void)
{
	void __iomem *base = ioremap(KDSIM_STAGE_PHYS, KDSIM_DEVICE_SIZE);
	if (!base)
		return;
	if (readl(io_offset(base, KDSIM_REG_MAGIC)) != KDSIM_MAGIC ||
	    readl(io_offset(base, KDSIM_REG_DEVICE_ID)) != KDSIM_DEVICE_ID_STAGE)
		return;
	kdsim_stage_base = base;
}
