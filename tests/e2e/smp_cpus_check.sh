#!/usr/bin/env bash
# A kdump scenario whose CPUs were somewhere different at the crash (issue #9): the run meets its
# expectations, and the vmcore has exactly one NT_PRSTATUS per CPU listed, each with that CPU's
# own registers: `kdsim inspect` symbolizes CPU N's PC to FUNC, and gdb (x86_64) / gdb-multiarch
# (arm64) on the first kernel's ELF + the vmcore shows the first one's FUNC as frame #0 of its
# current thread. (gdb names a core's threads by pr_pid; the idle tasks all have pid 0, as in a
# Linux vmcore, so gdb folds those CPUs together and only kdsim inspect can tell them apart.)
#   smp_cpus_check.sh KDSIM SCENARIO KERNEL_ELF ARCH WORKDIR N:FUNC...
set -euo pipefail
kdsim=$1 scenario=$2 kernel=$3 arch=$4 work=$5
shift 5
rm -rf "$work" && mkdir -p "$work"
"$kdsim" run "$scenario" -o "$work/out" --quiet >"$work/run.log" ||
  { echo "kdsim run failed"; tail -30 "$work/run.log"; exit 1; }
vmcore=$work/out/vmcore
[ -f "$vmcore" ] || { echo "no vmcore saved"; exit 1; }

notes=$(readelf -n "$vmcore")
prstatus=$(grep -c 'NT_PRSTATUS' <<<"$notes" || true)
[ "$prstatus" -eq $# ] || { echo "readelf -n: $prstatus NT_PRSTATUS notes, want $#"; echo "$notes"; exit 1; }

inspect=$("$kdsim" inspect "$vmcore" --kernel "$kernel")
gdb=gdb
[ "$arch" = arm64 ] && gdb=gdb-multiarch
bt=$($gdb -nx -batch -ex 'set pagination off' -ex 'bt 1' "$kernel" "$vmcore" 2>&1 || true)
first=${1#*:}
grep -qE "^#0 .*$first" <<<"$bt" || { echo "gdb: frame #0 of the first CPU's thread is not $first"; echo "$bt"; exit 1; }
for want in "$@"; do
  cpu=${want%%:*} func=${want#*:}
  grep -A1 "^CPU $cpu " <<<"$inspect" | grep -qE "(pc :|RIP:) $func\+0x" ||
    { echo "kdsim inspect: CPU $cpu's PC is not in $func"; echo "$inspect" | grep -A1 '^CPU '; exit 1; }
  echo "CPU $cpu: $func"
done
echo "smp_cpus_check: $# CPUs of $(basename "$scenario") where they were"
