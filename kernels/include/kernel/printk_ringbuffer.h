/* SPDX-License-Identifier: MIT */
/*
 * The printk ring buffer in Linux 6.1's layout (kernel/printk/printk_ringbuffer.h). Dump
 * readers find it through VMCOREINFO (SYMBOL(prb) and the SIZE/OFFSET lines written by
 * log_buf_vmcoreinfo_setup) or through this kernel's DWARF, and walk it themselves:
 * kexec-tools' vmcore-dmesg and makedumpfile --dump-dmesg from VMCOREINFO, crash's `log` and
 * drgn's get_dmesg() from the types. So the structures below keep Linux's field order and
 * types exactly; only the writer is simpler (one writer at a time, see printk_ringbuffer.c).
 */
#ifndef KERNEL_PRINTK_RINGBUFFER_H
#define KERNEL_PRINTK_RINGBUFFER_H

#include <kernel/types.h>

/* include/linux/dev_printk.h */
#define PRINTK_INFO_SUBSYSTEM_LEN 16
#define PRINTK_INFO_DEVICE_LEN 48

struct dev_printk_info {
	char subsystem[PRINTK_INFO_SUBSYSTEM_LEN];
	char device[PRINTK_INFO_DEVICE_LEN];
};

/* One record's metadata, indexed like its descriptor. */
struct printk_info {
	u64 seq;       /* sequence number */
	u64 ts_nsec;   /* timestamp in nanoseconds (sched_clock) */
	u16 text_len;  /* length of the text, without a trailing newline */
	u8 facility;   /* syslog facility (0: kernel) */
	u8 flags : 5;  /* LOG_NEWLINE, LOG_CONT */
	u8 level : 3;  /* syslog level */
	u32 caller_id; /* pid in task context, 0x80000000 + cpu otherwise */
	struct dev_printk_info dev_info;
};

/* Logical positions of a record's text block in the text data ring. */
struct prb_data_blk_lpos {
	unsigned long begin;
	unsigned long next;
};

/* A descriptor: the record's ID and state in one word, and where its text is. */
struct prb_desc {
	atomic_long_t state_var;
	struct prb_data_blk_lpos text_blk_lpos;
};

/* The text data ring: blocks of "unsigned long id; char text[]". */
struct prb_data_ring {
	unsigned int size_bits;
	char *data;
	atomic_long_t head_lpos;
	atomic_long_t tail_lpos;
};

struct prb_desc_ring {
	unsigned int count_bits;
	struct prb_desc *descs;
	struct printk_info *infos;
	atomic_long_t head_id;
	atomic_long_t tail_id;
	atomic_long_t last_finalized_id;
};

struct printk_ringbuffer {
	struct prb_desc_ring desc_ring; /* first: vmcore-dmesg reads `infos` relative to prb itself */
	struct prb_data_ring text_data_ring;
	atomic_long_t fail;
};

/* Descriptor states (the top two bits of state_var). */
enum desc_state {
	desc_miss = -1,
	desc_reserved = 0x0,
	desc_committed = 0x1,
	desc_finalized = 0x2,
	desc_reusable = 0x3,
};

/* printk_info.flags (kernel/printk/printk_ringbuffer.h); drgn's get_dmesg() reads LOG_CONT
 * from the DWARF, so the enum is a type the kernel uses (prb_store_record()'s parameter). */
enum printk_info_flags {
	LOG_NEWLINE = 2, /* the text ended with a newline */
	LOG_CONT = 8,    /* a continuation (pr_cont) fragment */
};

/* The kernel's log: `prb` points at it (SYMBOL(prb) in VMCOREINFO). */
extern struct printk_ringbuffer *prb;

/*
 * Store one finalized record: `text` without its newline, the timestamp its console line
 * got, and the caller as Linux encodes it. A text longer than the ring can hold is cut.
 */
void prb_store_record(const char *text, u16 text_len, u64 ts_nsec, u32 caller_id,
                      enum printk_info_flags flags);

/* Write the printk block of VMCOREINFO (kernel/printk/printk.c, log_buf_vmcoreinfo_setup). */
void log_buf_vmcoreinfo_setup(void);

#endif /* KERNEL_PRINTK_RINGBUFFER_H */
