#include "machine/host_file.h"
#include "machine/error.h"
#include "machine/partial_files.h"
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kdsim {

llvm::Expected<int> create_fresh_file(const std::filesystem::path& path) {
  remember_partial_file(path);  // first: a signal from here on removes it
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    const int err = errno;
    forget_partial_file(path);
    return make_error("{}: cannot remove what is there: {}", path.string(), std::strerror(err));
  }
  const int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) {
    const int err = errno;
    forget_partial_file(path);
    return make_error("{}: cannot create: {}", path.string(), std::strerror(err));
  }
  return fd;
}

llvm::Error rename_into_place(const std::filesystem::path& partial, const std::filesystem::path& final_path) {
  if (::rename(partial.c_str(), final_path.c_str()) != 0) {
    const int err = errno;
    remove_partial_file(partial);
    return make_error("{}: cannot rename into place: {}", final_path.string(), std::strerror(err));
  }
  forget_partial_file(partial);
  return llvm::Error::success();
}

namespace {

// mkdir(2) of `dir` and every missing parent; an existing entry is judged by the caller.
llvm::Error make_directories(const std::filesystem::path& dir) {
  std::filesystem::path prefix;
  for (const auto& part : dir.lexically_normal()) {
    prefix /= part;
    if (part.empty() || part == "/" || part == "." || part == "..") continue;
    if (::mkdir(prefix.c_str(), 0777) == 0 || errno == EEXIST) continue;
    const int err = errno;
    if (prefix == dir.lexically_normal())
      return make_error("{}: cannot create the output directory: {}", dir.string(), std::strerror(err));
    return make_error("{}: cannot create the output directory: {}: {}", dir.string(), prefix.string(),
                      std::strerror(err));
  }
  return llvm::Error::success();
}

}  // namespace

llvm::Error prepare_output_dir(const std::filesystem::path& dir) {
  if (auto err = make_directories(dir)) return err;
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) {
    const int err = errno;
    struct stat link {};
    const bool dangling = ::lstat(dir.c_str(), &link) == 0 && S_ISLNK(link.st_mode);
    return make_error("{}: cannot use as the output directory: {}{}", dir.string(), std::strerror(err),
                      dangling ? " (a symlink to a missing path)" : "");
  }
  if (!S_ISDIR(st.st_mode))
    return make_error("{}: cannot use as the output directory: {}", dir.string(), std::strerror(ENOTDIR));
  // access(2) answers for the real user, as a shell's `test -w` does; root passes it.
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    return make_error("{}: the output directory is not writable: {}", dir.string(), std::strerror(errno));
  return llvm::Error::success();
}

void remove_partial_file(const std::filesystem::path& partial) {
  ::unlink(partial.c_str());
  forget_partial_file(partial);
}

llvm::Error check_input_file(const std::filesystem::path& path, uint64_t max_bytes, std::string_view what) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return make_error("{}: cannot read: {}", path.string(), std::strerror(errno));
  if (!S_ISREG(st.st_mode)) {
    const char* kind = S_ISDIR(st.st_mode) ? "a directory" : S_ISCHR(st.st_mode) ? "a character device"
                       : S_ISBLK(st.st_mode) ? "a block device" : S_ISFIFO(st.st_mode) ? "a FIFO" : "not a regular file";
    return make_error("{}: the {} must be a regular file, and this is {}", path.string(), what, kind);
  }
  if (static_cast<uint64_t>(st.st_size) > max_bytes)
    return make_error("{}: the {} is {} bytes, more than the {} bytes kdsim reads", path.string(), what,
                      static_cast<uint64_t>(st.st_size), max_bytes);
  return llvm::Error::success();
}

llvm::Error write_fresh_file(const std::filesystem::path& path, std::string_view content) {
  auto fd = create_fresh_file(path);
  if (!fd) return fd.takeError();
  for (size_t done = 0; done < content.size();) {
    const ssize_t n = ::write(*fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : ENOSPC;
      ::close(*fd);
      remove_partial_file(path);
      return make_error("{}: cannot write: {}", path.string(), std::strerror(err));
    }
    done += static_cast<size_t>(n);
  }
  if (::close(*fd) != 0) {
    const int err = errno;
    remove_partial_file(path);
    return make_error("{}: cannot write: {}", path.string(), std::strerror(err));
  }
  return llvm::Error::success();
}

}  // namespace kdsim
