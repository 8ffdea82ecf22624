#!/usr/bin/env bash
# `kdsim run -o OUTDIR` checks OUTDIR before the machine runs (issue #12): a file in its place, a
# path under a file, a dangling symlink or a directory it may not write give exit 3 and the exact
# error naming the path with strerror, and nothing runs (no console on stdout, nothing written);
# a missing OUTDIR is created with its parents, as `mkdir -p` does.
#   output_dir.sh KDSIM SCENARIO KERNEL_DIR WORKDIR
set -euo pipefail
kdsim=$(realpath "$1") scenario=$(realpath "$2") kernel_dir=$(realpath "$3") work=$4
rm -rf "$work"
mkdir -p "$work"
cd "$work"

fail() { echo "output_dir: $*" >&2; exit 1; }

# Runs kdsim with OUTDIR and requires exit 3, exactly `expected` on stderr, and an empty stdout
# (the scenario prints its console live: an empty stdout means the machine never ran).
refused() {  # OUTDIR EXPECTED_STDERR [command prefix...]
  local out=$1 expected=$2 rc=0
  shift 2
  "$@" "$kdsim" run "$scenario" -o "$out" --kernel-dir "$kernel_dir" >stdout 2>stderr || rc=$?
  [ "$rc" -eq 3 ] || fail "-o $out: exit $rc, expected 3; stderr: $(cat stderr)"
  [ "$(cat stderr)" = "$expected" ] || fail "-o $out: stderr differs:
expected: $expected
actual:   $(cat stderr)"
  [ ! -s stdout ] || fail "-o $out: the machine ran: $(head -c 300 stdout)"
}

# A regular file where the directory should be: left as it was.
echo "not a directory" >afile
refused afile "kdsim: error: afile: cannot use as the output directory: Not a directory"
[ "$(cat afile)" = "not a directory" ] || fail "afile was changed"

# A path under a regular file: mkdir fails with ENOTDIR (this is also how root, whom chmod does
# not stop, meets an unwritable OUTDIR).
refused afile/sub "kdsim: error: afile/sub: cannot create the output directory: Not a directory"

# A dangling symlink: not followed into creating its target.
ln -s missing-target dangling
refused dangling "kdsim: error: dangling: cannot use as the output directory: No such file or directory (a symlink to a missing path)"
[ ! -e missing-target ] || fail "the dangling symlink's target was created"

# A directory kdsim may not write into. chmod does not stop root: as root, run kdsim as nobody
# (setpriv) when that user can reach the build; otherwise this case cannot be made here.
mkdir readonly
chmod 555 readonly
if [ "$(id -u)" -ne 0 ]; then
  refused readonly "kdsim: error: readonly: the output directory is not writable: Permission denied"
elif command -v setpriv >/dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$kdsim" &&
     setpriv --reuid=65534 --regid=65534 --clear-groups test -r "$scenario"; then
  chmod 777 "$work"  # nobody writes stdout/stderr here
  refused readonly "kdsim: error: readonly: the output directory is not writable: Permission denied" \
    setpriv --reuid=65534 --regid=65534 --clear-groups
else
  echo "output_dir: not-writable case skipped: running as root and nobody cannot reach $kdsim"
fi
[ -z "$(ls -A readonly)" ] || fail "something was written into readonly/"

# A missing OUTDIR, parents included, is created before the run and gets the outputs.
"$kdsim" run "$scenario" -o new/a/b --quiet --kernel-dir "$kernel_dir" >stdout 2>stderr ||
  fail "-o new/a/b: exit $?; stderr: $(cat stderr)"
[ -f new/a/b/summary.json ] || fail "-o new/a/b: no summary.json"
# --timing is written as the reports are (issue #12): a symlink at its path is replaced, not
# written through, and no temporary file is left beside it.
echo "keep me" >timing-target
ln -s timing-target timing.jsonl
"$kdsim" run "$scenario" -o timed --quiet --kernel-dir "$kernel_dir" --timing timing.jsonl >stdout 2>stderr ||
  fail "--timing: exit $?; stderr: $(cat stderr)"
[ "$(cat timing-target)" = "keep me" ] || fail "--timing wrote through the symlink into its target"
[ -f timing.jsonl ] && [ ! -L timing.jsonl ] || fail "--timing: timing.jsonl is not a new regular file"
head -n1 timing.jsonl | grep -q '^{"seq":0,"stage":"[a-z_]*","insn":[0-9]*,"seconds":[0-9.]*}$' ||
  fail "--timing: first line is not a timing record: $(head -n1 timing.jsonl)"
[ -z "$(ls -A | grep kdsim-tmp)" ] || fail "--timing left a temporary file: $(ls -A)"
echo "output_dir: every unusable OUTDIR refused before the run; a missing one created; --timing replaced a symlink"
