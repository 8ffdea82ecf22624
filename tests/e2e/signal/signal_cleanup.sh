#!/usr/bin/env bash
# SIGTERM and SIGINT in the middle of a dump (issue #12): kdsim must exit 128+signo with one
# line on stderr, remove OUTDIR/.vmcore.partial and every .kdsim-tmp-* file, leave no vmcore
# that this run did not finish, and leave a previous run's outputs exactly as they were (the
# README: outputs are renamed into place only when complete).
#   signal_cleanup.sh KDSIM SCENARIO KERNEL_DIR WORKDIR
set -euo pipefail
kdsim=$1 scenario=$2 kernel_dir=$3 work=$4
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT  # a dump that did complete is 2 GiB: never leave it behind

fail() { echo "signal_cleanup: $*" >&2; exit 1; }
# kill -0 also succeeds for a zombie: an ended child is one whose state is Z (or gone).
alive() { local state; state=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) || return 1; [ "$state" != Z ]; }

# Starts a run, waits (up to 120 s, polling every 20 ms) until the partial vmcore exists, sends
# the signal, and checks what the process and the directory look like afterwards.
interrupt_mid_dump() {  # SIGNAL EXPECTED_STATUS OUTDIR
  local sig=$1 want=$2 out=$3 pid rc=0 waited=0
  "$kdsim" run "$scenario" -o "$out" --quiet --kernel-dir "$kernel_dir" >"$out.stdout" 2>"$out.stderr" &
  pid=$!
  until [ -e "$out/.vmcore.partial" ]; do
    if ! alive "$pid"; then
      wait "$pid" || rc=$?
      fail "$sig: kdsim ended (status $rc) before a .vmcore.partial appeared; stderr: $(cat "$out.stderr")"
    fi
    sleep 0.02
    waited=$((waited + 1))
    [ $waited -lt 6000 ] || { kill -KILL "$pid"; fail "$sig: no .vmcore.partial after 120 s"; }
  done
  kill "-$sig" "$pid"
  wait "$pid" || rc=$?
  [ "$rc" -ne 0 ] || fail "$sig: the dump completed before the signal arrived (status 0): make the touch larger"
  [ "$rc" -eq "$want" ] || fail "$sig: exit status $rc, expected $want; stderr: $(cat "$out.stderr")"
  local expected_line="kdsim: interrupted by SIG$sig; unfinished files removed"
  [ "$(cat "$out.stderr")" = "$expected_line" ] ||
    fail "$sig: stderr is not the one line '$expected_line': $(cat "$out.stderr")"
  [ ! -e "$out/.vmcore.partial" ] || fail "$sig: $out/.vmcore.partial is still there"
  local left
  left=$(find "$out" -name '.kdsim-tmp-*' -o -name '*.partial')
  [ -z "$left" ] || fail "$sig: temporary files left: $left"
}

# 1. SIGTERM into an output directory holding a previous run's reports but no vmcore: no vmcore
#    afterwards, the reports untouched (this run got no further than the dump).
out1=$work/term
mkdir -p "$out1"
for f in console.log stages.jsonl transcript.txt summary.json; do echo "previous $f" >"$out1/$f"; done
interrupt_mid_dump TERM 143 "$out1"
[ ! -e "$out1/vmcore" ] || fail "TERM: a vmcore was left: $(ls -l "$out1/vmcore")"
for f in console.log stages.jsonl transcript.txt summary.json; do
  [ "$(cat "$out1/$f")" = "previous $f" ] || fail "TERM: $f of the previous run was changed"
done

# 2. SIGINT over a previous run's complete vmcore: it stays, byte for byte (a vmcore is only
#    ever replaced by a complete one).
out2=$work/int
mkdir -p "$out2"
echo "previous vmcore" >"$out2/vmcore"
interrupt_mid_dump INT 130 "$out2"
[ "$(cat "$out2/vmcore")" = "previous vmcore" ] || fail "INT: the previous vmcore was replaced or removed"
echo "signal_cleanup: SIGTERM and SIGINT mid-dump left no partial file and kept the previous outputs"
