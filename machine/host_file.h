// Files kdsim writes on the host (reports, the vmcore), created so that nothing already at the
// path is followed: a symlink someone left at OUTDIR/.vmcore.partial or a report's temporary
// name is replaced, never written through (issue #12).
#pragma once
#include <llvm/Support/Error.h>
#include <filesystem>
#include <string_view>

namespace kdsim {

// Removes whatever is at `path` (a file or a symlink, not what it points to), then creates a
// new file there with O_CREAT|O_EXCL|O_NOFOLLOW. Returns the open, write-only descriptor.
// `path` is a temporary name: it is remembered as unfinished (machine/partial_files.h), so
// SIGINT/SIGTERM remove it, until rename_into_place or remove_partial_file.
llvm::Expected<int> create_fresh_file(const std::filesystem::path& path);

// rename(2) of a finished temporary file over its final name; on failure the temporary is
// removed and the error carries strerror.
llvm::Error rename_into_place(const std::filesystem::path& partial, const std::filesystem::path& final_path);
// Removes an unfinished temporary file (an aborted dump, a failed write).
void remove_partial_file(const std::filesystem::path& partial);

// An input kdsim reads whole (a kernel, a purgatory, a scenario, a vmcore) must be a regular
// file of at most `max_bytes`: /dev/zero or a FIFO would never end, a huge file would be read
// into memory. `what` names it in the error ("kernel image").
llvm::Error check_input_file(const std::filesystem::path& path, uint64_t max_bytes, std::string_view what);

// The caps, generous for real inputs (a distribution vmlinux with debug info is ~300 MiB).
inline constexpr uint64_t kMaxKernelImageBytes = 1ull << 30;
inline constexpr uint64_t kMaxPurgatoryBytes = 64ull << 20;
inline constexpr uint64_t kMaxKexecBinaryBytes = 256ull << 20;
inline constexpr uint64_t kMaxScenarioBytes = 1ull << 20;
inline constexpr uint64_t kMaxVmcoreBytes = 1ull << 42;  // sparse: the largest board RAM and then some

// The output directory of a run, made ready before anything runs: created like `mkdir -p` when
// missing, else it must be a directory (a symlink to one is fine) that kdsim may write into.
// The error names the path and carries strerror: "out/x: cannot use as the output directory:
// Not a directory" for a file in its place, ENOENT for a dangling symlink, EACCES when not writable.
llvm::Error prepare_output_dir(const std::filesystem::path& dir);

// create_fresh_file, then all of `content`; every failure carries strerror.
llvm::Error write_fresh_file(const std::filesystem::path& path, std::string_view content);

}  // namespace kdsim
