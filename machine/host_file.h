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
llvm::Expected<int> create_fresh_file(const std::filesystem::path& path);

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

// create_fresh_file, then all of `content`; every failure carries strerror.
llvm::Error write_fresh_file(const std::filesystem::path& path, std::string_view content);

}  // namespace kdsim
