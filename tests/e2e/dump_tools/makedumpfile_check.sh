#!/usr/bin/env bash
# makedumpfile 1.7.2 (Debian 12's) on a kdsim kdump vmcore (issue #8), as a kdump service runs it:
#   -c -d 31        a kdump-compressed dump without zero, cache, user and free pages (the buddy
#                   free lists and page flags in the memmap), much smaller than the vmcore, that
#                   crash opens with the same sys/bt/ps/log (crash_check.sh);
#   --dump-dmesg    the printk ring buffer, with the oops;
#   -E -d 31        the same filtered dump as an ELF core, which crash opens too.
# makedumpfile prints "The kernel version is not supported." for 6.1 (1.7.2 knows up to 6.0),
# as it does on Debian 12 itself; the dump is complete nonetheless.
# x86_64 runs the host's makedumpfile, arm64 Debian's arm64 one via scripts/arm64-tool.
#   makedumpfile_check.sh KDSIM SCENARIO KERNEL_ELF ARCH WORKDIR
set -euo pipefail
kdsim=$1 scenario=$2 kernel=$3 arch=$4 work=$5
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tool_runner.sh
. "$here/tool_runner.sh"
tool_check makedumpfile
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work"
mkdir -p "$work"
"$kdsim" run "$scenario" -o "$work/run" >"$work/run.txt" 2>&1 ||
	{ echo "FAIL: kdsim run exited $?"; tail -30 "$work/run.txt"; exit 1; }
vmcore=$work/run/vmcore
run_md() {
	echo "makedumpfile $*"
	tool_run makedumpfile "$@" >"$work/md.out" 2>&1 || { cat "$work/md.out"; fail "makedumpfile $* exited non-zero"; }
	grep -v "^\(Copying\|Excluding\|Checking\)" "$work/md.out" | tr '\r' '\n' | grep -v "^ *$\|\[.*%\]" || true
}
run_md -c -d 31 "$vmcore" "$work/dump.kdump"
head -c 8 "$work/dump.kdump" | grep -q "KDUMP" || fail "dump.kdump is not kdump-compressed (no KDUMP signature)"
core_size=$(stat -c %s "$vmcore") dump_size=$(stat -c %s "$work/dump.kdump")
echo "vmcore $core_size bytes, kdump-compressed -d 31 $dump_size bytes"
((dump_size * 100 < core_size)) || fail "the -d 31 dump is not much smaller than the vmcore"
"$here/crash_check.sh" "$kdsim" "$scenario" "$kernel" "$arch" 1 "$work" "$work/dump.kdump" >"$work/crash-kdump.txt" 2>&1 ||
	{ cat "$work/crash-kdump.txt"; fail "crash on the compressed dump"; }
tail -1 "$work/crash-kdump.txt"
run_md --dump-dmesg "$vmcore" "$work/dmesg.txt"
grep -q "sysrq: Trigger a crash" "$work/dmesg.txt" || fail "--dump-dmesg lacks the sysrq trigger"
grep -Eq "Oops|Unable to handle kernel NULL pointer" "$work/dmesg.txt" || fail "--dump-dmesg lacks the oops"
echo "--dump-dmesg: $(wc -l <"$work/dmesg.txt") lines, the oops included"
run_md -E -d 31 "$vmcore" "$work/dump.elf"
readelf -h "$work/dump.elf" | grep -q "CORE (Core file)" || fail "-E did not write an ELF core"
"$here/crash_check.sh" "$kdsim" "$scenario" "$kernel" "$arch" 1 "$work" "$work/dump.elf" >"$work/crash-elf.txt" 2>&1 ||
	{ cat "$work/crash-elf.txt"; fail "crash on the -E dump"; }
echo "-E: $(stat -c %s "$work/dump.elf") bytes; $(tail -1 "$work/crash-elf.txt")"
echo "makedumpfile: -c -d 31, --dump-dmesg and -E as expected"
