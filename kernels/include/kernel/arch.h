/* SPDX-License-Identifier: MIT */
/*
 * The contract between the arch-independent toy kernel (kernels/common/) and an architecture
 * port (kernels/arch/<arch>/). Everything common code needs from the CPU or the board is
 * declared here; nothing else in common/ may include an arch header except the ones listed in
 * "Headers an arch must provide" below.
 *
 * Boot flow (mirrors init/main.c in Linux):
 *
 *   arch entry asm (head.S / head_64.S)
 *     - runs at the PHYSICAL address it was loaded to (any 2 MiB-aligned base: the kdump
 *       capture kernel is the same image loaded into the crashkernel= region);
 *     - if the kdsim stage port answers MAGIC, writes KDSIM_STAGE_KERNEL_ENTRY
 *       (ARG0 = boot argument: DTB / boot_params PA, ARG1 = physical load address);
 *     - maps the image at KIMAGE_VADDR, a linear map of RAM, and the device window;
 *       turns translation on, jumps to the high VA, sets the boot stack, zeroes .bss,
 *       installs the exception vectors; records the boot argument and load address;
 *     - calls start_kernel() (never returns).
 *   start_kernel() (common/init/main.c) then calls the hooks below in this order:
 *     smp_setup_processor_id(), setup_arch(), mem_init() [common],
 *     ..., kernel_init(): smp_init() (<kernel/smp.h>; weak no-op, arm64 starts the secondaries
 *     with PSCI CPU_ON), do_basic_setup(), then run_init_process() -> kernel_execve() ->
 *     ret_to_user().
 *
 * Headers an arch must provide under kernels/arch/<arch>/include/:
 *   asm/ptrace.h      struct pt_regs (Linux's layout for the arch; the kdump work saves it as
 *                     elf_prstatus.pr_reg), user_mode(regs), instruction_pointer(regs),
 *                     regs_syscall_nr/arg helpers are arch-private.
 *   asm/memory.h      PAGE_SHIFT/PAGE_SIZE, TASK_SIZE (user VAs are [0, TASK_SIZE)),
 *                     USER_STACK_TOP / USER_STACK_SIZE (init's stack), KIMAGE_VADDR.
 *                     x86_64: user VAs must not overlap physical RAM addresses (the simulator
 *                     maps RAM at VA == PA), so put init above 64 GiB, e.g. 0x100000000000.
 *   asm/barrier.h     mb(), rmb(), wmb(), cpu_relax().
 *   asm/board.h       physical addresses of the board devices common code drives:
 *                     KDSIM_AGENT_PHYS, KDSIM_STAGE_PHYS, KDSIM_DUMP_PHYS (docs/devices.md).
 *   asm/elf.h         ELF_ARCH (e_machine of init and of the kernel itself) and UTS_MACHINE
 *                     ("aarch64", "x86_64": printed in the kdsim banner).
 *   uapi/asm/unistd.h Linux's syscall numbers for the arch (__NR_openat, __NR_read, ...);
 *                     shared with the user-mode init program.
 *
 * The arch linker script must define the symbols of <kernel/sections.h> (_text, _etext,
 * __start_rodata, __end_rodata, _sdata, _edata, __bss_start, __bss_stop, _end) and embed
 * init with arch/<arch>/kernel/init_elf.S-style .incbin (symbols __initramfs_init_start/_end,
 * see <kernel/binfmts.h>). The console driver for the board UART lives in
 * common/drivers/tty/serial/ and is called from arch_console_write().
 *
 * What common code does NOT need from a port: syscall dispatch, the fd table, uaccess (VMA
 * checks), ELF loading of init, printk formatting, panic/die, sysrq, the agent and stage
 * drivers, memblock, FDT parsing (arm64 only).
 */
#ifndef KERNEL_ARCH_H
#define KERNEL_ARCH_H

#include <kernel/types.h>
#include <kernel/compiler.h>

struct pt_regs;
struct mm_struct;

/* ------------------------------------------------------------------------------------------
 * Boot
 * ---------------------------------------------------------------------------------------- */

/*
 * Print the boot CPU line. arm64 mirrors arch/arm64/kernel/setup.c:
 * "Booting Linux on physical CPU 0x0000000000 [0x411fd070]". May print nothing (x86 Linux
 * prints nothing here). Called first in start_kernel(), before the banner; printk works.
 */
void smp_setup_processor_id(void);

