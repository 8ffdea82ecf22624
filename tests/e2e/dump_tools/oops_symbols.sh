#!/usr/bin/env bash
# One symbol rule (issue #13): `kdsim inspect` names the crashed CPU's PC and return addresses
# with the same "function+offset/size" the guest's oops printed (kallsyms: a symbol ends where
# the next one starts; aliases resolved as scripts/kallsyms.c does), e.g. sysrq_handle_crash+0x1c/0x30
# on x86_64, not the ELF st_size 0x26.
#   oops_symbols.sh KDSIM SCENARIO KERNEL_ELF WORKDIR
set -euo pipefail
kdsim=$1 scenario=$2 kernel=$3 work=$4
rm -rf "$work" && mkdir -p "$work"
"$kdsim" run "$scenario" -o "$work/run" >"$work/run.txt" 2>&1 || { echo "FAIL: kdsim run exited $?"; tail -30 "$work/run.txt"; exit 1; }
"$kdsim" inspect "$work/run/vmcore" --kernel "$kernel" >"$work/inspect.txt"
# CPU 0's call trace in inspect: the lines after its "Call trace:" up to the next header.
awk '/^CPU 0 /{cpu0=1} cpu0 && /Call trace:/{on=1; next} on && /^   /{print $1; next} on{exit}' \
  "$work/inspect.txt" >"$work/frames.txt"
[ "$(wc -l <"$work/frames.txt")" -ge 3 ] || { echo "FAIL: inspect shows fewer than 3 frames:"; cat "$work/inspect.txt"; exit 1; }
grep -q '^sysrq_handle_crash+0x[0-9a-f]*/0x[0-9a-f]*$' "$work/frames.txt" ||
  { echo "FAIL: sysrq_handle_crash is not inspect's first frame:"; cat "$work/frames.txt"; exit 1; }
while read -r frame; do
  grep -qF "$frame" "$work/run/console.log" ||
    { echo "FAIL: inspect's frame $frame is not what the oops printed:"; grep -F "${frame%%+*}" "$work/run/console.log"; exit 1; }
done <"$work/frames.txt"
echo "inspect and the oops agree on $(wc -l <"$work/frames.txt") frames: $(tr '\n' ' ' <"$work/frames.txt")"
