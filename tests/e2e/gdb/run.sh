#!/usr/bin/env bash
# kdsim run --gdb with the real debugger: gdb-multiarch (arm64) or gdb (x86_64) in batch mode
# follows kdump-sysrq from machine_kexec through the MMU-off hand-off to the capture kernel's
# physical entry and on to the end; the run must still save its vmcore and meet every expectation.
#   run.sh KDSIM ARCH KERNEL_ELF SCENARIO CAPTURE_ENTRY WORKDIR
set -euo pipefail
kdsim=$1 arch=$2 kernel=$3 scenario=$4 entry=$5 work=$6
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work"
gdb=gdb
[ "$arch" = arm64 ] && gdb=gdb-multiarch

"$kdsim" run "$scenario" -o "$work/out" --quiet --gdb 0 >"$work/kdsim.out" 2>"$work/kdsim.err" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
port=
for _ in $(seq 600); do  # up to a minute: a loaded CI host or the ASan build starts slowly
  port=$(sed -n 's/^kdsim: waiting for gdb on 127.0.0.1:\([0-9]*\) .*/\1/p' "$work/kdsim.err")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "kdsim never said where it waits for gdb"; cat "$work/kdsim.err"; exit 1; }
sed "s/@PORT@/$port/; s/@ENTRY@/$entry/" "$here/session.gdb.in" >"$work/session.gdb"
timeout 180 "$gdb" -batch -nx -ex "file $kernel" -x "$work/session.gdb" >"$work/gdb.out" 2>&1 || true
# A gdb that never connected leaves kdsim waiting for it: give the run a minute, then fail.
for _ in $(seq 600); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
if kill -0 $pid 2>/dev/null; then
  echo "kdsim is still running after gdb ended; gdb said:"; cat "$work/gdb.out"; exit 1
fi
wait $pid || { echo "kdsim run failed under gdb:"; tail -20 "$work/kdsim.out" "$work/kdsim.err" "$work/gdb.out"; exit 1; }
trap - EXIT
cat "$work/gdb.out"
expect() { grep -qE "$1" "$work/gdb.out" || { echo "gdb session: no line matching '$1'"; exit 1; }; }
expect '^KDSIM-CHECK stopped in machine_kexec at 0xffff'
expect '^#0 +machine_kexec '
expect '^KDSIM-CHECK physical after [0-9]+ steps at 0x[0-9a-f]{1,8}$'
expect "^KDSIM-CHECK capture kernel entry at $entry\$"
expect 'exited normally'
grep -q 'kdsim: the purgatory is loaded: add-symbol-file .*purgatory.ro -s .text 0x' "$work/kdsim.err" ||
  { echo "no add-symbol-file line for the purgatory"; cat "$work/kdsim.err"; exit 1; }
grep -q '^vmcore: saved' "$work/out/transcript.txt" || { echo "no vmcore under gdb"; exit 1; }
echo "gdb session across the $arch kexec hand-off: OK"
