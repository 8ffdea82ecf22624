#!/usr/bin/env bash
# Installs every Debian 12 package kdsim needs, then configures and builds it.
#   scripts/setup.sh [BUILD_DIR] [extra cmake args...]      (default BUILD_DIR: build)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
shift || true

packages=(
  # host toolchain and build
  cmake ninja-build g++ pkg-config git
  # guest cross-build: clang-14 + ld.lld (targets aarch64/x86_64-unknown-none-elf)
  clang-14 lld-14
  # host libraries
  llvm-14-dev libunicorn-dev libcapstone-dev libfmt-dev doctest-dev libyaml-cpp-dev
  libcli11-dev libfdt-dev libssl-dev zlib1g-dev libzstd-dev
  # tests and tools: readelf, gdb for vmcores, QEMU for the arm64 cross-check
  binutils gdb gdb-multiarch qemu-system-arm ipxe-qemu
  # kallsyms tables of the toy kernels (symbol names in oopses)
  python3
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "kdsim setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cmake -S . -B "$build_dir" -G Ninja "$@" >/dev/null
cmake --build "$build_dir"
