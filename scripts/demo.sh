#!/usr/bin/env bash
# Sets everything up, then runs the demo scenario: boot the arm64 toy kernel and crash it
# through sysrq. Pass another scenario to run that one instead.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
exec build/sim/kdsim run "${1:-scenarios/arm64/boot-panic.yaml}"
