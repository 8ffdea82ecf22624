// SPDX-License-Identifier: MIT
/*
 * The crash path and the per-CPU crash notes (mirrors kernel/crash_core.c: crash_kexec,
 * __crash_kexec, crash_save_cpu, crash_notes_memory_init; kexec_should_crash from
 * kernel/kexec_core.c).
 *
 *   panic() -> __crash_kexec(NULL)           die() -> crash_kexec(regs) -> __crash_kexec(regs)
 *   __crash_kexec: kexec_trylock; if kexec_crash_image: crash_setup_regs, crash_save_vmcoreinfo,
 *   machine_crash_shutdown (stops other CPUs, crash_save_cpu), machine_kexec (never returns).
 */
#define pr_fmt(fmt) "crash_core: " fmt

#include <kernel/kexec.h>
#include <kernel/arch.h>
#include <kernel/crash_core.h>
#include <kernel/memblock.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/percpu.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <kdsim/stage.h>
#include <asm/ptrace.h>
#include <asm-generic/errno-base.h>

/*
 * Per cpu memory for storing cpu states in case of system crash: Linux's
 * `note_buf_t __percpu *crash_notes` = alloc_percpu(). Here a per-CPU variable (setup_per_cpu_areas()
 * gives each CPU a page-aligned copy), aligned as crash_notes_memory_init() aligns it, so a
 * buffer never straddles a page. crash (arm64) finds a CPU's NT_PRSTATUS exactly as
 * per_cpu_ptr(crash_notes, cpu) through __per_cpu_offset.
 */
#define CRASH_NOTES_ALIGN 512
_Static_assert(sizeof(note_buf_t) <= CRASH_NOTES_ALIGN, "one note_buf_t per aligned slot");
static DEFINE_PER_CPU(note_buf_t, crash_notes_buf) __aligned(CRASH_NOTES_ALIGN);
note_buf_t *crash_notes;

static note_buf_t *per_cpu_crash_notes(unsigned int cpu)
{
	return per_cpu_ptr(crash_notes, cpu);
}

bool kexec_should_crash(struct task_struct *p)
{
	/* Linux: in_interrupt() || !p->pid || is_global_init(p) || panic_on_oops
	 * (crash_kexec_post_notifiers is never set here). */
	return p->pid == 0 || p->pid == 1 || panic_on_oops;
}

bool kexec_crash_loaded(void)
{
	return !!kexec_crash_image;
}

/*
 * No panic_cpu here? Linux's crash_kexec() claims panic_cpu so only one CPU proceeds; this
 * kernel runs on one CPU, so a flag stands in for the atomic.
 */
static int panic_cpu = -1;

void __crash_kexec(struct pt_regs *regs)
{
	/* Take the kexec_lock here to prevent sys_kexec_load running on one cpu from replacing
	 * the crash kernel we are using after a panic on a different cpu. */
	if (kexec_trylock()) {
		if (kexec_crash_image) {
			struct pt_regs fixed_regs;

			kdsim_stage(STAGE_CRASH_KEXEC, kexec_crash_image->start, 0);
			crash_setup_regs(&fixed_regs, regs);
			crash_save_vmcoreinfo();
			machine_crash_shutdown(&fixed_regs);
			machine_kexec(kexec_crash_image);
		}
		kexec_unlock();
	}
}

void crash_kexec(struct pt_regs *regs)
{
	int this_cpu = smp_processor_id();

	if (panic_cpu == -1) {
		panic_cpu = this_cpu;
		/* This is the 1st CPU which comes here, so go ahead. */
		__crash_kexec(regs);
		/* Reset panic_cpu to allow another panic()/crash_kexec() call. */
		panic_cpu = -1;
	}
}

phys_addr_t crash_notes_phys(unsigned int cpu)
{
	if (!crash_notes || cpu >= nr_cpu_ids)
		return 0;
	return virt_to_phys(per_cpu_crash_notes(cpu));
}

void crash_save_cpu(struct pt_regs *regs, int cpu)
{
	struct elf_prstatus prstatus;
	u32 *buf;

	if ((cpu < 0) || ((unsigned int)cpu >= nr_cpu_ids) || !crash_notes)
		return;

	/* Using ELF notes here is opportunistic. I need a well defined structure format for the
	 * data I pass, and I need tags on the data to indicate what information I have squirrelled
	 * away. ELF notes happen to provide all of that, so there is no need to invent something
	 * new. */
	buf = (u32 *)per_cpu_crash_notes((unsigned int)cpu);
	memset(&prstatus, 0, sizeof(prstatus));
	/* current is the boot CPU's task; a secondary only ever runs its idle task (pid 0,
	 * swapper/N), which is what Linux records for a CPU stopped in its idle loop. */
	prstatus.common.pr_pid = cpu == 0 ? current->pid : 0;
	ELF_CORE_COPY_REGS(prstatus.pr_reg, regs);
	buf = append_elf_note(buf, CRASH_CORE_NOTE_NAME, NT_PRSTATUS, &prstatus, sizeof(prstatus));
	final_note(buf);
}

/* Mirrors crash_notes_memory_init() (the per-CPU buffers exist from setup_per_cpu_areas()). */
int crash_notes_memory_init(void)
{
	_Static_assert(sizeof(note_buf_t) == CRASH_CORE_NOTE_BYTES, "note_buf_t");
	crash_notes = &crash_notes_buf;
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		memset(per_cpu_crash_notes(cpu), 0, sizeof(note_buf_t));
	return 0;
}
