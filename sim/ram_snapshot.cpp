#include "sim/ram_snapshot.h"
#include "machine/error.h"
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace kdsim {

llvm::Error write_ram_snapshot(const Ram& ram, const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0) return make_error("{}: cannot create the RAM snapshot: {}", path.string(), std::strerror(errno));
  uint64_t end = 0;
  for (const Ram::Region& region : ram.regions()) {
    end = std::max(end, region.range.base.value() + region.range.size);
    for (const PhysRange& data : ram.data_ranges(region.range)) {
      const uint8_t* src = ram.host_ptr(data.base, data.size);
      for (uint64_t done = 0; done < data.size;) {
        ssize_t n = ::pwrite(fd, src + done, data.size - done, static_cast<off_t>(data.base.value() + done));
        if (n <= 0) {
          int err = errno;
          ::close(fd);
          return make_error("{}: writing the RAM snapshot: {}", path.string(), std::strerror(err));
        }
        done += static_cast<uint64_t>(n);
      }
    }
  }
  bool ok = ::ftruncate(fd, static_cast<off_t>(end)) == 0;
  ::close(fd);
  if (!ok) return make_error("{}: sizing the RAM snapshot: {}", path.string(), std::strerror(errno));
  return llvm::Error::success();
}

}  // namespace kdsim
