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

// create_fresh_file, then all of `content`; every failure carries strerror.
llvm::Error write_fresh_file(const std::filesystem::path& path, std::string_view content);

}  // namespace kdsim
