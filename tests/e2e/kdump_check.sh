#!/usr/bin/env bash
# End-to-end check of a kdump scenario's vmcore:
#  - kdsim run saves OUTDIR/vmcore and a RAM snapshot taken when purgatory starts;
#  - vmcore_check: ET_CORE layout, one NT_PRSTATUS per CPU + VMCOREINFO, PT_LOADs outside the
#    crash region, every PT_LOAD byte equal to guest RAM at the hand-off;
#  - readelf -n / -l, as a user would look at it;
#  - gdb (x86_64) / gdb-multiarch (arm64): `bt` on the first kernel's ELF + the vmcore shows the
#    crashing function and its callers up the sysrq path.
#   kdump_check.sh KDSIM VMCORE_CHECK SCENARIO KERNEL_ELF ARCH CPUS WORKDIR [KDSIM RUN OPTIONS...]
set -euo pipefail
kdsim=$1 checker=$2 scenario=$3 kernel=$4 arch=$5 cpus=$6 work=$7
shift 7
rm -rf "$work" && mkdir -p "$work"
"$kdsim" run "$scenario" -o "$work/out" --quiet --ram-snapshot "$work/ram.snapshot" "$@" >"$work/run.log"
[ -f "$work/ram.snapshot" ] || { echo "--ram-snapshot wrote nothing"; exit 1; }
vmcore=$work/out/vmcore
[ -f "$vmcore" ] || { echo "no vmcore saved"; tail -30 "$work/run.log"; exit 1; }

# The crash region, from the first kernel's /proc/iomem as the transcript shows it.
region=$(grep -m1 -o 'crash kernel region \[P0x[0-9a-f]*, P0x[0-9a-f]*)' "$work/out/transcript.txt" || true)
start=$(sed -E 's/.*\[P(0x[0-9a-f]+), P(0x[0-9a-f]+)\).*/\1/' <<<"$region")
end=$(sed -E 's/.*\[P(0x[0-9a-f]+), P(0x[0-9a-f]+)\).*/\2/' <<<"$region")
[ -n "$region" ] || { echo "no crash region in the transcript"; exit 1; }
"$checker" "$vmcore" "$arch" "$cpus" "$work/ram.snapshot" "$start" "$((end - start))"

notes=$(readelf -n "$vmcore")
prstatus=$(grep -c 'NT_PRSTATUS' <<<"$notes" || true)
[ "$prstatus" -eq "$cpus" ] || { echo "readelf -n: $prstatus NT_PRSTATUS notes, want $cpus"; echo "$notes"; exit 1; }
grep -q 'VMCOREINFO' <<<"$notes" || { echo "readelf -n: no VMCOREINFO note"; echo "$notes"; exit 1; }
readelf -l "$vmcore" | grep -E 'NOTE|LOAD'

gdb=gdb
[ "$arch" = arm64 ] && gdb=gdb-multiarch
bt=$($gdb -nx -batch -ex 'set pagination off' -ex bt "$kernel" "$vmcore" 2>&1 || true)
echo "$bt"
grep -qE '^#0 .*sysrq_handle_crash' <<<"$bt" || { echo "gdb bt: the innermost frame is not sysrq_handle_crash"; exit 1; }
grep -q 'write_sysrq_trigger' <<<"$bt" || { echo "gdb bt: no write_sysrq_trigger caller"; exit 1; }
# kdsim inspect: one register block per CPU, CPU 0's PC symbolized to the crashing function.
inspect=$("$kdsim" inspect "$vmcore" --kernel "$kernel")
blocks=$(grep -c '^CPU [0-9]* (NT_PRSTATUS' <<<"$inspect" || true)
[ "$blocks" -eq "$cpus" ] || { echo "kdsim inspect: $blocks CPU blocks, want $cpus"; echo "$inspect" | head -40; exit 1; }
# x86_64 SMP: each AP's own registers, saved from its NMI handler: its RIP in the idle loop it was
# halted in (start_secondary), and every CPU on its own stack.
if [ "$arch" = x86_64 ] && [ "$cpus" -gt 1 ]; then
  for ((c = 1; c < cpus; c++)); do
    grep -A1 "^CPU $c " <<<"$inspect" | grep -qE 'RIP: start_secondary\+0x' ||
      { echo "kdsim inspect: CPU $c's RIP is not in its idle loop"; echo "$inspect" | head -60; exit 1; }
  done
  rsps=$(grep -E '^  RSP: ' <<<"$inspect" | awk '{print $2}' | sort -u | wc -l)
  [ "$rsps" -eq "$cpus" ] || { echo "kdsim inspect: $rsps distinct RSPs for $cpus CPUs"; exit 1; }
fi
grep -A1 '^CPU 0 ' <<<"$inspect" | grep -qE '(pc :|RIP:) sysrq_handle_crash\+0x' ||
  { echo "kdsim inspect: CPU 0's PC is not in sysrq_handle_crash"; echo "$inspect" | head -20; exit 1; }
grep -q '^  OSRELEASE=' <<<"$inspect" || { echo "kdsim inspect: no VMCOREINFO text"; exit 1; }
# CPU 0's call trace, walked through the frame records in the dumped memory: the crash, then its
# caller up the sysrq path.
trace=$(sed -n '/^CPU 0 /,/^CPU 1 \|^VMCOREINFO/p' <<<"$inspect" | sed -n '/Call trace:/,$p')
grep -qE '^   sysrq_handle_crash\+0x' <<<"$trace" && grep -qE '^   write_sysrq_trigger\+0x' <<<"$trace" ||
  { echo "kdsim inspect: CPU 0's call trace does not go sysrq_handle_crash <- write_sysrq_trigger"; echo "$trace"; exit 1; }
# ... and an input error is exit code 3 with the file named.
set +e
err=$("$kdsim" inspect "$scenario" 2>&1 >/dev/null); rc=$?
set -e
[ "$rc" -eq 3 ] && [ "$err" = "kdsim: error: $scenario: not an ELF file" ] ||
  { echo "kdsim inspect of a non-ELF file: exit $rc, '$err'"; exit 1; }
echo "kdump_check: vmcore of $arch OK"
