#!/usr/bin/env bash
# What a run reports besides its expectations (issue #7): a step that cannot be carried out
# fails the run (exit 1, "errors" in summary.json), steps that never started are listed as not
# reached, a scenario without expectations says so, and a run into a used output directory
# leaves nothing of the previous run behind (vmcore, report.html).
#   run.sh KDSIM SCENARIOS_DIR HERE OUT
set -euo pipefail
kdsim=$1 scenarios=$2 here=$3 out=$4
rm -rf "$out"
mkdir -p "$out"
fail() { echo "FAIL: $*"; exit 1; }
json() { python3 -c 'import json,sys; print(json.dumps(eval("s" + sys.argv[2], {"s": json.load(open(sys.argv[1]))})))' "$@"; }

set +e
"$kdsim" run "$here/corrupt-missing-segment.yaml" -o "$out/corrupt" --quiet >"$out/corrupt.stdout" 2>&1
rc=$?
set -e
[ "$rc" = 1 ] || fail "a corrupt: of a missing segment exits $rc, not 1"
grep -q "^error: .*no loaded segment is called 'initrd'" "$out/corrupt/transcript.txt" || fail "no error line in the transcript"
[ "$(json "$out/corrupt/summary.json" '["errors"].__len__()')" = 1 ] || fail "summary.json: errors"
[ "$(json "$out/corrupt/summary.json" '["expectations"]["failed"]')" = 0 ] || fail "the expectations themselves are met"

"$kdsim" run "$here/no-expectations.yaml" -o "$out/none" --quiet >"$out/none.stdout"
grep -q "^expectations: none (the scenario has no expect:), so nothing was checked" "$out/none/transcript.txt" ||
  fail "no plain 'nothing was checked'"
grep -q "steps\[1\] run: cat /nonexistent -> not reached" "$out/none/transcript.txt" || fail "not-reached step missing"
[ "$(json "$out/none/summary.json" '["not_reached"]')" = '["steps[0] run: cat /proc/iomem", "steps[1] run: cat /nonexistent"]' ] ||
  fail "summary.json not_reached: $(json "$out/none/summary.json" '["not_reached"]')"

"$kdsim" run "$scenarios/arm64/kdump-sysrq.yaml" -o "$out/reused" --quiet --report >"$out/kdump.stdout"
[ -s "$out/reused/vmcore" ] && [ -s "$out/reused/report.html" ] || fail "the kdump run left no vmcore or report"
# Each command's exit status: the first exits 0; the sysrq never completes (it crashes the kernel).
[ "$(json "$out/reused/summary.json" '["steps"][0]["exit_status"]')" = 0 ] || fail "summary.json: first step's exit status"
[ "$(json "$out/reused/summary.json" '["steps"][-2]["exit_status"]')" = null ] || fail "summary.json: the trigger completed?"
[ "$(json "$out/reused/summary.json" '["steps"][-1]["label"]')" = '"run: save-vmcore"' ] || fail "summary.json: the capture kernel step"
"$kdsim" run "$scenarios/arm64/boot-panic.yaml" -o "$out/reused" --quiet >"$out/boot.stdout"
[ ! -e "$out/reused/vmcore" ] || fail "a stale vmcore is left in a reused output directory"
[ ! -e "$out/reused/report.html" ] || fail "a stale report.html is left in a reused output directory"
[ "$(json "$out/reused/summary.json" '["vmcore_bytes"]')" = null ] || fail "summary.json vmcore_bytes"
echo "run results: ok"