/*
 * Mirrors setup_arch() in arch/<arch>/kernel/setup.c. Must:
 *  - write the stages KDSIM_STAGE_MMU_ON (ARG0 = TTBR1_EL1 / CR3, ARG1 = kernel virtual base)
 *    and KDSIM_STAGE_VECTORS_INSTALLED (ARG0 = VBAR_EL1 / IDT base) via kdsim_stage() unless
 *    the entry code already did;
 *  - parse the boot data (DTB, boot_params), copy the command line into boot_command_line
 *    and set *cmdline_p to it; empty when there is none (QEMU ELF boot on arm64: x0 = 0);
 *  - memblock_add() every RAM range and memblock_reserve() the kernel image and the boot
 *    data, so memblock_alloc() hands out only free RAM that the linear map covers;
 *  - print Linux's arch lines where they exist ("Machine model: ...", psci probe lines).
 */
void setup_arch(char **cmdline_p);

/* ------------------------------------------------------------------------------------------
 * Console and time
 * ---------------------------------------------------------------------------------------- */

/*
 * Write n bytes to the boot console (arm64: PL011 at 0x0900_0000; x86_64: 16550 at 0x3f8).
 * Must work from the first line of start_kernel() and from the panic path; no locking, no
 * allocation, no interrupts. Bytes are written as given ("\n" is not expanded to "\r\n").
 */
void arch_console_write(const char *s, size_t n);

/*
 * Nanoseconds since an arbitrary origin, used for the printk timestamp. MUST be
 * deterministic in the simulator (arm64: CNTVCT_EL0 scaled by CNTFRQ_EL0, where the simulator
 * makes CNTVCT the executed-instruction count); never read a host-dependent clock.
 */
u64 sched_clock(void);

/*
 * The wall clock at this moment, in seconds since the epoch, from the board's RTC (Linux:
 * read_persistent_clock64(); arm64 reads the PL031 as rtc-pl031 would, x86_64 the CMOS RTC as
 * mach_get_cmos_time() does). Read once by timekeeping_init(); the simulator derives it from
 * machine time, so it is deterministic too.
 */
s64 read_persistent_clock(void);

/* ------------------------------------------------------------------------------------------
 * Memory
 * ---------------------------------------------------------------------------------------- */

/* Physical address of a kernel VA: a linear-map address or an address inside the image. */
phys_addr_t virt_to_phys(const volatile void *addr);

/* Linear-map VA of a RAM physical address (only valid for RAM given to memblock_add()). */
void *phys_to_virt(phys_addr_t pa);

/*
 * VA of a device register window. Ports may map device windows statically at boot and just
 * translate here; return NULL when [pa, pa + size) is not mapped. Accessed with readl/writel.
 */
void __iomem *ioremap(phys_addr_t pa, size_t size);

/* ------------------------------------------------------------------------------------------
 * Interrupts and idling
 * ---------------------------------------------------------------------------------------- */

/* Mask interrupts on this CPU and return the previous state (arm64 DAIF / x86 RFLAGS.IF). */
unsigned long arch_local_irq_save(void);
/* Restore the state returned by arch_local_irq_save(). */
void arch_local_irq_restore(unsigned long flags);

/*
 * Wait for an event (arm64 "wfi", x86 "hlt"). Drivers call it while polling a device that has
 * nothing yet; the simulator treats an idling CPU as "waiting" and advances the scenario.
 * May return spuriously; callers re-check their condition.
 */
void arch_cpu_idle(void);

/*
 * Interrupt entry from the arch vectors lands here (arch code; may just acknowledge and
 * return). Declared for completeness: common code does not call it.
 */
void handle_arch_irq(struct pt_regs *regs);

/* ------------------------------------------------------------------------------------------
 * User mode (one process: init)
 * ---------------------------------------------------------------------------------------- */

/* Allocate the (empty) user page-table root of mm (arm64: TTBR0 table; x86_64: a PML4 that
 * also carries the kernel half). Returns 0 or -ENOMEM. */
int arch_mm_init(struct mm_struct *mm);

/* Protection bits for arch_map_user_range(). */
enum user_prot { USER_PROT_READ = 1, USER_PROT_WRITE = 2, USER_PROT_EXEC = 4 };

/*
 * Map [va, va + size) of mm to the physically contiguous [pa, pa + size) with user access and
 * the given protections (combination of enum user_prot). va, pa and size are PAGE_SIZE
 * aligned. Page-table pages come from memblock_alloc(). Returns 0, -EINVAL or -ENOMEM.
 */
int arch_map_user_range(struct mm_struct *mm, unsigned long va, phys_addr_t pa, size_t size,
                        unsigned int prot);

/* Make mm the current user address space (arm64: TTBR0_EL1 + TLB flush; x86_64: CR3). */
void arch_switch_mm(struct mm_struct *mm);

/*
 * Mirrors start_thread() in arch/<arch>/include/asm/processor.h: zero *regs and set it up to
 * enter user mode at pc with stack sp (interrupts enabled in user mode).
 */
void start_thread(struct pt_regs *regs, unsigned long pc, unsigned long sp);

