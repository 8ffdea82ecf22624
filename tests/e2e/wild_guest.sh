#!/usr/bin/env bash
# A wild guest is a result, never a crash: kernels whose code is deterministic garbage (and a
# few classic mistakes) must end with a reported outcome (guest-fault, instruction-limit, hang, spin)
# and kdsim's normal exit codes, never a signal or an internal error.
#   wild_guest.sh KDSIM WORKDIR
set -euo pipefail
kdsim=$1 work=$2
rm -rf "$work" && mkdir -p "$work"

# An ELF64 executable with one PT_LOAD at PADDR holding CODE (written by python3, hermetic).
make_elf() {  # make_elf OUT MACHINE PADDR HEXBYTES|random:SEED
  python3 - "$@" <<'PY'
import random, struct, sys
out, machine, paddr, code = sys.argv[1], int(sys.argv[2]), int(sys.argv[3], 0), sys.argv[4]
if code.startswith("random:"):
    rng = random.Random(int(code.split(":")[1]))
    body = bytes(rng.randrange(256) for _ in range(4096))
else:
    body = bytes.fromhex(code)
ehdr = struct.pack("<4sBBBBB7xHHIQQQIHHHHHH", b"\x7fELF", 2, 1, 1, 0, 0, 2, machine, 1, paddr, 64, 0, 0,
                   64, 56, 1, 64, 0, 0)
phdr = struct.pack("<IIQQQQQQ", 1, 7, 0x1000, paddr, paddr, len(body), len(body), 0x1000)
data = ehdr + phdr
data += b"\0" * (0x1000 - len(data)) + body
open(out, "wb").write(data)
PY
}

run_case() {  # run_case NAME ARCH ELF
  local name=$1 arch=$2 elf=$3
  cat >"$work/$name.yaml" <<YAML
machine: {arch: $arch, memory: 64MiB}
kernel: {image: $elf}
limits: {instructions: 20000000}
YAML
  set +e
  "$kdsim" run "$work/$name.yaml" -o "$work/out-$name" --quiet >"$work/$name.log" 2>&1
  rc=$?
  set -e
  outcome=$(sed -n 's/.*"outcome": "\([a-z-]*\)".*/\1/p' "$work/out-$name/summary.json" 2>/dev/null || true)
  detail=$(grep -m1 -A1 '^outcome:' "$work/out-$name/transcript.txt" 2>/dev/null | tail -1 || true)
  echo "$name: exit $rc, outcome ${outcome:-none}: $detail"
  case "$rc:$outcome" in
    0:guest-fault|0:instruction-limit|0:hang|0:power-off|0:reset|0:spin) ;;
    *) echo "wild guest $name: kdsim did not report a result (exit $rc)"; cat "$work/$name.log"; exit 1 ;;
  esac
}

for seed in 1 2 3; do
  make_elf "$work/a64-$seed.elf" 183 0x40200000 "random:$seed"
  run_case "arm64-random-$seed" arm64 "$work/a64-$seed.elf"
  make_elf "$work/x86-$seed.elf" 62 0x1000000 "random:$seed"
  run_case "x86_64-random-$seed" x86_64 "$work/x86-$seed.elf"
done
# Classic mistakes: jump to address 0; execute a never-ending exception loop; read the UART.
make_elf "$work/a64-jump0.elf" 183 0x40200000 "000080d200001fd6"          # mov x0, #0; br x0
run_case arm64-jump-to-zero arm64 "$work/a64-jump0.elf"
make_elf "$work/a64-svc.elf" 183 0x40200000 "010000d4"                     # svc #0 with no vectors
run_case arm64-svc-without-vectors arm64 "$work/a64-svc.elf"
make_elf "$work/x86-ud2.elf" 62 0x1000000 "0f0b"                            # ud2 with no IDT
run_case x86_64-ud2-without-idt x86_64 "$work/x86-ud2.elf"
make_elf "$work/x86-pf.elf" 62 0x1000000 "48c7042500000040010000"           # store to 0x40000000 (no RAM)
run_case x86_64-store-outside-ram x86_64 "$work/x86-pf.elf"
# A kernel stuck in `b .` / `jmp .`: the machine sees the spin long before the instruction limit.
expect_spin() {  # expect_spin NAME
  grep -q '"outcome": "spin"' "$work/out-$1/summary.json" || { echo "$1: expected outcome spin"; exit 1; }
}
make_elf "$work/a64-spin.elf" 183 0x40200000 "00000014"                     # b .
run_case arm64-branch-to-self arm64 "$work/a64-spin.elf"
expect_spin arm64-branch-to-self
make_elf "$work/x86-spin.elf" 62 0x1000000 "ebfe"                           # jmp .
run_case x86_64-jump-to-self x86_64 "$work/x86-spin.elf"
expect_spin x86_64-jump-to-self
