// SPDX-License-Identifier: MIT
/*
 * start_kernel() and the road to /init (mirrors init/main.c). Console lines keep Linux's
 * wording and order: CPU line, banner, arch lines, command line, memory, then
 * "Run /init as init process".
 */
#include <kernel/init.h>
#include <kernel/arch.h>
#include <kernel/binfmts.h>
#include <kernel/fs.h>
#include <kernel/memblock.h>
#include <kernel/mm.h>
#include <kernel/panic.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/sched.h>
#include <kernel/security.h>
#include <kernel/sections.h>
#include <kernel/string.h>
#include <kernel/serial_core.h>
#include <kernel/sysrq.h>
#include <kernel/lkdtm.h>
#include <kernel/timekeeping.h>
#include <kernel/version.h>
#include <kernel/crash_core.h>
#include <kernel/crash_dump.h>
#include <kernel/crash_reserve.h>
#include <kernel/ioport.h>
#include <kdsim/agent.h>
#include <kdsim/dumpdisk.h>
#include <kdsim/stage.h>
#include <asm/elf.h>
#include <linux/fcntl.h>

char boot_command_line[COMMAND_LINE_SIZE];

const char linux_banner[] = "Linux version " UTS_RELEASE " (" LINUX_COMPILE_BY "@" LINUX_COMPILE_HOST
                            ") (" LINUX_COMPILER ") " UTS_VERSION "\n";
/* /proc/version has the same text (Linux formats linux_proc_banner with utsname()). */
const char linux_proc_banner[] = "Linux version " UTS_RELEASE " (" LINUX_COMPILE_BY
                                 "@" LINUX_COMPILE_HOST ") (" LINUX_COMPILER ") " UTS_VERSION "\n";

/* PID 0 (init/init_task.c): the boot CPU's idle task, which runs everything up to /init. */
struct task_struct *current = &init_task;

/* PID 1: the user-mode init, with its own kernel stack and fd table. */
static struct files_struct init_files;
static union thread_union init_process_stack __aligned(16);
static struct pid init_process_pid;
static struct task_struct init_process = {
	.comm = "init", .files = &init_files, .stack = &init_process_stack,
};

/* What kernel_clone() does for PID 1: a pid in init_pid_ns and a place on the task list. */
static void init_process_create(void)
{
	if (task_attach_new_pid(&init_process, &init_process_pid, 1))
		panic("cannot give init PID 1");
	init_process.real_parent = init_process.parent = &init_task; /* kernel_clone() by PID 0 */
	init_process.group_leader = &init_process;
	list_add_tail(&init_process.tasks, &init_task.tasks);
	nr_threads++;
}

/* Linux's kernel parameters we honour: "oops=panic", "panic_on_oops[=N]" and "lockdown=". */
static void __init lockdown_early_param(const char *value, size_t len)
{
	char level[32];
	if (len >= sizeof(level))
		len = sizeof(level) - 1;
	memcpy(level, value, len);
	level[len] = '\0';
	if (lockdown_param(level))
		pr_warn("Malformed early option 'lockdown'\n");
}

static void __init parse_early_param(const char *cmdline)
{
	const char *p = cmdline;
	while (*p) {
		while (*p == ' ')
			p++;
		const char *word = p;
		while (*p && *p != ' ')
			p++;
		size_t len = (size_t)(p - word);
		if (len == 10 && !memcmp(word, "oops=panic", 10))
			panic_on_oops = 1;
		else if (len == 13 && !memcmp(word, "panic_on_oops", 13))
			panic_on_oops = 1;
		else if (len > 14 && !memcmp(word, "panic_on_oops=", 14))
			panic_on_oops = word[14] != '0';
		else if (len > 9 && !memcmp(word, "lockdown=", 9))
			lockdown_early_param(word + 9, len - 9);
	}
}

