#!/usr/bin/env bash
# Runs a scenario that takes its purgatory from Debian's kexec binary: @DEBIAN_KEXEC_DIR@ is
# replaced by the folder scripts/setup.sh fills (build/debian-kexec), then kdsim must exit 0.
#   run.sh KDSIM SCENARIO DEBIAN_KEXEC_DIR OUTDIR
set -euo pipefail
kdsim=$1 scenario=$2 debian_kexec_dir=$3 out=$4
name=$(basename "$scenario")
[ -e "$debian_kexec_dir/kexec-arm64" ] && [ -e "$debian_kexec_dir/kexec-x86_64" ] ||
  { echo "$debian_kexec_dir: no kexec-arm64/kexec-x86_64: scripts/setup.sh fetches Debian's kexec-tools"; exit 1; }
rm -rf "$out" && mkdir -p "$out"
sed "s|@DEBIAN_KEXEC_DIR@|$debian_kexec_dir|g" "$scenario" >"$out/$name"
if ! "$kdsim" run "$out/$name" -o "$out/run" --quiet >"$out/run.log" 2>&1; then
  sed -n '/^expectations/,$p' "$out/run.log"
  tail -5 "$out/run.log"
  exit 1
fi
