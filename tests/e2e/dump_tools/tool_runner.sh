# Sourced by the dump-tool checks: run Debian's crash/makedumpfile for the vmcore's arch.
# x86_64: the host's /usr/bin binaries. arm64: Debian's arm64 packages under qemu-user, through
# scripts/arm64-tool (prepared by scripts/setup.sh). Expects $arch and $here to be set.
# KDSIM_ARM64_TOOL overrides the repository's scripts/arm64-tool (e.g. another checkout's).
arm64_tool=${KDSIM_ARM64_TOOL:-$here/../../../scripts/arm64-tool}
tool_check() {
	if [ "$arch" = arm64 ]; then
		[ -x "$arm64_tool" ] || { echo "FAIL: no scripts/arm64-tool (arm64 $1 via qemu-user)"; exit 1; }
	else
		command -v "$1" >/dev/null || { echo "FAIL: no $1 (Debian package $1; scripts/setup.sh installs it)"; exit 1; }
	fi
}
tool_run() {
	if [ "$arch" = arm64 ]; then
		"$arm64_tool" "$@"
	else
		"$@"
	fi
}
