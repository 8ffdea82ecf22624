#!/usr/bin/env bash
# The arm64 toy kernel also boots on QEMU's virt board (qemu-crosscheck.md): x0 = 0, no DTB,
# so the kernel falls back to the virt defaults and prints its banner. No NIC: nothing needs
# the virtio option ROM (not installed without recommended packages).
#   qemu_banner.sh KERNEL_ELF
set -euo pipefail
kernel=$1
out=$(timeout 20 qemu-system-aarch64 -M virt -cpu cortex-a57 -nographic -monitor none -serial stdio -nic none \
      -kernel "$kernel" 2>&1 || true)
echo "$out" | head -40
grep -q "kdsim toy kernel" <<<"$out" || { echo "qemu: banner not seen"; exit 1; }
