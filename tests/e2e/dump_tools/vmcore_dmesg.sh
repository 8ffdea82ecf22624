#!/usr/bin/env bash
# kexec-tools' vmcore-dmesg (the host's /usr/sbin/vmcore-dmesg, Debian 12's 2.0.25) reads the
# kernel log out of a kdsim vmcore the way it does on a real machine: VMCOREINFO's SYMBOL(prb)
# and the printk ring buffer's SIZE/OFFSET lines, virtual addresses through the PT_LOADs.
# What it prints must be the first kernel's own printk lines, exactly as its console showed
# them (same text, same timestamps), up to "Bye!" just before the jump to the capture kernel;
# the console lines it leaves out must be user space's (init's), which Linux never logs. Also
# VMCOREINFO's OSRELEASE and CRASHTIME. `kdsim inspect` must print the very same log.
#   vmcore_dmesg.sh KDSIM SCENARIO WORKDIR
set -euo pipefail
kdsim=$1 scenario=$2 work=$3
dmesg_tool=$(command -v vmcore-dmesg || echo /usr/sbin/vmcore-dmesg)
[ -x "$dmesg_tool" ] || { echo "FAIL: no vmcore-dmesg (package kexec-tools; scripts/setup.sh installs it)"; exit 1; }
rm -rf "$work"
mkdir -p "$work"
"$kdsim" run "$scenario" -o "$work/run" >"$work/run.txt" 2>&1 || { echo "FAIL: kdsim run exited $?"; tail -30 "$work/run.txt"; exit 1; }
"$dmesg_tool" "$work/run/vmcore" >"$work/dmesg.txt" 2>"$work/dmesg.err" ||
  { echo "FAIL: vmcore-dmesg exited $?"; cat "$work/dmesg.err"; exit 1; }
# VMCOREINFO as makedumpfile's read_vmcoreinfo_basic_info needs it: the release the kernel mirrors
# and a real CRASHTIME (the board's RTC: 2024-01-01T00:00:00Z at power-on, well under a second
# of machine time before the crash).
grep -aq "OSRELEASE=6.1.0-kdsim" "$work/run/vmcore" || { echo "FAIL: no OSRELEASE=6.1.0-kdsim in VMCOREINFO"; exit 1; }
grep -aq "CRASHTIME=1704067200" "$work/run/vmcore" ||
  { echo "FAIL: CRASHTIME is not 1704067200:"; grep -ao "CRASHTIME=[0-9]*" "$work/run/vmcore"; exit 1; }
# kdsim inspect decodes the same ring itself (sim/printk_log.cpp): the same lines.
"$kdsim" inspect "$work/run/vmcore" >"$work/inspect.txt" || { echo "FAIL: kdsim inspect exited $?"; exit 1; }
sed -n '/^Kernel log (printk ring buffer, [0-9]* records):$/,$ { /^Kernel log/d; s/^  //; p }' "$work/inspect.txt" >"$work/inspect-log.txt"
diff -u "$work/dmesg.txt" "$work/inspect-log.txt" >"$work/inspect-log.diff" ||
  { echo "FAIL: kdsim inspect's log differs from vmcore-dmesg's:"; head -20 "$work/inspect-log.diff"; exit 1; }
# The first kernel's console: every line up to the first "Bye!".
awk '{ print } /\] Bye!$/ { exit }' "$work/run/console.log" >"$work/first-kernel.txt"
python3 - "$work/dmesg.txt" "$work/first-kernel.txt" <<'PY'
import re, sys
dmesg = open(sys.argv[1]).read().splitlines()
console = open(sys.argv[2]).read().splitlines()
if len(dmesg) < 20:
    sys.exit(f"FAIL: vmcore-dmesg printed only {len(dmesg)} lines:\n" + "\n".join(dmesg))
if dmesg[-1] != console[-1] or not console[-1].endswith("] Bye!"):
    sys.exit(f"FAIL: the log does not end where the first kernel stopped: {dmesg[-1]!r} vs {console[-1]!r}")
# dmesg must be the console minus user space's lines, in order.
i = 0
left_out = []
for line in console:
    if i < len(dmesg) and dmesg[i] == line:
        i += 1
    else:
        left_out.append(line)
if i != len(dmesg):
    sys.exit(f"FAIL: vmcore-dmesg line {i + 1} is not a console line in order: {dmesg[i]!r}")
user = re.compile(r"^\[ *\d+\.\d{6}\] init: ")
kernel_left_out = [l for l in left_out if not user.match(l)]
if kernel_left_out:
    sys.exit("FAIL: kernel console lines missing from the vmcore's log:\n" + "\n".join(kernel_left_out))
# Timestamps are machine time on both arches (arm64: the generic timer; x86_64: the HPET's
# counter, issue #13): millions of instructions run before the crash, so its line is well past
# 10 ms, and the oops lines are not spaced by a per-line constant.
ts = [float(l[1:13]) for l in dmesg if re.match(r"^\[ *\d+\.\d{6}\]", l)]
crash_ts = next(float(l[1:13]) for l in dmesg if "sysrq: Trigger a crash" in l)
if crash_ts < 0.01:
    sys.exit(f"FAIL: the crash is stamped {crash_ts:.6f} s: timestamps do not follow the instruction clock")
steps = {round(b - a, 6) for a, b in zip(ts, ts[1:]) if b > a}
if len(steps) < 5 or any(b < a for a, b in zip(ts, ts[1:])):
    sys.exit(f"FAIL: timestamps go back or step by a constant: steps {sorted(steps)[:5]}")
for needed in ("sysrq: Trigger a crash", "Starting crashdump kernel...", "Linux version "):
    if not any(needed in l for l in dmesg):
        sys.exit(f"FAIL: {needed!r} is not in the vmcore's log")
print(f"vmcore-dmesg: {len(dmesg)} records, identical to the console's kernel lines "
      f"({len(left_out)} user-space line(s) left out, as Linux does)")
PY
