// SPDX-License-Identifier: MIT
/*
 * The printk ring buffer (mirrors kernel/printk/printk_ringbuffer.c of Linux 6.1 for the data
 * layout; see include/kernel/printk_ringbuffer.h). Linux's writer is lockless and lets
 * several CPUs reserve, extend and commit at once; here one writer at a time stores whole,
 * finalized lines (printk.c assembles them), so reserving is "drop the oldest records until
 * the new one fits". What a dump reader sees is the same: a descriptor ring whose IDs run
 * from tail_id to head_id, each finalized descriptor pointing at a text block "id, text" in
 * the data ring, a block that would cross the end of the ring stored at its start.
 *
 * One writer at a time holds because the toy kernel prints from one CPU at a time: secondary
 * CPUs print only while they come up, before init runs, and a crash stops them silently.
 */
#include <kernel/printk_ringbuffer.h>
#include <kernel/compiler.h>
#include <kernel/crash_core.h>
#include <kernel/string.h>

/* CONFIG_LOG_BUF_SHIFT (Debian's 6.1 config has 17; 16 KiB holds several boots of this kernel)
 * and PRB_AVGBITS (kernel/printk/printk.c: 32-byte records on average). */
#define LOG_BUF_SHIFT 14
#define PRB_AVGBITS 5

/* kernel/printk/printk_ringbuffer.h */
#define _DATA_SIZE(sz_bits) (1UL << (sz_bits))
#define _DESCS_COUNT(ct_bits) (1U << (ct_bits))
#define DESC_SV_BITS (sizeof(unsigned long) * 8)
#define DESC_FLAGS_SHIFT (DESC_SV_BITS - 2)
#define DESC_FLAGS_MASK (3UL << DESC_FLAGS_SHIFT)
#define DESC_SV(id, state) (((unsigned long)(state) << DESC_FLAGS_SHIFT) | (id))
#define DESC_ID_MASK (~DESC_FLAGS_MASK)
#define DESC_ID(sv) ((sv) & DESC_ID_MASK)
/* The ID before the first record: its descriptor sits in the ring's last slot, reusable. */
#define DESC0_ID(ct_bits) DESC_ID(-(_DESCS_COUNT(ct_bits) + 1))
#define DESC0_SV(ct_bits) DESC_SV(DESC0_ID(ct_bits), desc_reusable)
/* Data lpos start one ring size below zero, so the first wrap happens at lpos 0. */
#define BLK0_LPOS(sz_bits) (-(_DATA_SIZE(sz_bits)))
#define FAILED_LPOS 0x1
#define NO_LPOS 0x3 /* a data-less record (empty text) */

#define DESC_BITS (LOG_BUF_SHIFT - PRB_AVGBITS)
#define DESCS_COUNT _DESCS_COUNT(DESC_BITS)
#define DATA_SIZE _DATA_SIZE(LOG_BUF_SHIFT)
#define DATA_INDEX(lpos) ((lpos) & (DATA_SIZE - 1))
#define DATA_WRAPS(lpos) ((lpos) >> LOG_BUF_SHIFT)
#define DATA_THIS_WRAP_START_LPOS(lpos) ((lpos) & ~(DATA_SIZE - 1))

/* kernel/printk/printk.c: the static buffers behind printk_rb_static (DEFINE_PRINTKRB). The
 * writer reaches them by name, never through the pointers below, which only readers use. */
static char __log_buf[DATA_SIZE] __aligned(8);
static struct prb_desc _printk_rb_static_descs[DESCS_COUNT];
static struct printk_info _printk_rb_static_infos[DESCS_COUNT];

static struct printk_ringbuffer printk_rb_static = {
	.desc_ring = {
		.count_bits = DESC_BITS,
		.descs = &_printk_rb_static_descs[0],
		.infos = &_printk_rb_static_infos[0],
		.head_id = { DESC0_ID(DESC_BITS) },
		.tail_id = { DESC0_ID(DESC_BITS) },
		.last_finalized_id = { DESC0_ID(DESC_BITS) },
	},
	.text_data_ring = {
		.size_bits = LOG_BUF_SHIFT,
		.data = &__log_buf[0],
		.head_lpos = { BLK0_LPOS(LOG_BUF_SHIFT) },
		.tail_lpos = { BLK0_LPOS(LOG_BUF_SHIFT) },
	},
};

struct printk_ringbuffer *prb = &printk_rb_static;

