#!/usr/bin/env bash
# `kdsim test`: the shipped scenarios pass two at a time and their JUnit report reads in
# junitparser; a wrong expectation, a scenario without expect: and an invalid scenario are
# reported as failure / failure / error with exit 1; shards cover the list exactly once;
# --list and --filter select; bad arguments exit 3.
#   run.sh KDSIM SCENARIOS_DIR WORKDIR
set -euo pipefail
kdsim=$1 scenarios=$2 work=$3 here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work"
# Debian's python3 (python3-junitparser is a Debian package), whatever python3 is first in PATH.
py=/usr/bin/python3
[ -x "$py" ] || py=python3
die() { echo "kdsim test: $*"; exit 1; }

# Expected verdicts: every shipped scenario passes.
mapfile -t all < <("$kdsim" test "$scenarios" --list | cut -f1)
[ "${#all[@]}" -eq "$(find "$scenarios" -name '*.yaml' | wc -l)" ] || die "--list shows ${#all[@]} scenarios"

# (1) Everything, two at a time.
"$kdsim" test "$scenarios" -j 2 --junit "$work/all.xml" -o "$work/all" >"$work/all.txt" 2>"$work/all.err" ||
  { cat "$work/all.txt" "$work/all.err"; die "the shipped scenarios do not pass"; }
cat "$work/all.txt"
"$py" "$here/check_junit.py" "$work/all.xml" "${all[@]/%/=pass}"
# The transcript names each load by what it was: kexec -l (no KEXEC_ON_CRASH) or kexec -p.
for arch in arm64 x86_64; do
  grep -q "^kexec -l: entry " "$work/all/$arch-kexec-reboot/transcript.txt" || die "$arch kexec-reboot: no 'kexec -l: entry' line"
  grep -q "^kexec -p: entry " "$work/all/$arch-kdump-sysrq/transcript.txt" || die "$arch kdump-sysrq: no 'kexec -p: entry' line"
done
# kexec-tools' arm64 linear map: VA_BITS and PHYS_OFFSET from /proc/kcore's VMCOREINFO note, read
# through init; under lockdown the fallbacks, named in the transcript.
grep -q '^  kexec: head -c 32768 /proc/kcore -> exit status 0' "$work/all/arm64-kdump-sysrq/transcript.txt" ||
  die "arm64 kdump-sysrq: kexec -p did not read /proc/kcore through init"
! grep -q 'kexec-tools: .*from /proc/iomem' "$work/all/arm64-kdump-sysrq/transcript.txt" ||
  die "arm64 kdump-sysrq: kexec -p fell back from /proc/kcore"
grep -q 'kexec-tools: VA_BITS 47 (page_offset 0xffff800000000000), PHYS_OFFSET 0x40000000 from /proc/iomem' \
  "$work/all/arm64-kdump-lockdown/transcript.txt" || die "arm64 kdump-lockdown: no fallback line"
# The head of /proc/kcore that kexec -p read (saved as a step-N.out), judged by readelf: an ELF
# core of the machine with Linux's kcore notes and the kernel image's PT_LOAD.
for arch in arm64 x86_64; do
  dir="$work/all/$arch-kdump-sysrq"
  file=$(grep -o '"output_file": "step-[0-9]*\.out"' "$dir/summary.json" | head -1 | cut -d'"' -f4)
  [ -n "$file" ] && [ -f "$dir/$file" ] || die "$arch kdump-sysrq: no saved /proc/kcore head"
  machine=$([ "$arch" = arm64 ] && echo AArch64 || echo "Advanced Micro Devices X86-64")
  readelf -h "$dir/$file" | grep -q "Type: *CORE (Core file)" || die "$arch kcore: not ET_CORE"
  readelf -h "$dir/$file" | grep -q "Machine: *$machine" || die "$arch kcore: machine"
  notes=$(readelf -n "$dir/$file")
  for note in NT_PRSTATUS NT_PRPSINFO NT_TASKSTRUCT VMCOREINFO; do
    grep -q "$note" <<<"$notes" || die "$arch kcore: no $note note: $notes"
  done
  text=$(nm "$(dirname "$kdsim")/../kernels/$arch/kernel.elf" | awk '$3 == "_text" {print $1}')
  [ -n "$text" ] || die "$arch: no _text in the kernel's symbols"
  readelf -l -W "$dir/$file" | grep -q "LOAD .* 0x$text " || die "$arch kcore: no PT_LOAD at _text 0x$text"