/*
 * The pt_regs frame a task's user-mode exceptions build, at the top of its kernel stack
 * (mirrors task_pt_regs()). stack_top is the exclusive end of the kernel stack.
 */
struct pt_regs *task_pt_regs_at(void *stack_top);

/*
 * Restore regs (which must be task_pt_regs_at() of the current stack) and return to user mode
 * (arm64: kernel_exit 0 + eret; x86_64: iretq/sysretq). Never returns.
 */
void __noreturn ret_to_user(struct pt_regs *regs);

/*
 * The arch's syscall entry decodes the number and up to six arguments from regs, calls
 * syscall_dispatch() (common/kernel/sys.c) and stores the return value in the user's result
 * register. Not a hook: documented here so both ports do the same.
 */

/* ------------------------------------------------------------------------------------------
 * Oops and panic support
 * ---------------------------------------------------------------------------------------- */

/*
 * Print the first line of an oops report (called by die() with the already incremented die
 * counter). common/kernel/panic.c has a weak default with arm64's line
 * ("Internal error: Oops: 0000000096000045 [#1] SMP"); x86_64 overrides it with
 * __die_header()'s ("Oops: 0002 [#1] SMP"). Optional.
 */
void arch_die_header(const char *str, unsigned long err, int counter);

/*
 * Mirrors __show_regs() in arch/<arch>/kernel/process.c: print pstate/flags, pc, lr, sp and the
 * general registers in Linux's layout for the arch. Called by die() after the
 * arch_die_header() line.
 */
void show_regs(struct pt_regs *regs);

/*
 * Mirrors dump_backtrace(): print "Call trace:" and one line per frame starting at regs (or at
 * the caller when regs is NULL). Frame-pointer walk; must stop at the end of the kernel stack.
 */
void show_stack(struct pt_regs *regs);

/*
 * Arch fault handlers report a fatal kernel fault through die() (common/kernel/panic.c)
 * after printing their arch-specific first line (arm64: "Unable to handle kernel NULL pointer
 * dereference at virtual address ..."; x86_64: "BUG: kernel NULL pointer dereference, address:
 * ..."), having stored the faulting address in current->thread.fault_address.
 */

/* ------------------------------------------------------------------------------------------
 * Power
 * ---------------------------------------------------------------------------------------- */

/* Power the machine off (arm64: PSCI SYSTEM_OFF; x86_64: port 0x604 <- 0x2000). */
void __noreturn machine_power_off(void);
/* Reset the machine (arm64: PSCI SYSTEM_RESET; x86_64: port 0xcf9 <- 0x06). */
void __noreturn machine_restart(void);
/* Stop this CPU for good with interrupts masked (used when power-off itself fails). */
void __noreturn machine_halt(void);

