#!/usr/bin/env bash
# Golden test of `kdsim purgatory extract`: builds one input "kexec binary" per case in a scratch
# folder (from the purgatory.ro files of this build tree), runs the command and requires the exact
# exit code and stderr of CASE.expected ("exit N" then the stderr). Every case also checks that an
# existing output file is replaced only on success.
#   run_extract_golden.sh KDSIM CASE_DIR CASE_NAME KERNEL_DIR
set -euo pipefail
kdsim=$1 dir=$2 name=$3 kernel_dir=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# A 64-byte ELF64 little-endian header of type ET_DYN for machine $1 (decimal), no sections:
# the stand-in for a stripped kexec binary's own header.
host_header() {
  printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000'
  printf "\\003\\000\\$(printf '%03o' "$1")\\000\\001\\000\\000\\000"
  head -c 40 /dev/zero
}
# Puts a 64-bit little-endian value at byte offset $2 of file $1.
poke64() {
  local v=$3 bytes="" i
  for i in 0 1 2 3 4 5 6 7; do bytes+=$(printf '\\%03o' $(((v >> (8 * i)) & 0xff))); done
  printf "$bytes" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

arm=$kernel_dir/arm64/purgatory.ro x86=$kernel_dir/x86_64/purgatory.ro
args=()
case $name in
  missing) args=(no-such-kexec) ;;
  not-elf) printf '#!/bin/sh\nexec /sbin/kexec.real "$@"\n' >kexec; args=(kexec) ;;
  no-purgatory) { host_header 183; head -c 4096 /dev/zero; } >kexec; args=(kexec) ;;
  other-arch-only) { host_header 62; cat "$x86"; } >kexec; args=(kexec --arch arm64) ;;
  truncated-header) { host_header 183; head -c 48 "$arm"; } >kexec; args=(kexec) ;;
  bad-entry) { host_header 183; cat "$arm"; } >kexec; poke64 kexec $((64 + 0x18)) $((0x7fff0000)); args=(kexec) ;;
  unknown-machine) { host_header 243; cat "$arm"; } >kexec; args=(kexec) ;;
  bad-arch-option) { host_header 183; cat "$arm"; } >kexec; args=(kexec --arch sparc) ;;
  ok) { host_header 183; printf 'kexec-tools %s\n' 1 2 3 4 5 6 7 8; cat "$arm"; head -c 300 /dev/zero; } >kexec
      args=(kexec) ;;
  *) echo "unknown case $name"; exit 1 ;;
esac

echo "previous" >out.ro
set +e
"$kdsim" purgatory extract "${args[@]}" -o out.ro >stdout 2>stderr
rc=$?
set -e
if [ "$name" = bad-arch-option ]; then
  # CLI11 words the usage error itself: only its first line is ours to pin.
  head -n 1 stderr >stderr.first && mv stderr.first stderr
fi
{ echo "exit $rc"; cat stderr; } >actual
if ! diff -u "$dir/$name.expected" actual; then
  echo "golden extract $name: output differs (expected vs actual above)"
  exit 1
fi
if [ "$rc" -eq 0 ]; then
  cmp out.ro "$arm" || { echo "golden extract $name: out.ro is not the embedded purgatory.ro"; exit 1; }
else
  [ "$(cat out.ro)" = previous ] || { echo "golden extract $name: a failed extract changed out.ro"; exit 1; }
fi
leftovers=$(ls -A | grep -v -x -e out.ro -e kexec -e stdout -e stderr -e actual || true)
[ -z "$leftovers" ] || { echo "golden extract $name: left files behind: $leftovers"; exit 1; }