/* Linux 6.1's clear_seq (`dmesg -c` position); VMCOREINFO names it and crash reads it. */
struct latched_seq {
	unsigned int latch; /* seqcount_latch_t */
	u64 val[2];
};
static struct latched_seq clear_seq __attribute__((used));

static u64 next_seq;

/* DEFINE_PRINTKRB's non-zero array entries, set before the first record instead of in .data
 * (the arrays stay in .bss). */
static void prb_init_once(void)
{
	static bool done;
	if (done)
		return;
	done = true;
	struct prb_desc *desc0 = &_printk_rb_static_descs[DESCS_COUNT - 1];
	desc0->state_var.counter = (long)DESC0_SV(DESC_BITS);
	desc0->text_blk_lpos.begin = FAILED_LPOS;
	desc0->text_blk_lpos.next = FAILED_LPOS;
	_printk_rb_static_infos[0].seq = -(u64)DESCS_COUNT;
}

/* A text block: the record's ID, then its text, padded to a whole word (to_blk_size). */
static unsigned long to_blk_size(unsigned int text_len)
{
	return ALIGN(sizeof(unsigned long) + text_len, sizeof(unsigned long));
}

/* get_next_lpos: a block that would cross the end of the ring goes to its start instead. */
static unsigned long get_next_lpos(unsigned long begin, unsigned long size)
{
	unsigned long next = begin + size;
	if (DATA_WRAPS(begin) == DATA_WRAPS(next))
		return next;
	return DATA_THIS_WRAP_START_LPOS(next) + size;
}

/* Retire the oldest record: its descriptor becomes reusable and its text space is free. */
static void prb_drop_tail(struct printk_ringbuffer *rb)
{
	unsigned long tail = (unsigned long)rb->desc_ring.tail_id.counter;
	struct prb_desc *desc = &_printk_rb_static_descs[tail % DESCS_COUNT];
	desc->state_var.counter = (long)DESC_SV(tail, desc_reusable);
	if (!(desc->text_blk_lpos.begin & 1)) /* it had a data block */
		rb->text_data_ring.tail_lpos.counter = (long)desc->text_blk_lpos.next;
	rb->desc_ring.tail_id.counter = (long)DESC_ID(tail + 1);
}

static bool prb_tail_is_next(const struct printk_ringbuffer *rb)
{
	return (unsigned long)rb->desc_ring.tail_id.counter ==
	       DESC_ID((unsigned long)rb->desc_ring.head_id.counter + 1);
}

/* Copy the text into a block at the data head; returns the block's lpos pair. */
static struct prb_data_blk_lpos data_store(struct printk_ringbuffer *rb, unsigned long id,
                                           const char *text, u16 text_len)
{
	struct prb_data_ring *ring = &rb->text_data_ring;
	if (text_len == 0)
		return (struct prb_data_blk_lpos){ NO_LPOS, NO_LPOS };
	unsigned long begin = (unsigned long)ring->head_lpos.counter;
	unsigned long next = get_next_lpos(begin, to_blk_size(text_len));
	while (next - (unsigned long)ring->tail_lpos.counter > DATA_SIZE && !prb_tail_is_next(rb))
		prb_drop_tail(rb);

	char *blk = &__log_buf[DATA_INDEX(begin)];
	memcpy(blk, &id, sizeof(id));
	if (DATA_WRAPS(begin) != DATA_WRAPS(next)) {
		/* The text goes to the ring's start; the ID is stored there too, as Linux does. */
		blk = &__log_buf[0];
		memcpy(blk, &id, sizeof(id));
	}
	memcpy(blk + sizeof(id), text, text_len);
	ring->head_lpos.counter = (long)next;
	return (struct prb_data_blk_lpos){ begin, next };
}

void prb_store_record(const char *text, u16 text_len, u64 ts_nsec, u32 caller_id,
                      enum printk_info_flags flags)
{
	struct printk_ringbuffer *rb = &printk_rb_static;
	prb_init_once();
	/* A block may waste up to its own size at the ring's end: half the ring always fits. */
	if (text_len > DATA_SIZE / 2 - sizeof(unsigned long))
		text_len = DATA_SIZE / 2 - sizeof(unsigned long);

