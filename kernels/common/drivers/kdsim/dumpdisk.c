// SPDX-License-Identifier: MIT
/*
 * The kdsim dump disk (docs/devices.md, "Dump disk"): /dev/dumpdisk, a write-only disk fed by
 * scatter-gather DMA. Linux has no such device; it stands where a capture kernel's
 * makedumpfile/cp would write a disk. sendfile(/dev/dumpdisk, /proc/vmcore) queues one SG entry
 * {disk offset, physical address, length} per physical range /proc/vmcore describes, in
 * batches of one kernel page (170 entries): ring WRITE_SG, check STATUS. When the source
 * reaches EOF (splice_eof) the driver sets SIZE and rings COMPLETE: the host then renames its
 * file to OUTDIR/vmcore. The CPU never copies dump data.
 */
#define pr_fmt(fmt) "dumpdisk: " fmt

#include <kdsim/dumpdisk.h>
#include <kdsim/devices.h>
#include <kdsim/stage.h>
#include <kernel/arch.h>
#include <kernel/fs.h>
#include <kernel/io.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <asm/board.h>
#include <asm/memory.h>
#include <asm-generic/errno-base.h>

struct dump_sg_entry {
	u64 disk_offset;
	u64 phys;
	u64 len;
};

#define DUMP_SG_MAX (PAGE_SIZE / sizeof(struct dump_sg_entry))

static void __iomem *dump_base;
/* The SG list handed to the device (a kernel page: physical address via virt_to_phys). */
static struct dump_sg_entry dump_sg[DUMP_SG_MAX] __aligned(PAGE_SIZE);
static unsigned int dump_sg_count;

static u32 dump_read_reg(unsigned long off)
{
	return readl(io_offset(dump_base, off));
}

static void dump_write_reg(u32 v, unsigned long off)
{
	writel(v, io_offset(dump_base, off));
}

static int dumpdisk_write_sg(void)
{
	if (!dump_sg_count)
		return 0;
	phys_addr_t pa = virt_to_phys(dump_sg);
	dump_write_reg((u32)pa, KDSIM_DUMP_SG_ADDR_LO);
	dump_write_reg((u32)(pa >> 32), KDSIM_DUMP_SG_ADDR_HI);
	dump_write_reg(dump_sg_count, KDSIM_DUMP_SG_COUNT);
	dump_write_reg(KDSIM_DUMP_DOORBELL_WRITE_SG, KDSIM_DUMP_DOORBELL);
	u32 status = dump_read_reg(KDSIM_DUMP_STATUS);
	dump_sg_count = 0;
	if (status != KDSIM_DUMP_STATUS_OK) {
		pr_err("WRITE_SG failed: status %u\n", status);
		/* A full disk is ENOSPC to the writer, as for a block device's filesystem. */
		return status == KDSIM_DUMP_STATUS_NO_SPACE ? -ENOSPC : -EIO;
	}
	return 0;
}

static int dumpdisk_splice_write_phys(struct file *out, phys_addr_t pa, size_t len, loff_t *pos)
{
	(void)out;
	if (!len)
		return 0;
	/* Extend the previous entry when the range continues it (disk and memory). */
	if (dump_sg_count) {
		struct dump_sg_entry *last = &dump_sg[dump_sg_count - 1];
		if (last->disk_offset + last->len == (u64)*pos && last->phys + last->len == pa) {
			last->len += len;
			*pos += (loff_t)len;
			return 0;
		}
	}
	if (dump_sg_count == DUMP_SG_MAX) {
		int err = dumpdisk_write_sg();
		if (err)
			return err;
	}
	dump_sg[dump_sg_count++] = (struct dump_sg_entry){
		.disk_offset = (u64)*pos, .phys = pa, .len = len
	};
	*pos += (loff_t)len;
	return 0;
}

static int dumpdisk_splice_flush(struct file *out)
{
	(void)out;
	return dumpdisk_write_sg();
}

static void dumpdisk_splice_eof(struct file *out)
{
	u64 size = (u64)out->f_pos;
	dump_write_reg((u32)size, KDSIM_DUMP_SIZE_LO);
	dump_write_reg((u32)(size >> 32), KDSIM_DUMP_SIZE_HI);
	dump_write_reg(KDSIM_DUMP_DOORBELL_COMPLETE, KDSIM_DUMP_DOORBELL);
	u32 status = dump_read_reg(KDSIM_DUMP_STATUS);
	if (status != KDSIM_DUMP_STATUS_OK) {
		pr_err("COMPLETE failed: status %u\n", status);
		return;
	}
	kdsim_stage(STAGE_DUMP_COMPLETE, size, 0);
}

static int dumpdisk_open(struct file *file)
{
	(void)file;
	dump_sg_count = 0;
	return 0;
}

int kdsim_dumpdisk_dma_once(phys_addr_t pa, u64 len)
{
	if (!dump_base)
		return -ENODEV;
	dump_sg[0] = (struct dump_sg_entry){ .disk_offset = 0, .phys = pa, .len = len };
	dump_sg_count = 1;
	phys_addr_t list = virt_to_phys(dump_sg);
	dump_write_reg((u32)list, KDSIM_DUMP_SG_ADDR_LO);
	dump_write_reg((u32)(list >> 32), KDSIM_DUMP_SG_ADDR_HI);
	dump_write_reg(1, KDSIM_DUMP_SG_COUNT);
	dump_write_reg(KDSIM_DUMP_DOORBELL_WRITE_SG, KDSIM_DUMP_DOORBELL);
	int status = (int)dump_read_reg(KDSIM_DUMP_STATUS);
	dump_sg_count = 0;
	dump_write_reg(KDSIM_DUMP_DOORBELL_ABORT, KDSIM_DUMP_DOORBELL);
	return status;
}

static const struct file_operations dumpdisk_fops = {
	.open = dumpdisk_open,
	.splice_write_phys = dumpdisk_splice_write_phys,
	.splice_flush = dumpdisk_splice_flush,
	.splice_eof = dumpdisk_splice_eof,
};

void kdsim_dumpdisk_init(void)
{
	void __iomem *base = ioremap(KDSIM_DUMP_PHYS, KDSIM_DEVICE_SIZE);
	if (!base)
		return;
	u32 magic = readl(io_offset(base, KDSIM_REG_MAGIC));
	u32 id = readl(io_offset(base, KDSIM_REG_DEVICE_ID));
	if (magic != KDSIM_MAGIC || id != KDSIM_DEVICE_ID_DUMP)
		return;
	dump_base = base;
	pr_info("kdsim dump disk v%u at 0x%lx\n", readl(io_offset(base, KDSIM_REG_VERSION)),
	        (unsigned long)KDSIM_DUMP_PHYS);
	fs_register_node("/dev/dumpdisk", 0200, &dumpdisk_fops, NULL);
}
