#!/usr/bin/env bash
# `kdsim test --list` validates what it lists, as `kdsim run` would before running: a scenario
# that does not load, one whose first kernel cannot be loaded and one with nothing to check are
# still listed, marked INVALID with the reason, and the exit status is 1; with only valid
# scenarios the same listing exits 0. The exact text is pinned.
#   list.sh KDSIM VALID_SCENARIO WORKDIR
set -euo pipefail
kdsim=$1 valid=$2 work=$3
rm -rf "$work" && mkdir -p "$work/cases"
fail() { echo "kdsim test --list: $*" >&2; exit 1; }
cd "$work"
sed 's/^name: .*/name: a-valid/' "$valid" >cases/a-valid.yaml
printf 'name: b-bad-arch\nmachine: {arch: riscv, memory: 1GiB}\nexpect: {outcome: power-off}\n' >cases/b-bad-arch.yaml
printf 'name: c-no-kernel\nmachine: {arch: arm64, memory: 1GiB}\nkernel: {image: missing.elf}\nexpect: {outcome: power-off}\n' \
  >cases/c-no-kernel.yaml
printf 'name: d-no-expect\nmachine: {arch: arm64, memory: 1GiB}\n' >cases/d-no-expect.yaml

set +e
"$kdsim" test cases --list >list.out 2>list.err
rc=$?
set -e
cat >expected.out <<'END'
a-valid	cases/a-valid.yaml
b-bad-arch	cases/b-bad-arch.yaml	INVALID: cases/b-bad-arch.yaml:2:17: machine.arch: 'riscv' is not arm64 or x86_64
c-no-kernel	cases/c-no-kernel.yaml	INVALID: cases/c-no-kernel.yaml: kernel.image: cases/missing.elf: cannot read: No such file or directory
d-no-expect	cases/d-no-expect.yaml	INVALID: no expect: block, nothing to check (kdsim test refuses it)
END
diff -u expected.out list.out || fail "the listing differs (expected vs actual above)"
[ "$(cat list.err)" = "kdsim: 3 of 4 listed scenarios are invalid" ] || fail "stderr: $(cat list.err)"
[ "$rc" -eq 1 ] || fail "exit status $rc with invalid scenarios, expected 1"

# Only the valid one: listed plainly, exit 0, nothing on stderr.
"$kdsim" test cases/a-valid.yaml --list >valid.out 2>valid.err || fail "a valid scenario alone exits $?"
[ "$(cat valid.out)" = "$(printf 'a-valid\tcases/a-valid.yaml')" ] || fail "valid listing: $(cat valid.out)"
[ ! -s valid.err ] || fail "stderr for a valid listing: $(cat valid.err)"
echo "kdsim test --list: invalid scenarios marked with their errors, exit 1; valid ones exit 0"
