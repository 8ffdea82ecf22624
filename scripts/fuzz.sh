#!/usr/bin/env bash
# Builds one libFuzzer target (clang-14, ASan + UBSan) and runs it for a while.
#   scripts/fuzz.sh TARGET SECONDS [libFuzzer args...]
#   TARGET: scenario | kernel_image | purgatory | vmcore | boot
# Configures build-fuzz/ (KDSIM_FUZZ=ON; override with KDSIM_FUZZ_BUILD=DIR), builds the target
# and the guest images, seeds a corpus from the repo's scenarios and built images (copied at run
# time: no binary is committed), and runs. Exit status: 0 no finding; non-zero on a finding
# (libFuzzer writes the input as crash-*/leak-*/timeout-*/oom-* under build-fuzz/findings/TARGET).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

usage() { echo "usage: scripts/fuzz.sh scenario|kernel_image|purgatory|vmcore|boot SECONDS [libFuzzer args...]" >&2; exit 2; }
[ $# -ge 2 ] || usage
target=$1 seconds=$2
shift 2
case $target in scenario | kernel_image | purgatory | vmcore | boot) ;; *) usage ;; esac
[[ $seconds =~ ^[0-9]+$ ]] || usage

# clang-14, its runtimes (libclang-rt-14-dev holds libFuzzer and the sanitizer runtimes; clang-14
# only recommends it), and GCC 11's libstdc++ headers (CMakeLists.txt says why).
missing=()
for p in clang-14 libclang-rt-14-dev libstdc++-11-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "fuzz.sh: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

build=${KDSIM_FUZZ_BUILD:-build-fuzz}
jobs=${KDSIM_FUZZ_JOBS:-2}
if [ ! -f "$build/build.ninja" ]; then
  CC=clang-14 CXX=clang++-14 cmake -S . -B "$build" -G Ninja -DKDSIM_FUZZ=ON -DKDSIM_BUILD_BENCH=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
seed_targets=(guest_kernel_arm64 guest_kernel_x86_64)
[ "$target" = purgatory ] && seed_targets+=(purgatory_arm64 purgatory_x86_64 kdsim)
[ "$target" = vmcore ] && seed_targets+=(kdsim)
mkdir -p "$build"
if ! ninja -C "$build" -j "$jobs" "fuzz_$target" "${seed_targets[@]}" >"$build/build-$target.log" 2>&1; then
  tail -n 40 "$build/build-$target.log" >&2
  echo "fuzz.sh: building fuzz_$target failed (whole log: $build/build-$target.log)" >&2
  exit 1
fi

# Seeds: the inputs each target reads in real use, copied fresh every run.
corpus="$build/corpus/$target" seeds="$build/seeds/$target" findings="$build/findings/$target"
rm -rf "$seeds"
mkdir -p "$corpus" "$seeds" "$findings" "$build/seed-runs"
# The kernel and purgatory targets take one arch-selector byte before the file: 0 arm64, 1 x86_64.
seed_with_arch() {  # FILE ARCH_BYTE NAME
  { printf "\\x$2"; cat "$1"; } >"$seeds/$3"
}
case $target in
  scenario | boot)
    find scenarios labs tests/golden -name '*.yaml' -print0 | while IFS= read -r -d '' f; do
      cp "$f" "$seeds/$(echo "$f" | tr / _)"
    done ;;
  kernel_image)
    seed_with_arch "$build/kernels/arm64/kernel.elf" 00 arm64-kernel.elf
    seed_with_arch "$build/kernels/x86_64/kernel.elf" 01 x86_64-kernel.elf ;;
  purgatory)
    seed_with_arch "$build/kernels/arm64/purgatory.ro" 00 arm64-kdsim-purgatory.ro
    seed_with_arch "$build/kernels/x86_64/purgatory.ro" 01 x86_64-kdsim-purgatory.ro
    # kexec-tools' own purgatory, when the host has Debian's kexec (scripts/setup.sh installs it).
    if [ -x /usr/sbin/kexec ] &&
       "$build/sim/kdsim" purgatory extract /usr/sbin/kexec -o "$build/seed-runs/kexec-tools.ro" >/dev/null 2>&1; then
      seed_with_arch "$build/seed-runs/kexec-tools.ro" 01 x86_64-kexec-tools-purgatory.ro
    fi ;;
  vmcore)
    for arch in arm64 x86_64; do
      out="$build/seed-runs/$arch-kdump-sysrq"
      "$build/sim/kdsim" run "scenarios/$arch/kdump-sysrq.yaml" -o "$out" --quiet \
        --kernel-dir "$build/kernels" >/dev/null
      # The headers and notes (the first page of a dump holds them all) plus a little memory:
      # enough for every decoding path, small enough to mutate.
      head -c 65536 "$out/vmcore" >"$seeds/$arch-vmcore-head"
    done ;;
esac
[ -n "$(ls -A "$seeds")" ] || { echo "fuzz.sh: no seeds for $target in $seeds" >&2; exit 1; }

echo "fuzz.sh: $target for ${seconds}s, corpus $corpus, seeds $seeds, findings in $findings"
status=0
(cd "$findings" && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  LSAN_OPTIONS=suppressions="$root/tests/lsan.supp" \
  "$root/$build/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -rss_limit_mb=4096 -max_len=1048576 \
    -timeout=30 -print_final_stats=1 "$@" "$root/$corpus" "$root/$seeds") || status=$?
if [ $status -ne 0 ]; then
  echo "fuzz.sh: $target: FINDING (exit $status); inputs in $findings:" >&2
  ls -1 "$findings" >&2
fi
exit $status
