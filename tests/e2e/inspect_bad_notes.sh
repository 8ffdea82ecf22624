#!/usr/bin/env bash
# kdsim inspect on a vmcore whose PT_NOTE runs past the end of the file (p_offset + p_filesz
# wraps past 2^64): an input error naming the header's values, not an out-of-bounds read
# (issue #12's fuzz finding in LLVM 14's unchecked note iterator).
#   inspect_bad_notes.sh KDSIM WORKDIR
set -euo pipefail
kdsim=$1 work=$2
mkdir -p "$work"
core=$work/wrapped-note.vmcore
python3 - "$core" <<'PY'
import struct, sys
ident = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
# ET_CORE, EM_AARCH64, version 1, entry 0, phoff 64, shoff 0, flags 0, ehsize 64, phentsize 56, phnum 1
header = ident + struct.pack("<HHIQQQIHHHHHH", 4, 183, 1, 0, 64, 0, 0, 64, 56, 1, 0, 0, 0)
note = struct.pack("<IIQQQQQQ", 4, 0, 0x78, 0, 0, 0xffffffffffffff00, 0, 4)  # PT_NOTE, huge p_filesz
open(sys.argv[1], "wb").write(header + note + bytes(16))
PY
set +e
"$kdsim" inspect "$core" >"$work/stdout" 2>"$work/stderr"
rc=$?
set -e
[ "$rc" = 3 ] || { echo "FAIL: kdsim inspect exited $rc, not 3"; cat "$work/stderr"; exit 1; }
grep -q "PT_NOTE at offset 0x78, 0xffffffffffffff00 bytes, runs past the end of the file (0x88 bytes)" "$work/stderr" ||
  { echo "FAIL: unexpected message:"; cat "$work/stderr"; exit 1; }
echo "inspect refuses the wrapped PT_NOTE: ok"
