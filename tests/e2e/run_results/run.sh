#!/usr/bin/env bash
# What a run reports besides its expectations (issue #7): a step that cannot be carried out
# fails the run (exit 1, "errors" in summary.json), steps that never started are listed as not
# reached, a scenario without expectations says so, and a run into a used output directory
# leaves nothing of the previous run behind (vmcore, report.html, step-N.out).
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
# The last line names every file the run left (issue #13: it used to omit the vmcore).
# kexec -p's head of /proc/kcore is binary: saved whole as step-6.out, shown as a hexdump.
grep -qxF "outputs: $out/reused/{console.log, stages.jsonl, transcript.txt, summary.json, step-6.out, vmcore, report.html}" \
  "$out/kdump.stdout" || fail "outputs line of the kdump run: $(grep '^outputs:' "$out/kdump.stdout")"
[ "$(json "$out/reused/summary.json" '["steps"][5]["output_file"]')" = '"step-6.out"' ] || fail "summary.json: output_file"
[ "$(json "$out/reused/summary.json" '["steps"][0]["output_file"]')" = null ] || fail "summary.json: a text output has a file"
[ "$(stat -c %s "$out/reused/step-6.out")" = 32768 ] || fail "step-6.out is not the 32768 bytes head -c read"
grep -qF '    | (32768 bytes of binary output, in step-6.out; the first 64:)' "$out/reused/transcript.txt" ||
  fail "the transcript does not point at step-6.out"
"$kdsim" run "$scenarios/arm64/boot-panic.yaml" -o "$out/reused" --quiet >"$out/boot.stdout"
grep -qxF "outputs: $out/reused/{console.log, stages.jsonl, transcript.txt, summary.json}" "$out/boot.stdout" ||
  fail "outputs line of the boot-panic run: $(grep '^outputs:' "$out/boot.stdout")"
[ ! -e "$out/reused/vmcore" ] || fail "a stale vmcore is left in a reused output directory"
[ ! -e "$out/reused/report.html" ] || fail "a stale report.html is left in a reused output directory"
[ ! -e "$out/reused/step-6.out" ] || fail "a stale step-6.out is left in a reused output directory"
[ "$(json "$out/reused/summary.json" '["vmcore_bytes"]')" = null ] || fail "summary.json vmcore_bytes"
# Per-step expectations, every kexec_load in order, console regexes: met as written...
"$kdsim" run "$here/per-step.yaml" -o "$out/per-step" --quiet >"$out/per-step.stdout" || fail "per-step.yaml: $(grep FAILED "$out/per-step/transcript.txt")"
[ "$(json "$out/per-step/summary.json" '["kexec_loads"]')" = '["0", "0"]' ] || fail "summary.json kexec_loads"
# ... and each one failing when the guest does something else.
sed -e 's/expect: {exit: 1, output: "No such file"}/expect: {exit: 0}/' -e 's/kexec_load: \["0", "0"\]/kexec_load: ["0"]/' \
    -e 's/{regex: "Bye!?$"}/{regex: "^Bye"}/' "$here/per-step.yaml" >"$out/per-step-wrong.yaml"
set +e
"$kdsim" run "$out/per-step-wrong.yaml" -o "$out/per-step-wrong" --quiet >"$out/per-step-wrong.stdout"
rc=$?
set -e
[ "$rc" = 1 ] || fail "per-step-wrong.yaml exits $rc, not 1"
t="$out/per-step-wrong/transcript.txt"
grep -qF "[FAILED] steps[0] (run: cat /nonexistent) exits 0 (saw: exit status 1)" "$t" || fail "step exit not failed"
grep -qF "[FAILED] kexec_load's results, in order, are [0] (saw: [0, 0])" "$t" || fail "kexec_load list not failed"
grep -qF "[FAILED] console shows, in order: crashkernel reserved / /Starting crashdump kernel\.+/ / /^Bye/ (saw: '/^Bye/' not found after the previous line)" "$t" ||
  fail "console regex not failed"
echo "run results: ok"
