#!/usr/bin/env bash
# Golden test of a user error: runs kdsim on an input and requires the exact exit code and
# the exact error text on stderr, with paths shown relative to the tests/golden folder.
#   run_golden.sh KDSIM CASE_DIR CASE_NAME KERNEL_DIR
# CASE_DIR/CASE_NAME.yaml is the scenario, CASE_NAME.expected holds "exit N" then the stderr.
set -euo pipefail
kdsim=$1 dir=$2 name=$3 kernel_dir=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$dir"
# @KERNEL_DIR@ in a scenario stands for the built kernels; it is put back in the output so the
# expected text does not depend on where the build tree is.
sed "s|@KERNEL_DIR@|$kernel_dir|g" "$name.yaml" >".golden-$name.yaml"
trap 'rm -rf "$work" ".golden-$name.yaml"' EXIT
# A previous run's outputs: an input error must leave them exactly as they are.
mkdir -p "$work/out"
echo "previous run" >"$work/out/console.log"
set +e
"$kdsim" run ".golden-$name.yaml" -o "$work/out" --quiet --kernel-dir "$kernel_dir" >"$work/stdout" 2>"$work/stderr"
rc=$?
set -e
{ echo "exit $rc"; sed -e "s|$kernel_dir|@KERNEL_DIR@|g" -e "s|\.golden-$name\.yaml|$name.yaml|g" "$work/stderr"; } >"$work/actual"
if ! diff -u "$name.expected" "$work/actual"; then
  echo "golden $name: output differs (expected vs actual above)"
  exit 1
fi
if [ "$rc" -eq 3 ] && { [ "$(ls -A "$work/out")" != console.log ] || [ "$(cat "$work/out/console.log")" != "previous run" ]; }; then
  echo "golden $name: an input error changed the output directory: $(ls -A "$work/out")"
  exit 1
fi
