#include "machine/ram.h"
#include "machine/assert.h"
#include "machine/error.h"
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <climits>
#include <unistd.h>

namespace kdsim {

namespace {
constexpr uint64_t kPage = 4096;
}

llvm::Expected<std::unique_ptr<Ram>> Ram::create(std::vector<PhysRange> ranges) {
  if (ranges.empty()) return make_error("RAM: no regions given");
  std::sort(ranges.begin(), ranges.end(), [](auto& a, auto& b) { return a.base < b.base; });
  std::vector<Region> regions;
  uint64_t total = 0;
  for (size_t i = 0; i < ranges.size(); ++i) {
    const PhysRange& r = ranges[i];
    if (r.size == 0 || !r.base.is_aligned(kPage) || r.size % kPage != 0)
      return make_error("RAM region {} is empty or not 4 KiB aligned", r);
    if (r.base.value() + r.size < r.base.value()) return make_error("RAM region {} wraps around", r);
    if (i > 0 && ranges[i - 1].overlaps(r)) return make_error("RAM region {} overlaps {}", r, ranges[i - 1]);
    regions.push_back({r, total});
    total += r.size;
  }
  int fd = memfd_create("kdsim-ram", MFD_CLOEXEC);
  if (fd < 0) return make_error("RAM: memfd_create failed: {}", std::strerror(errno));
  if (ftruncate(fd, static_cast<off_t>(total)) != 0) {
    int err = errno;
    close(fd);
    return make_error("RAM: cannot size the backing file to 0x{:x} bytes: {}", total, std::strerror(err));
  }
  void* p = mmap(nullptr, total, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE, fd, 0);
  if (p == MAP_FAILED) {
    int err = errno;
    close(fd);
    return make_error("RAM: cannot map 0x{:x} bytes: {}", total, std::strerror(err));
  }
  return std::unique_ptr<Ram>(new Ram(fd, static_cast<uint8_t*>(p), total, std::move(regions)));
}

Ram::~Ram() {
  munmap(m_base, m_total);
  close(m_fd);
}

const Ram::Region* Ram::find(PhysAddr pa, uint64_t len) const {
  for (const Region& r : m_regions)
    if (r.range.contains(pa, len)) return &r;
  return nullptr;
}

uint8_t* Ram::host_ptr(PhysAddr pa, uint64_t len) {
  const Region* r = find(pa, len);
  return r ? m_base + r->backing_offset + (pa - r->range.base) : nullptr;
}

const uint8_t* Ram::host_ptr(PhysAddr pa, uint64_t len) const {
  return const_cast<Ram*>(this)->host_ptr(pa, len);
}

llvm::Error Ram::write(PhysAddr pa, std::span<const uint8_t> bytes) {
  uint8_t* p = host_ptr(pa, bytes.size());
  if (!p) return make_error("write of 0x{:x} bytes at {} is not inside RAM", bytes.size(), pa);
  std::memcpy(p, bytes.data(), bytes.size());
  return llvm::Error::success();
}

llvm::Error Ram::read(PhysAddr pa, std::span<uint8_t> out) const {
  const uint8_t* p = host_ptr(pa, out.size());
  if (!p) return make_error("read of 0x{:x} bytes at {} is not inside RAM", out.size(), pa);
  std::memcpy(out.data(), p, out.size());
  return llvm::Error::success();
}

llvm::Error Ram::fill(PhysAddr pa, uint64_t len, uint8_t value) {
  uint8_t* p = host_ptr(pa, len);
  if (!p) return make_error("fill of 0x{:x} bytes at {} is not inside RAM", len, pa);
  std::memset(p, value, len);
  return llvm::Error::success();
}

std::vector<PhysRange> Ram::data_ranges(PhysRange within) const {
  std::vector<PhysRange> out;
  for (const Region& r : m_regions) {
    if (!r.range.overlaps(within)) continue;
    uint64_t lo = std::max(r.range.base.value(), within.base.value());
    uint64_t hi = std::min(r.range.last(), within.last()) + 1;
    auto to_file = [&](uint64_t pa) { return static_cast<off_t>(r.backing_offset + (pa - r.range.base.value())); };
    auto to_pa = [&](off_t off) { return static_cast<uint64_t>(off) - r.backing_offset + r.range.base.value(); };
    off_t pos = to_file(lo);
    const off_t end = to_file(hi);
    while (pos < end) {
      off_t data = lseek(m_fd, pos, SEEK_DATA);
      if (data < 0 || data >= end) break;  // ENXIO: no more data
      off_t hole = lseek(m_fd, data, SEEK_HOLE);
      if (hole < 0 || hole > end) hole = end;
      out.push_back({PhysAddr(to_pa(data)), static_cast<uint64_t>(hole - data)});
      pos = hole;
    }
  }
  return out;
}

llvm::Expected<uint64_t> Ram::write_vectored(PhysAddr pa, std::span<const struct iovec> pieces) {
  uint64_t len = 0;
  for (const struct iovec& v : pieces) len += v.iov_len;
  const Region* r = find(pa, len);
  if (!r) return make_error("RAM: [{}, +0x{:x}) is not inside one region", pa, len);
  const off_t at = static_cast<off_t>(r->backing_offset + (pa - r->range.base));
  uint64_t done = 0;
  size_t first = 0;
  std::vector<struct iovec> rest(pieces.begin(), pieces.end());
  while (done < len) {
    const int count = static_cast<int>(std::min<size_t>(rest.size() - first, IOV_MAX));
    const ssize_t n = ::pwritev(m_fd, rest.data() + first, count, at + static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return make_error("RAM: writing [{}, +0x{:x}): {}", pa, len, std::strerror(errno));
    done += static_cast<uint64_t>(n);
    // Skip the pieces written, and the written part of a piece cut short.
    for (uint64_t left = static_cast<uint64_t>(n); left != 0 && first < rest.size();) {
      const uint64_t take = std::min<uint64_t>(left, rest[first].iov_len);
      rest[first].iov_base = static_cast<uint8_t*>(rest[first].iov_base) + take;
      rest[first].iov_len -= take;
      left -= take;
      if (rest[first].iov_len == 0) ++first;
    }
  }
  return done;
}

void Ram::populate(PhysAddr pa, uint64_t len) {
#ifndef MADV_POPULATE_WRITE
  constexpr int MADV_POPULATE_WRITE = 23;  // Linux 5.14 (include/uapi/asm-generic/mman-common.h)
#endif
  uint8_t* p = host_ptr(pa, len);
  if (!p || len == 0) return;
  // madvise wants a page-aligned start: widen to the enclosing pages (still inside the region,
  // whose bounds are page-aligned).
  auto first = reinterpret_cast<uintptr_t>(p) & ~(kPage - 1);
  auto end = (reinterpret_cast<uintptr_t>(p) + len + kPage - 1) & ~(kPage - 1);
  (void)madvise(reinterpret_cast<void*>(first), end - first, MADV_POPULATE_WRITE);
}

uint64_t Ram::resident_bytes() const {
  struct stat st {};
  KDSIM_ASSERT(fstat(m_fd, &st) == 0, "fstat of the RAM memfd failed");
  return static_cast<uint64_t>(st.st_blocks) * 512;
}

}  // namespace kdsim
