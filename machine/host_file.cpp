#include "machine/host_file.h"
#include "machine/error.h"
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kdsim {

llvm::Expected<int> create_fresh_file(const std::filesystem::path& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT)
    return make_error("{}: cannot remove what is there: {}", path.string(), std::strerror(errno));
  const int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) return make_error("{}: cannot create: {}", path.string(), std::strerror(errno));
  return fd;
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
      ::unlink(path.c_str());
      return make_error("{}: cannot write: {}", path.string(), std::strerror(err));
    }
    done += static_cast<size_t>(n);
  }
  if (::close(*fd) != 0) {
    const int err = errno;
    ::unlink(path.c_str());
    return make_error("{}: cannot write: {}", path.string(), std::strerror(err));
  }
  return llvm::Error::success();
}

}  // namespace kdsim
