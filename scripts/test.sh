#!/usr/bin/env bash
# Sets everything up and runs the whole test suite twice: a normal build, then an
# AddressSanitizer + UndefinedBehaviorSanitizer build (KDSIM_SANITIZE=ON); then a fuzz smoke:
# each libFuzzer target (tests/fuzz/, scripts/fuzz.sh) for a short while, a finding fails.
#   scripts/test.sh            all three
#   scripts/test.sh --quick    the normal build only
# KDSIM_FUZZ_SMOKE_SECONDS (default 20) is each target's fuzzing time.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

scripts/setup.sh build
ctest --test-dir build --output-on-failure -j "$jobs"

if [ "${1:-}" != "--quick" ]; then
  scripts/setup.sh build-sanitize -DKDSIM_SANITIZE=ON -DKDSIM_BUILD_BENCH=OFF
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  LSAN_OPTIONS=suppressions="$PWD/tests/lsan.supp" \
    ctest --test-dir build-sanitize --output-on-failure -j "$jobs"

  for target in scenario kernel_image purgatory vmcore boot; do
    scripts/fuzz.sh "$target" "${KDSIM_FUZZ_SMOKE_SECONDS:-20}"
  done
fi
