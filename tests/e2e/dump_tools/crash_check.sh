#!/usr/bin/env bash
# crash 8.0.2 (Debian 12's, full mode) opens a kdsim kdump vmcore with the kernel's own ELF as
# vmlinux and reaches its prompt (issue #8); then what an engineer types first:
#   bt   the panic task's backtrace through sysrq_handle_crash and its callers;
#   log  the printk ring buffer with the oops;
#   ps   init and one idle task ("swapper/N") per CPU;
#   sys  the release (6.1.0-kdsim).
# The crash binary is the host's on x86_64; arm64's is Debian's arm64 package under qemu-user
# through scripts/arm64-tool. A missing tool fails the test.
#   crash_check.sh KDSIM SCENARIO KERNEL_ELF ARCH CPUS WORKDIR [VMCORE]
# With VMCORE (e.g. a makedumpfile output) that file is opened instead of a new run's vmcore.
set -euo pipefail
kdsim=$1 scenario=$2 kernel=$3 arch=$4 cpus=$5 work=$6 dump=${7:-}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tool_runner.sh
. "$here/tool_runner.sh"
tool_check crash
if [ -z "$dump" ]; then
	rm -rf "$work"
	mkdir -p "$work"
	"$kdsim" run "$scenario" -o "$work/run" >"$work/run.txt" 2>&1 ||
		{ echo "FAIL: kdsim run exited $?"; tail -30 "$work/run.txt"; exit 1; }
	dump=$work/run/vmcore
fi
printf 'sys\nbt\nps\nlog\nquit\n' >"$work/crash.cmds"
tool_run crash -s "$kernel" "$dump" <"$work/crash.cmds" >"$work/crash.out" 2>&1 || true
cat "$work/crash.out"
fail() { echo "FAIL: $*"; exit 1; }
grep -q "RELEASE: 6.1.0-kdsim" "$work/crash.out" || fail "sys does not show RELEASE: 6.1.0-kdsim"
# The crashed task's frames: sysrq_handle_crash, then its callers up to the write syscall.
bt=$(sed -n '/^PID: 1 /,/^ *PID  *PPID/p' "$work/crash.out")
echo "$bt" | grep -Eq "^ *#[0-9]+ .* sysrq_handle_crash at " || fail "bt does not show sysrq_handle_crash"
echo "$bt" | sed -n '/sysrq_handle_crash/,$p' | grep -Eq "^ *#[0-9]+ .* sys_write at " ||
	fail "bt does not show sysrq_handle_crash's callers (sys_write)"
grep -Eq "^>? +1 +0 +[0-9]+ +[0-9a-f]+ +RU .* init$" "$work/crash.out" || fail "ps does not list init (PID 1)"
for ((cpu = 0; cpu < cpus; cpu++)); do
	grep -Eq "^>? +0 +0 +$cpu +[0-9a-f]+ +RU .* \[swapper/$cpu\]$" "$work/crash.out" ||
		fail "ps does not list CPU $cpu's idle task swapper/$cpu"
done
grep -q "sysrq: Trigger a crash" "$work/crash.out" || fail "log does not show the sysrq trigger"
grep -Eq "Oops|Unable to handle kernel NULL pointer" "$work/crash.out" || fail "log does not show the oops"
# Known and tolerated (see docs/dump-tools.md): "cannot determine thread return address"
# (x86_64, no __schedule), "task_struct.thread.context" (arm64), no modules, no net devices.
if grep -Eq "invalid structure|invalid kernel virtual address|cannot resolve|error trace|Segmentation" "$work/crash.out"; then
	fail "crash reported a missing structure, symbol or address"
fi
echo "crash: sys, bt, ps and log as expected"