void __init mem_init(void)
{
	/*
	 * paging_init()'s sparse_init() (the memmap) and free_area_init() + memblock_free_all()
	 * (the buddy view), done here in one place. Not in a capture kernel: nothing reads its
	 * memmap, and it keeps the capture kernel's boot short.
	 */
	if (!is_kdump_kernel()) {
		sparse_init();
		memblock_free_all();
	}
	unsigned long total = (unsigned long)memblock_phys_mem_size();
	unsigned long reserved = (unsigned long)memblock.reserved.total_size;
	pr_info("Memory: %luK/%luK available (%luK kernel code, %luK rwdata, %luK rodata, "
	        "%luK bss, %luK reserved)\n",
	        (total - reserved) >> 10, total >> 10, (unsigned long)(_etext - _text) >> 10,
	        (unsigned long)(_edata - _sdata) >> 10,
	        (unsigned long)(__end_rodata - __start_rodata) >> 10,
	        (unsigned long)(__bss_stop - __bss_start) >> 10, reserved >> 10);
	memblock_snapshot_totalram(); /* totalram_pages(): what the page allocator would manage */
	set_memory_limits();
}

/* Mirrors console_on_rootfs(): init gets /dev/console as fds 0, 1 and 2. */
static void console_on_rootfs(void)
{
	if (do_open_node("/dev/console", O_RDWR) < 0 || do_open_node("/dev/console", O_RDWR) < 0 ||
	    do_open_node("/dev/console", O_RDWR) < 0)
		pr_err("Warning: unable to open an initial console.\n");
}

/* Mirrors do_basic_setup(): the built-in "initcalls", in Linux's level order. */
static void do_basic_setup(void)
{
#ifdef CONFIG_KEXEC_CORE
	insert_crashkernel_resources(); /* early_initcall (arm64) */
	ksysfs_init();                  /* core_initcall */
	crash_save_vmcoreinfo_init();   /* subsys_initcall */
	crash_notes_memory_init();      /* subsys_initcall */
#endif
#ifdef CONFIG_CRASH_DUMP
	vmcore_init(); /* fs_initcall */
#endif
	proc_iomem_init(); /* ioresources_init */
#ifdef CONFIG_KEXEC_CORE
	cpu_dev_init(); /* driver_init: /sys/devices/system/cpu/cpuN/crash_notes */
#endif
	proc_version_init();
	proc_cmdline_init();
	proc_kcore_init();
	console_dev_init();
	serial_console_startup(); /* the console's tty opened: uart_startup(), its IRQ requested */
	sysrq_init();
	lkdtm_init(); /* module_init(lkdtm_module_init), built in */
	kdsim_agent_init();
	kdsim_dumpdisk_init();
}

static void __noreturn kernel_init(void)
{
	idle_threads_init(); /* smp_init() (kernel/smp.c) starts with it */
	smp_init();          /* kernel_init_freeable(): before do_basic_setup() */
	do_basic_setup();
	init_process_create();
	current = &init_process;
	sched_set_curr(0, current);
	console_on_rootfs();

	pr_info("Run %s as init process\n", "/init");
	int ret = kernel_execve("/init");
	pr_err("Failed to execute %s (error %d)\n", "/init", ret);
	panic("No working init found.  Try passing init= option to kernel. "
	      "See Linux Documentation/admin-guide/init.rst for guidance.");
}

void __init __noreturn start_kernel(void)
{
	char *command_line = boot_command_line;

	smp_setup_processor_id();
	pr_notice("%s", linux_banner);
	pr_notice("kdsim toy kernel %s (%s): kexec/kdump teaching kernel\n", UTS_RELEASE,
	          UTS_MACHINE);
	setup_arch(&command_line);
#ifdef CONFIG_CRASH_DUMP
	/* A capture kernel: setup_arch() found elfcorehdr (DT property or command line). */
	if (is_kdump_kernel())
		kdsim_stage(STAGE_CAPTURE_ENTRY, elfcorehdr_addr, 0);
#endif
	pr_notice("Kernel command line: %s\n", command_line);
	setup_per_cpu_areas();
	parse_early_param(command_line);
	sched_init();
	mem_init();
	timekeeping_init(); /* reads the RTC, as start_kernel() does after the IRQ setup */
	time_init();
	kernel_init();
}
