#!/usr/bin/env bash
# Sets everything up, then runs the demo scenario: the whole kdump path on arm64 (boot,
# kexec -p, sysrq-c, purgatory, capture kernel, vmcore saved in out/arm64-kdump-sysrq/).
# Pass another scenario to run that one instead.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
exec build/sim/kdsim run "${1:-scenarios/arm64/kdump-sysrq.yaml}"
