#!/usr/bin/env bash
# Runs a scenario twice and requires byte-identical console, stage records, transcript, summary
# and (kdump scenarios) vmcore.
#   determinism.sh KDSIM SCENARIO WORKDIR
set -euo pipefail
kdsim=$1 scenario=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
"$kdsim" run "$scenario" -o "$work/a" --quiet >/dev/null
"$kdsim" run "$scenario" -o "$work/b" --quiet >/dev/null
files=(console.log stages.jsonl transcript.txt summary.json)
[ -f "$work/a/vmcore" ] && files+=(vmcore)
for f in "${files[@]}"; do
  if ! cmp -s "$work/a/$f" "$work/b/$f"; then
    echo "determinism: $f differs between two runs of $scenario"
    diff "$work/a/$f" "$work/b/$f" | head -20
    exit 1
  fi
done
echo "determinism: $(wc -c <"$work/a/console.log") console bytes, $(wc -l <"$work/a/stages.jsonl") stage records$([ -f "$work/a/vmcore" ] && echo ", a $(stat -c %s "$work/a/vmcore")-byte vmcore") identical"
