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
  # a real browser for the HTML report test (headless)
  chromium
  # kallsyms tables of the toy kernels (symbol names in oopses)
  python3
  # `kdsim test --junit` is read back by a real JUnit parser in the tests
  python3-junitparser
  # real dump readers on kdsim's vmcores (tests/e2e/dump_tools): drgn reads both arches' dumps;
  # crash and makedumpfile only their build arch's, so the other arch's run under qemu-user
  python3-drgn crash makedumpfile qemu-user-static
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if ((${#missing[@]})); then
  echo "kdsim setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Debian's kexec-tools of both arches: the purgatory inside each kexec binary is a test artifact
# (`kdsim purgatory extract`). The host's arch is installed, the other one is only downloaded and
# unpacked into "$build_dir/debian-kexec/<arch>"; either way "$build_dir/debian-kexec/kexec-<arch>"
# (arch as kdsim names it) links to the binary. The package's debconf questions are answered
# "false" first, so installing it never turns on kexec reboots or rewrites the boot configuration.
fetch_debian_kexec() {
  local cache="$build_dir/debian-kexec" host log
  host=$(dpkg --print-architecture)
  mkdir -p "$cache"
  log="$cache/setup.log"
  : >"$log"
  if ! dpkg-query -W -f='${Status}' kexec-tools 2>/dev/null | grep -q "install ok installed"; then
    echo "kdsim setup: installing kexec-tools (kexec reboot stays off)"
    printf '%s\n' "kexec-tools kexec-tools/load_kexec boolean false" \
                   "kexec-tools kexec-tools/use_grub_config boolean false" | $sudo debconf-set-selections
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends kexec-tools \
      </dev/null >>"$log" 2>&1 || { cat "$log"; return 1; }
  fi
  local deb_arch kdsim_arch bin
  for deb_arch in amd64 arm64; do
    case $deb_arch in amd64) kdsim_arch=x86_64 ;; arm64) kdsim_arch=arm64 ;; esac
    if [ "$deb_arch" = "$host" ]; then
      bin=$(command -v kexec || true)
      [ -n "$bin" ] || bin=/usr/sbin/kexec
    else
      bin=""
      for bin in "$cache/$deb_arch/usr/sbin/kexec" "$cache/$deb_arch/sbin/kexec"; do
        [ -f "$bin" ] && break
      done
      if [ ! -f "$bin" ]; then
        echo "kdsim setup: fetching kexec-tools:$deb_arch (unpacked, not installed)"
        if ! dpkg --print-foreign-architectures | grep -qx "$deb_arch"; then
          $sudo dpkg --add-architecture "$deb_arch"
          $sudo apt-get update -qq >>"$log" 2>&1 || { cat "$log"; return 1; }
        fi
        rm -rf "$cache/$deb_arch" "$cache"/kexec-tools_*_"$deb_arch".deb
        # apt-get download runs as _apt when it can; the notice that it cannot write here is noise.
        (cd "$cache" && apt-get download -qq "kexec-tools:$deb_arch") >>"$log" 2>&1 ||
          { $sudo apt-get update -qq >>"$log" 2>&1 && (cd "$cache" && apt-get download -qq "kexec-tools:$deb_arch") >>"$log" 2>&1; } ||
          { cat "$log"; return 1; }
        dpkg-deb -x "$cache"/kexec-tools_*_"$deb_arch".deb "$cache/$deb_arch"
        for bin in "$cache/$deb_arch/usr/sbin/kexec" "$cache/$deb_arch/sbin/kexec"; do
          [ -f "$bin" ] && break
        done
      fi
    fi
    [ -f "$bin" ] || { echo "kdsim setup: no kexec binary for $deb_arch after setup"; return 1; }
    ln -sfn "$(realpath "$bin")" "$cache/kexec-$kdsim_arch"
  done
}
fetch_debian_kexec

# crash and makedumpfile read only dumps of the architecture they were built for. On an amd64
# host the arm64 ones are Debian's arm64 packages, unpacked (never installed) with the shared
# libraries they load into "$build_dir/arm64-tools/root", a sysroot that scripts/arm64-tool
# runs them in through qemu-aarch64-static. On an arm64 host the installed ones are used.
arm64_tool_debs=(crash makedumpfile
  # their shared libraries, closed over Depends (apt-cache depends --recurse), Debian 12
  gcc-12-base libbz2-1.0 libc6 libdw1 libelf1 libgcc-s1 liblzma5 liblzo2-2 libncursesw6
  libsnappy1v5 libstdc++6 libtinfo6 libzstd1 zlib1g)
fetch_arm64_dump_tools() {
  [ "$(dpkg --print-architecture)" != arm64 ] || return 0
  local dir="$build_dir/arm64-tools" log
  [ -x "$dir/root/usr/bin/crash" ] && [ -x "$dir/root/usr/bin/makedumpfile" ] && return 0
  echo "kdsim setup: fetching crash and makedumpfile for arm64 dumps (unpacked, run under qemu-user)"
  rm -rf "$dir"
  mkdir -p "$dir/debs"
  log="$dir/setup.log"
  local names=() p
  for p in "${arm64_tool_debs[@]}"; do names+=("$p:arm64"); done
  (cd "$dir/debs" && apt-get download -qq "${names[@]}") >>"$log" 2>&1 ||
    { $sudo apt-get update -qq >>"$log" 2>&1 && (cd "$dir/debs" && apt-get download -qq "${names[@]}") >>"$log" 2>&1; } ||
    { cat "$log"; return 1; }
  local deb
  for deb in "$dir"/debs/*.deb; do dpkg-deb -x "$deb" "$dir/root"; done
  rm -rf "$dir/debs"
  [ -x "$dir/root/usr/bin/crash" ] && [ -x "$dir/root/usr/bin/makedumpfile" ] ||
    { echo "kdsim setup: crash or makedumpfile missing from $dir/root after unpacking"; return 1; }
}
fetch_arm64_dump_tools

cmake -S . -B "$build_dir" -G Ninja "$@" >/dev/null
cmake --build "$build_dir"
