#!/usr/bin/env bash
# The machine names the instruction behind a device access, on both arches: the PC in the
# timeline event of the misbehaving-guest scenarios must be that very instruction in the kernel's
# text (read back with llvm-objdump), not the start of its translated block.
#   catalogue_pcs.sh KDSIM KERNEL_DIR SCENARIO_DIR WORKDIR
set -euo pipefail
kdsim=$1 kernels=$2 scenarios=$3 work=$4
rm -rf "$work" && mkdir -p "$work"
objdump=$(command -v llvm-objdump-14 || command -v llvm-objdump)
failed=0

check() {  # check ARCH SCENARIO EVENT MNEMONIC_REGEX
  local arch=$1 scenario=$2 event=$3 want=$4 out="$work/$1-$2"
  "$kdsim" run "$scenarios/$arch/$scenario.yaml" -o "$out" --kernel-dir "$kernels" --quiet >"$out.log" 2>&1 ||
    { echo "FAIL $arch $scenario: kdsim exited $? ($(tail -1 "$out.log"))"; failed=1; return; }
  local pc
  pc=$(grep "\"stage\":\"$event\"" "$out/stages.jsonl" | head -1 | sed -n 's/.*"pc":"\(0x[0-9a-f]*\)".*/\1/p')
  [ -n "$pc" ] || { echo "FAIL $arch $scenario: no $event event in stages.jsonl"; failed=1; return; }
  local insn
  insn=$("$objdump" -d --no-show-raw-insn --start-address="$pc" --stop-address="$(python3 -c "print(hex($pc + 1))")" \
    "$kernels/$arch/kernel.elf" | awk -v pc="${pc#0x}" '$1 == pc":" {$1 = ""; print; exit}')
  if [[ "$insn" =~ $want ]]; then
    echo "ok   $arch $event at $pc:$insn"
  else
    echo "FAIL $arch $scenario: the $event PC $pc is '$insn', expected /$want/"
    failed=1
  fi
}

check x86_64 guest-unmapped-io unmapped_port '^[[:space:]]*inb[[:space:]]'
check arm64 guest-unmapped-io unmapped_mmio '^[[:space:]]*ldr[[:space:]]'
check x86_64 guest-wild-dma wild_dma '^[[:space:]]*movl[[:space:]].*\(%'
check arm64 guest-wild-dma wild_dma '^[[:space:]]*str[[:space:]]'
exit $failed
