#!/usr/bin/env bash
# Runs a shipped scenario, expectations unchanged, with kexec-tools' own purgatory taken from
# Debian's kexec binary of the scenario's arch (build/debian-kexec, filled by scripts/setup.sh).
# The verdicts then come only from what the machine observes: that purgatory reports nothing.
#   run.sh KDSIM SCENARIO DEBIAN_KEXEC_DIR ARCH OUTDIR
set -euo pipefail
kdsim=$1 scenario=$2 debian_kexec_dir=$3 arch=$4 out=$5
kexec_binary=$debian_kexec_dir/kexec-$arch
[ -e "$kexec_binary" ] || { echo "$kexec_binary: missing: scripts/setup.sh fetches Debian's kexec-tools"; exit 1; }
rm -rf "$out" && mkdir -p "$out"
if ! "$kdsim" run "$scenario" --purgatory-from-kexec "$kexec_binary" -o "$out/run" --quiet >"$out/run.log" 2>&1; then
  sed -n '/^expectations/,$p' "$out/run.log"
  tail -5 "$out/run.log"
  exit 1
fi
# The transcript must say the purgatory verdict was observed by the machine: no guest report.
grep -q "seen .* purgatory_entry" "$out/run/transcript.txt" || { echo "no observed purgatory_entry"; exit 1; }
if grep -q "guest .* purgatory_entry" "$out/run/transcript.txt"; then
  echo "kexec-tools' purgatory cannot report stages: a guest purgatory_entry means the wrong purgatory ran"
  exit 1
fi
