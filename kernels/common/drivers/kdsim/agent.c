// SPDX-License-Identifier: MIT
/*
 * The kdsim agent driver (docs/devices.md, "Agent"): the channel between the host's scenario
 * and init. Two nodes, registered only when the device answers MAGIC:
 *
 *   /dev/agent         read:  the next command line, exactly one per read() (no terminator),
 *                             fetched by DMA; blocks (wfi) while none is ready; returns 0
 *                             (EOF) once the host signals NO_MORE. -EMSGSIZE if the
 *                             command is longer than the read buffer (it is consumed).
 *                      write: output of the current command (OUTPUT doorbell, by DMA).
 *   /dev/agent-status  write: "hello"  -> HELLO doorbell (init is up, waiting for commands)
 *                             "done N" -> DONE doorbell with exit status N (decimal, may be
 *                                         negative) for the current command.
 *   /dev/agent-blob    read:  the binary blob the host attached to the current command
 *                             (BLOB_LEN bytes, e.g. the "KEXG" kexec-load blob), fetched by
 *                             FETCH_BLOB DMA straight into the reader's buffer (no 4 KiB
 *                             bounce: one read() can return the whole blob). 0 = EOF.
 *
 * DMA goes through a kernel bounce buffer whose physical address is handed to the device, so
 * bulk data moves at host speed instead of one slow guest store per byte.
 */
#define pr_fmt(fmt) "kdsim-agent: " fmt

#include <kdsim/agent.h>
#include <kdsim/devices.h>
#include <kernel/arch.h>
#include <kernel/fs.h>
#include <kernel/io.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/uaccess.h>
#include <asm/board.h>
#include <asm-generic/errno-base.h>

#define AGENT_DMA_SIZE 4096

static void __iomem *agent_base;
static char agent_dma_buf[AGENT_DMA_SIZE] __aligned(64);

static u32 agent_read_reg(unsigned long off)
{
	return readl(io_offset(agent_base, off));
}

static void agent_write_reg(u32 v, unsigned long off)
{
	writel(v, io_offset(agent_base, off));
}

/* Ring a doorbell with the DMA window [buf, buf + len); returns 0 or -EIO. */
static int agent_doorbell(u32 doorbell, const void *buf, size_t len, u32 arg)
{
	phys_addr_t pa = buf ? virt_to_phys(buf) : 0;
	agent_write_reg((u32)pa, KDSIM_AGENT_ADDR_LO);
	agent_write_reg((u32)(pa >> 32), KDSIM_AGENT_ADDR_HI);
	agent_write_reg((u32)len, KDSIM_AGENT_LEN);
	agent_write_reg(arg, KDSIM_AGENT_ARG);
	agent_write_reg(doorbell, KDSIM_AGENT_DOORBELL);
	u32 err = agent_read_reg(KDSIM_AGENT_ERROR);
	if (err != KDSIM_AGENT_ERROR_OK) {
		pr_err("doorbell %u failed: error %u (addr 0x%llx, len 0x%zx)\n", doorbell, err,
		       (unsigned long long)pa, len);
		return -EIO;
	}
	return 0;
}

static ssize_t agent_read(struct file *file, char *buf, size_t count, loff_t *pos)
{
	(void)file;
	(void)pos;
	for (;;) {
		u32 status = agent_read_reg(KDSIM_AGENT_STATUS);
		if (status & KDSIM_AGENT_STATUS_CMD_READY)
			break;
		if (status & KDSIM_AGENT_STATUS_NO_MORE)
			return 0;
		arch_cpu_idle(); /* the host advances the scenario while the CPU idles */
	}
	u32 len = agent_read_reg(KDSIM_AGENT_CMD_LEN);
	int err = agent_doorbell(KDSIM_AGENT_DOORBELL_FETCH, agent_dma_buf, AGENT_DMA_SIZE, 0);
	if (err)
		return err;
	if (len > AGENT_DMA_SIZE || len > count)
		return -EMSGSIZE;
	memcpy(buf, agent_dma_buf, len);
	return (ssize_t)len;
}

static ssize_t agent_write(struct file *file, const char *buf, size_t count, loff_t *pos)
{
	(void)file;
	(void)pos;
	if (count > AGENT_DMA_SIZE)
		count = AGENT_DMA_SIZE;
	memcpy(agent_dma_buf, buf, count);
	int err = agent_doorbell(KDSIM_AGENT_DOORBELL_OUTPUT, agent_dma_buf, count, 0);
	return err ? err : (ssize_t)count;
}