	unsigned long id = DESC_ID((unsigned long)rb->desc_ring.head_id.counter + 1);
	/* The new descriptor's slot still holds the record DESCS_COUNT older: retire up to it. */
	while (DESC_ID(id - (unsigned long)rb->desc_ring.tail_id.counter) >= DESCS_COUNT)
		prb_drop_tail(rb);

	struct prb_desc *desc = &_printk_rb_static_descs[id % DESCS_COUNT];
	struct printk_info *info = &_printk_rb_static_infos[id % DESCS_COUNT];
	desc->state_var.counter = (long)DESC_SV(id, desc_reserved);
	desc->text_blk_lpos = data_store(rb, id, text, text_len);

	memset(info, 0, sizeof(*info));
	info->seq = next_seq++;
	info->ts_nsec = ts_nsec;
	info->text_len = text_len;
	info->flags = flags & 0x1f;
	info->level = 4; /* CONFIG_MESSAGE_LOGLEVEL_DEFAULT: the toy kernel's printk has no levels */
	info->caller_id = caller_id;

	desc->state_var.counter = (long)DESC_SV(id, desc_finalized);
	rb->desc_ring.head_id.counter = (long)id;
	rb->desc_ring.last_finalized_id.counter = (long)id;
}

#ifdef CONFIG_CRASH_DUMP
/* kernel/printk/printk.c, log_buf_vmcoreinfo_setup(): the lines vmcore-dmesg and makedumpfile
 * walk the ring with (both read only what VMCOREINFO says, never DWARF). */
void log_buf_vmcoreinfo_setup(void)
{
	struct dev_printk_info *dev_info = NULL;

	VMCOREINFO_SYMBOL(prb);
	VMCOREINFO_SYMBOL(printk_rb_static);
	VMCOREINFO_SYMBOL(clear_seq);

	VMCOREINFO_STRUCT_SIZE(printk_ringbuffer);
	VMCOREINFO_OFFSET(printk_ringbuffer, desc_ring);
	VMCOREINFO_OFFSET(printk_ringbuffer, text_data_ring);
	VMCOREINFO_OFFSET(printk_ringbuffer, fail);

	VMCOREINFO_STRUCT_SIZE(prb_desc_ring);
	VMCOREINFO_OFFSET(prb_desc_ring, count_bits);
	VMCOREINFO_OFFSET(prb_desc_ring, descs);
	VMCOREINFO_OFFSET(prb_desc_ring, infos);
	VMCOREINFO_OFFSET(prb_desc_ring, head_id);
	VMCOREINFO_OFFSET(prb_desc_ring, tail_id);

	VMCOREINFO_STRUCT_SIZE(prb_desc);
	VMCOREINFO_OFFSET(prb_desc, state_var);
	VMCOREINFO_OFFSET(prb_desc, text_blk_lpos);

	VMCOREINFO_STRUCT_SIZE(prb_data_blk_lpos);
	VMCOREINFO_OFFSET(prb_data_blk_lpos, begin);
	VMCOREINFO_OFFSET(prb_data_blk_lpos, next);

	VMCOREINFO_STRUCT_SIZE(printk_info);
	VMCOREINFO_OFFSET(printk_info, seq);
	VMCOREINFO_OFFSET(printk_info, ts_nsec);
	VMCOREINFO_OFFSET(printk_info, text_len);
	VMCOREINFO_OFFSET(printk_info, caller_id);
	VMCOREINFO_OFFSET(printk_info, dev_info);

	VMCOREINFO_STRUCT_SIZE(dev_printk_info);
	VMCOREINFO_OFFSET(dev_printk_info, subsystem);
	VMCOREINFO_LENGTH(printk_info_subsystem, sizeof(dev_info->subsystem));
	VMCOREINFO_OFFSET(dev_printk_info, device);
	VMCOREINFO_LENGTH(printk_info_device, sizeof(dev_info->device));

	VMCOREINFO_STRUCT_SIZE(prb_data_ring);
	VMCOREINFO_OFFSET(prb_data_ring, size_bits);
	VMCOREINFO_OFFSET(prb_data_ring, data);
	VMCOREINFO_OFFSET(prb_data_ring, head_lpos);
	VMCOREINFO_OFFSET(prb_data_ring, tail_lpos);

	VMCOREINFO_SIZE(atomic_long_t);
	VMCOREINFO_TYPE_OFFSET(atomic_long_t, counter);

	VMCOREINFO_STRUCT_SIZE(latched_seq);
	VMCOREINFO_OFFSET(latched_seq, val);
}
#endif
