#!/usr/bin/env bash
# drgn (Debian 12's python3-drgn 0.0.22, the host's: it reads both arches' vmcores) opens a kdsim
# vmcore in kernel mode with the kernel's own ELF as vmlinux, and answers the questions an
# engineer asks first:
#   - prog.crashed_thread(): the task that crashed (crashing_cpu's NT_PRSTATUS pr_pid, looked up
#     through init_pid_ns's idr -> struct pid -> pid_links[PIDTYPE_PID]) is init, PID 1, and its
#     stack trace, unwound from the saved registers, runs through sysrq_handle_crash;
#   - the task list from init_task.tasks, and each CPU's idle task from runqueues via
#     __per_cpu_offset ("swapper/N", PID 0);
#   - get_dmesg() (the printk ring buffer) holds the oops and its call trace.
#   drgn_check.sh KDSIM SCENARIO KERNEL_ELF CPUS WORKDIR
set -euo pipefail
kdsim=$1 scenario=$2 kernel=$3 cpus=$4 work=$5
# Debian's drgn is a module of the system Python (a pyenv python3 on PATH would not see it).
py=/usr/bin/python3
"$py" -c "import drgn" 2>/dev/null || { echo "FAIL: no drgn (package python3-drgn; scripts/setup.sh installs it)"; exit 1; }
rm -rf "$work"
mkdir -p "$work"
"$kdsim" run "$scenario" -o "$work/run" >"$work/run.txt" 2>&1 || { echo "FAIL: kdsim run exited $?"; tail -30 "$work/run.txt"; exit 1; }
"$py" - "$work/run/vmcore" "$kernel" "$cpus" <<'PY'
import sys
import drgn
from drgn.helpers.linux.pid import for_each_task, find_task
from drgn.helpers.linux.list import list_for_each_entry
from drgn.helpers.linux.sched import idle_task, task_cpu
from drgn.helpers.linux.printk import get_dmesg

vmcore, kernel, cpus = sys.argv[1], sys.argv[2], int(sys.argv[3])
prog = drgn.Program()
prog.set_core_dump(vmcore)
prog.load_debug_info([kernel])
if not (prog.flags & drgn.ProgramFlags.IS_LINUX_KERNEL):
    sys.exit("FAIL: drgn did not recognise a Linux kernel core dump")

thread = prog.crashed_thread()
task = thread.object
comm = task.comm.string_().decode()
if thread.tid != 1 or comm != "init":
    sys.exit(f"FAIL: crashed thread is tid {thread.tid} ({comm!r}), expected init, PID 1")
trace = thread.stack_trace()
names = [frame.name for frame in trace]
print("crashed thread:", thread.tid, comm)
print(trace)
if "sysrq_handle_crash" not in names:
    sys.exit(f"FAIL: sysrq_handle_crash is not in the crashed thread's stack trace: {names}")
i = names.index("sysrq_handle_crash")
if "__handle_sysrq" not in names[i + 1:]:
    sys.exit(f"FAIL: the trace does not continue into sysrq_handle_crash's callers: {names}")

if find_task(prog, 1) != task:
    sys.exit("FAIL: find_task(prog, 1) is not the crashed thread's task")
listed = [(int(t.pid), t.comm.string_().decode())
          for t in list_for_each_entry("struct task_struct", prog["init_task"].tasks.address_of_(), "tasks")]
if listed != [(1, "init")]:
    sys.exit(f"FAIL: init_task.tasks lists {listed}, expected [(1, 'init')]")
for cpu in range(cpus):
    idle = idle_task(prog, cpu)
    name = idle.comm.string_().decode()
    if int(idle.pid) != 0 or name != f"swapper/{cpu}" or task_cpu(idle) != cpu:
        sys.exit(f"FAIL: CPU {cpu}'s idle task is {name!r} PID {int(idle.pid)} on CPU {task_cpu(idle)}")
print(f"tasks: init_task.tasks = {listed}; idle tasks swapper/0..{cpus - 1}")

dmesg = get_dmesg(prog).decode()
# The oops as the console printed it (kdump takes over before panic() would print more).
for needed in ("sysrq: Trigger a crash", "Oops: ", "sysrq_handle_crash+", "Starting crashdump kernel..."):
    if needed not in dmesg:
        sys.exit(f"FAIL: {needed!r} is not in get_dmesg()")
print(f"get_dmesg: {len(dmesg.splitlines())} lines, the oops included")
PY