/* Parse "done N" (N decimal, optional '-'); returns 0 or -EINVAL. */
static int parse_done(const char *s, size_t n, s32 *status)
{
	size_t i = 5;
	bool neg = false;
	s64 v = 0;
	if (n <= i)
		return -EINVAL;
	if (s[i] == '-') {
		neg = true;
		i++;
	}
	size_t digits = 0;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
		v = v * 10 + (s[i] - '0');
		if (v > 0x80000000LL)
			return -EINVAL;
	}
	while (i < n && (s[i] == '\n' || s[i] == ' '))
		i++;
	if (!digits || i != n)
		return -EINVAL;
	*status = (s32)(neg ? -v : v);
	return 0;
}

static ssize_t agent_status_write(struct file *file, const char *buf, size_t count, loff_t *pos)
{
	(void)file;
	(void)pos;
	size_t n = count;
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	int err;
	if (n == 5 && !memcmp(buf, "hello", 5)) {
		err = agent_doorbell(KDSIM_AGENT_DOORBELL_HELLO, NULL, 0, 0);
	} else if (n > 5 && !memcmp(buf, "done ", 5)) {
		s32 status;
		err = parse_done(buf, n, &status);
		if (!err)
			err = agent_doorbell(KDSIM_AGENT_DOORBELL_DONE, NULL, 0, (u32)status);
	} else {
		err = -EINVAL;
	}
	return err ? err : (ssize_t)count;
}

/* read(/dev/agent-blob): FETCH_BLOB of [*pos, *pos + count) into the user pages. */
static ssize_t agent_blob_read_user(struct file *file, char __user *buf, size_t count,
                                    loff_t *pos)
{
	(void)file;
	u32 blob_len = agent_read_reg(KDSIM_AGENT_BLOB_LEN);
	if (*pos < 0)
		return -EINVAL;
	if ((u64)*pos >= blob_len)
		return 0;
	if (count > blob_len - (u64)*pos)
		count = (size_t)(blob_len - (u64)*pos);
	size_t done = 0;
	while (done < count) {
		size_t contig;
		phys_addr_t pa = user_virt_to_phys(buf + done, &contig);
		if (!contig)
			return done ? (ssize_t)done : -EFAULT;
		size_t n = min(contig, count - done);
		if (n > 0x40000000)
			n = 0x40000000; /* LEN is 32 bits */
		agent_write_reg((u32)pa, KDSIM_AGENT_ADDR_LO);
		agent_write_reg((u32)(pa >> 32), KDSIM_AGENT_ADDR_HI);
		agent_write_reg((u32)n, KDSIM_AGENT_LEN);
		agent_write_reg((u32)(*pos + (loff_t)done), KDSIM_AGENT_ARG);
		agent_write_reg(KDSIM_AGENT_DOORBELL_FETCH_BLOB, KDSIM_AGENT_DOORBELL);
		u32 err = agent_read_reg(KDSIM_AGENT_ERROR);
		if (err != KDSIM_AGENT_ERROR_OK) {
			pr_err("doorbell %u failed: error %u (addr 0x%llx, len 0x%zx)\n",
			       KDSIM_AGENT_DOORBELL_FETCH_BLOB, err, (unsigned long long)pa, n);
			return done ? (ssize_t)done : -EIO;
		}
		done += n;
	}
	*pos += (loff_t)done;
	return (ssize_t)done;
}

static const struct file_operations agent_blob_fops = { .read_user = agent_blob_read_user };

static const struct file_operations agent_fops = { .read = agent_read, .write = agent_write };
static const struct file_operations agent_status_fops = { .write = agent_status_write };

void kdsim_agent_init(void)
{
	void __iomem *base = ioremap(KDSIM_AGENT_PHYS, KDSIM_DEVICE_SIZE);
	if (!base)
		return;
	u32 magic = readl(io_offset(base, KDSIM_REG_MAGIC));
	u32 id = readl(io_offset(base, KDSIM_REG_DEVICE_ID));
	if (magic != KDSIM_MAGIC || id != KDSIM_DEVICE_ID_AGENT) {
		pr_info("no agent at 0x%lx (magic 0x%08x)\n", (unsigned long)KDSIM_AGENT_PHYS, magic);
		return;
	}
	agent_base = base;
	pr_info("agent v%u at 0x%lx\n", readl(io_offset(base, KDSIM_REG_VERSION)),
	        (unsigned long)KDSIM_AGENT_PHYS);
	fs_register_node("/dev/agent", 0666, &agent_fops, NULL);
	fs_register_node("/dev/agent-status", 0222, &agent_status_fops, NULL);
	fs_register_node("/dev/agent-blob", 0444, &agent_blob_fops, NULL);
}