/* ------------------------------------------------------------------------------------------
 * kexec / kdump (Linux's CONFIG_KEXEC_CORE + CONFIG_CRASH_DUMP)
 *
 * An arch enables it by building with ${KDSIM_KERNEL_KEXEC_SOURCES} and
 * ${KDSIM_KERNEL_KEXEC_CFLAGS} (-DCONFIG_KEXEC_CORE=1 -DCONFIG_CRASH_DUMP=1; see
 * kernels/CMakeLists.txt) and providing everything below. Without it, include/kernel/kexec.h
 * stubs crash_kexec()/__crash_kexec() and panic() powers off as before.
 *
 * Headers:
 *   asm/kexec.h          KEXEC_ARCH (KEXEC_ARCH_AARCH64 / KEXEC_ARCH_X86_64),
 *                        KEXEC_CONTROL_PAGE_SIZE, KEXEC_{SOURCE,DESTINATION,CONTROL}_MEMORY_LIMIT,
 *                        KEXEC_CRASH_CONTROL_MEMORY_LIMIT, struct kimage_arch (arm64 has dtb_mem
 *                        and kern_reloc; common code reads kimage->arch.dtb_mem only in the
 *                        arch), and the inline
 *                          void crash_setup_regs(struct pt_regs *newregs, struct pt_regs *oldregs)
 *                        copy oldregs, or capture the current CPU state when oldregs is NULL
 *                        (arm64: x0-x30, sp, pc = a local label, faked pstate; x86: the
 *                        inline asm of arch/x86/include/asm/kexec.h).
 *   asm/crash_reserve.h  CRASH_ALIGN, CRASH_ADDR_LOW_MAX, CRASH_ADDR_HIGH_MAX (may be
 *                        variables), optionally DEFAULT_CRASH_KERNEL_LOW_SIZE (x86:
 *                        max(swiotlb + 8 MiB, 256 MiB)) and HAVE_ARCH_ADD_CRASH_RES_TO_IOMEM_EARLY
 *                        (x86: "Crash kernel" is inserted into iomem at reservation time).
 *   asm/elf.h            ELF_NGREG (arm64 34, x86_64 27), ELF_CORE_COPY_REGS(dest, regs)
 *                        (fills elf_prstatus.pr_reg in Linux's order), and
 *                        vmcore_elf64_check_arch(ehdr) (e_machine of the core file).
 *   symbols              swapper_pg_dir (the kernel page-table root, VMCOREINFO; x86 may alias
 *                        init_top_pgt), _stext, __start_notes/__stop_notes (build ID).
 *
 * setup_arch() duties (in this order, like Linux):
 *   - set_nr_cpu_ids(n) with the possible CPUs (arm64: /cpus/cpu@N; x86: ACPI/MP tables or 1);
 *   - a capture kernel: take elfcorehdr from the firmware tables if the arch has such a thing
 *     (arm64: /chosen/linux,elfcorehdr), then call parse_elfcorehdr_param(boot_command_line)
 *     (<kernel/crash_dump.h>; x86 gets it only from the command line), cap memblock to the
 *     usable memory (arm64: /chosen/linux,usable-memory-range; x86: the e820 map the loader
 *     built), and memblock_reserve() the ELF core header; the LINEAR MAP must still cover the
 *     old kernel's RAM (copy_oldmem_page reads it);
 *   - reserve crashkernel=: parse_crashkernel() + reserve_crashkernel_generic()
 *     (<kernel/crash_reserve.h>, arm64: arch_reserve_crashkernel() in arch/arm64/mm/init.c),
 *     after memblock holds all RAM and the image/boot data reservations;
 *   - populate iomem_resource (<kernel/ioport.h>): "System RAM" per RAM range with
 *     request_resource(), "Kernel code" / "Kernel data" inside it (request_standard_resources()
 *     / e820__reserve_resources()). start_kernel() then records STAGE_CAPTURE_ENTRY for a
 *     capture kernel; do_basic_setup() inserts "Crash kernel", creates the sysfs/proc files
 *     and runs vmcore_init().
 * ---------------------------------------------------------------------------------------- */

struct kimage;

/* Mirrors machine_kexec_prepare(): 0, or -EBUSY ("Can't kexec: CPUs are stuck ..."). */
int machine_kexec_prepare(struct kimage *image);

/*
 * Mirrors machine_kexec_post_load(), called after the segments are loaded and terminated:
 * crash images (head == IND_DONE) just clean the segments to PoC; normal images get their
 * relocation code placed (arm64: copied into image->control_code_page).
 */
int machine_kexec_post_load(struct kimage *image);

/*
 * Mirrors machine_crash_shutdown(): interrupts off, stop the other CPUs (each saving its
 * registers with crash_save_cpu()), crash_save_cpu(regs, this cpu), write
 * KDSIM_STAGE_MACHINE_CRASH_SHUTDOWN (ARG0 = crash_notes_phys(cpu), ARG1 = cpu), print
 * "Starting crashdump kernel..." (arm64; x86 Linux prints nothing here).
 */
void machine_crash_shutdown(struct pt_regs *regs);

/* Mirrors machine_shutdown() before a normal kexec (kernel_kexec()): stop other CPUs. */
void machine_shutdown(void);

/*
 * Mirrors machine_kexec(): print "Bye!" (arm64), mask interrupts, write
 * KDSIM_STAGE_MACHINE_KEXEC (ARG0 = image->start, ARG1 = DTB / boot_params PA or 0), then:
 * arm64 cpu_soft_restart() (idmap, MMU off, stage MMU_OFF, x0 = dtb, x1..x3 = 0, br entry; normal
 * images go through the relocation routine first); x86 relocate_kernel (identity CR3, stage
 * IDENTITY_CR3, copy the IND_ list for normal images, zero the GPRs, jump to start).
 */
void __noreturn machine_kexec(struct kimage *image);

/* Append the arch VMCOREINFO keys (arm64: NUMBER(VA_BITS), NUMBER(kimage_voffset)=0x..,
 * NUMBER(PHYS_OFFSET)=0x.., NUMBER(TCR_EL1_T1SZ), KERNELOFFSET; x86: phys_base, ...). */
void arch_crash_save_vmcoreinfo(void);

/*
 * Mirrors copy_oldmem_page() (arch/<arch>/kernel/crash_dump.c): copy csize bytes at offset in
 * the crashed kernel's page pfn to the kernel buffer buf. Returns csize or -errno (-ENOMEM when
 * the page cannot be mapped).
 */
ssize_t copy_oldmem_page(void *buf, unsigned long pfn, size_t csize, unsigned long offset);

#endif /* KERNEL_ARCH_H */