done
[ -f "$work/all/${all[0]}/summary.json" ] || die "no summary.json under -o $work/all/${all[0]}"

# (2) A wrong outcome, no expect: block, an invalid machine: exit 1, failure/failure/error.
mkdir -p "$work/bad"
sed -e 's/^name: .*/name: wrong-outcome/' -e 's/outcome: power-off/outcome: reset/' \
  "$scenarios/arm64/boot-panic.yaml" >"$work/bad/wrong-outcome.yaml"
sed -e 's/^name: .*/name: no-expect/' -e '/^expect:/,$d' "$scenarios/arm64/boot-panic.yaml" >"$work/bad/no-expect.yaml"
printf 'name: invalid\nmachine: {arch: riscv, memory: 1GiB}\nexpect: {outcome: power-off}\n' >"$work/bad/invalid.yaml"
set +e
"$kdsim" test "$work/bad" --junit "$work/bad.xml" -o "$work/bad-out" >"$work/bad.txt" 2>"$work/bad.err"
rc=$?
set -e
cat "$work/bad.txt"
[ "$rc" -eq 1 ] || { cat "$work/bad.err"; die "a failing scenario exits $rc, not 1"; }
"$py" "$here/check_junit.py" "$work/bad.xml" wrong-outcome=failure no-expect=failure invalid=error
grep -q '<failure message="1 of [0-9]* expectations not met: outcome is reset (saw: power-off); last stage: ' \
  "$work/bad.xml" || die "the failure does not name the unmet expectation and the last stage"
grep -q 'no expect: block, nothing to check' "$work/bad.xml" || die "no-expect: not refused with a clear message"
grep -q '<error message="kdsim run exited 3: kdsim: error: .*riscv' "$work/bad.xml" || die "invalid: no <error> with the run's error"
grep -q 'Kernel panic - not syncing: sysrq triggered crash' "$work/bad.xml" || die "no console tail in <system-out>"

# (3) Two shards: every scenario exactly once.
"$kdsim" test "$scenarios" --list --shard 1/2 >"$work/shard1"
"$kdsim" test "$scenarios" --list --shard 2/2 >"$work/shard2"
[ -s "$work/shard1" ] && [ -s "$work/shard2" ] || die "an empty shard"
diff <(cut -f1 "$work/shard1" "$work/shard2" | sort) <(printf '%s\n' "${all[@]}" | sort) ||
  die "shards 1/2 + 2/2 are not the whole list, each scenario once"

# (4) --filter on the name or the path.
"$kdsim" test "$scenarios" --list --filter 'x86_64-*' | cut -f1 >"$work/x86"
diff "$work/x86" <(printf '%s\n' "${all[@]}" | grep '^x86_64-') || die "--filter on names"
[ "$(wc -l <"$work/x86")" -eq "$(ls "$scenarios"/x86_64/*.yaml | wc -l)" ] || die "--filter x86_64-*"
"$kdsim" test "$scenarios" --list --filter '*/arm64/kdump-sysrq.yaml' >"$work/one"
[ "$(cut -f1 "$work/one")" = arm64-kdump-sysrq ] || die "--filter on paths: $(cat "$work/one")"

# (5) Bad arguments: exit 3 and a message.
expect_input_error() {  # expect_input_error TEXT ARGS...
  local text=$1 rc
  shift
  set +e
  "$kdsim" test "$@" >"$work/err.out" 2>"$work/err.txt"
  rc=$?
  set -e
  [ "$rc" -eq 3 ] || die "'kdsim test $*' exits $rc, not 3"
  grep -q "$text" "$work/err.txt" || die "'kdsim test $*': no '$text' in: $(cat "$work/err.txt")"
}
expect_input_error "K must be between 1 and N" "$scenarios" --shard 0/2
expect_input_error "K must be between 1 and N" "$scenarios" --shard 3/2 --list
expect_input_error "expected K/N" "$scenarios" --shard two
expect_input_error "N must be at least 1" "$scenarios" --shard 0/0
expect_input_error "at least 1 job" "$scenarios" -j 0
expect_input_error "at most 256 jobs" "$scenarios" -j 257
expect_input_error "no such scenario file or directory" "$work/nowhere"
expect_input_error "none left after --filter" "$scenarios" --filter 'no-such-*'
echo "kdsim test: all checks passed"
