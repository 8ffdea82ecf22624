#!/usr/bin/env bash
# Every lab under labs/: its instructor's solution passes `kdsim lab check`, an answer changed to
# a wrong one fails with [wrong], a dropped one with [missing], and an unusable answer file is an
# input error (exit 3).
#   labs.sh KDSIM LABS_DIR WORKDIR
set -euo pipefail
kdsim=$1 labs=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
count=0
for lab in "$labs"/[0-9]*/; do
  lab=${lab%/}
  name=$(basename "$lab")
  "$kdsim" lab check "$lab" "$lab/solution.yaml" >"$work/$name.ok" ||
    { echo "$name: the solution does not pass"; cat "$work/$name.ok"; exit 1; }
  # The first answer replaced by a wrong one.
  awk 'NR == 1 { sub(/:.*/, ": 0xdead-0xbeef") } { print }' "$lab/solution.yaml" >"$work/$name.wrong.yaml"
  set +e
  "$kdsim" lab check "$lab" "$work/$name.wrong.yaml" >"$work/$name.wrong"; rc=$?
  set -e
  [ "$rc" -eq 1 ] && grep -q '\[wrong\]' "$work/$name.wrong" ||
    { echo "$name: a wrong answer gave exit $rc"; cat "$work/$name.wrong"; exit 1; }
  tail -n +2 "$lab/solution.yaml" >"$work/$name.missing.yaml"
  set +e
  "$kdsim" lab check "$lab" "$work/$name.missing.yaml" >"$work/$name.missing"; rc=$?
  set -e
  [ "$rc" -eq 1 ] && grep -q '\[missing\]' "$work/$name.missing" ||
    { echo "$name: a missing answer gave exit $rc"; cat "$work/$name.missing"; exit 1; }
  count=$((count + 1))
done
[ "$count" -ge 5 ] || { echo "only $count labs"; exit 1; }
printf 'a: [1, 2]\n' >"$work/bad.yaml"
set +e
err=$("$kdsim" lab check "$labs/01-crashkernel-iomem" "$work/bad.yaml" 2>&1 >/dev/null); rc=$?
set -e
[ "$rc" -eq 3 ] && [[ "$err" == *"bad.yaml:1: a: the answer must be a single value"* ]] ||
  { echo "an unusable answer file: exit $rc, '$err'"; exit 1; }
echo "labs: $count labs, solutions pass, wrong and missing answers fail"
