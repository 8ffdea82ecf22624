#include "sim/guest_ram.h"
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

llvm::Error touch_memory(Ram& ram, PhysAddr base, uint64_t offset, uint64_t size) {
  PhysAddr at = base.offset(offset);
  uint8_t* p = ram.host_ptr(at, size);
  if (!p) return make_error("[{}, +0x{:x}) is not inside one RAM region", at, size);
  uint64_t x = at.value() | 1;
  for (uint64_t i = 0; i + 8 <= size; i += 8) {
    x ^= x >> 12, x ^= x << 25, x ^= x >> 27;
    uint64_t v = x * 0x2545f4914f6cdd1dull;
    std::memcpy(p + i, &v, 8);
  }
  return llvm::Error::success();
}

}  // namespace kdsim
