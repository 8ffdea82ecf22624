#!/usr/bin/env bash
# SIGTERM / SIGINT to `kdsim test` (issue #12): the signal goes on to the running `kdsim run`
# (which removes its unfinished files), no queued scenario starts, the parent waits for its
# child and exits 128 + signo with one line on stderr, and writes no JUnit report.
#   signal.sh KDSIM LONG_SCENARIO SHORT_SCENARIO KERNEL_DIR WORKDIR
# LONG_SCENARIO dumps long enough to be caught mid-dump (OUTROOT/<name>/.vmcore.partial exists).
set -euo pipefail
kdsim=$1 long=$2 short=$3 kernel_dir=$4 work=$5
rm -rf "$work" && mkdir -p "$work"
trap 'rm -rf "$work"' EXIT  # a dump that did complete is 2 GiB
fail() { echo "kdsim test signal: $*" >&2; exit 1; }
alive() { local state; state=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) || return 1; [ "$state" != Z ]; }

# Sorted order runs a-long first; -j 1 keeps b-queued waiting behind it.
mkdir -p "$work/scenarios"
sed 's/^name: .*/name: a-long/' "$long" >"$work/scenarios/a-long.yaml"
sed 's/^name: .*/name: b-queued/' "$short" >"$work/scenarios/b-queued.yaml"

interrupt() {  # SIGNAL EXPECTED_STATUS
  local sig=$1 want=$2 out=$work/out-$1 pid child rc=0 waited=0
  "$kdsim" test "$work/scenarios" -j 1 -o "$out" --junit "$work/$sig.xml" --kernel-dir "$kernel_dir" \
    >"$work/$sig.stdout" 2>"$work/$sig.stderr" &
  pid=$!
  until [ -e "$out/a-long/.vmcore.partial" ]; do
    alive "$pid" || fail "$sig: kdsim test ended before the dump started: $(cat "$work/$sig.stderr")"
    sleep 0.02
    waited=$((waited + 1))
    [ $waited -lt 6000 ] || { kill -KILL "$pid"; fail "$sig: no .vmcore.partial after 120 s"; }
  done
  child=$(pgrep -P "$pid") || fail "$sig: no child kdsim run under $pid"
  kill "-$sig" "$pid"  # the parent only: it must pass the signal on itself
  wait "$pid" || rc=$?
  [ "$rc" -eq "$want" ] || fail "$sig: exit status $rc, expected $want; stderr: $(cat "$work/$sig.stderr")"
  ! alive "$child" || fail "$sig: the child kdsim run ($child) is still running"
  local line="kdsim: interrupted by SIG$sig; the running scenarios were stopped, no report written"
  [ "$(tail -n1 "$work/$sig.stderr")" = "$line" ] || fail "$sig: last stderr line is not '$line': $(cat "$work/$sig.stderr")"
  grep -qx "kdsim: interrupted by SIG$sig; unfinished files removed" "$out/a-long/kdsim-run.stderr" ||
    fail "$sig: the child did not get the signal: $(cat "$out/a-long/kdsim-run.stderr")"
  local left
  left=$(find "$out" -name '.kdsim-tmp-*' -o -name '*.partial' -o -name vmcore)
  [ -z "$left" ] || fail "$sig: unfinished files left: $left"
  [ ! -e "$out/b-queued/kdsim-run.stderr" ] || fail "$sig: the queued scenario was started"
  [ ! -e "$work/$sig.xml" ] || fail "$sig: a JUnit report was written"
}
interrupt TERM 143
interrupt INT 130
echo "kdsim test signal: SIGTERM and SIGINT reached the child, nothing queued started, exit 128+signo"
