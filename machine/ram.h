// Guest physical RAM: one sparse host mapping shared by every CPU engine.
//
// Backed by a memfd mapped MAP_SHARED|MAP_NORESERVE: 64 GiB of guest RAM costs nothing until
// touched, and lseek(SEEK_DATA/SEEK_HOLE) on the memfd finds touched memory without scanning
// untouched pages (see performance-anchors.md). The host reads and writes guest RAM directly
// through this mapping, at memcpy speed.
#pragma once
#include "machine/addr.h"
#include <llvm/Support/Error.h>
#include <cstdint>
#include <memory>
#include <span>
#include <sys/uio.h>
#include <vector>

namespace kdsim {

class Ram {
public:
  struct Region {
    PhysRange range;
    uint64_t backing_offset = 0;  // offset of range.base in the memfd
  };

  // Regions must be page-aligned, non-empty and disjoint; they are kept sorted by address.
  static llvm::Expected<std::unique_ptr<Ram>> create(std::vector<PhysRange> regions);
  ~Ram();
  Ram(const Ram&) = delete;
  Ram& operator=(const Ram&) = delete;

  const std::vector<Region>& regions() const { return m_regions; }
  uint64_t total_size() const { return m_total; }
  bool contains(PhysAddr pa, uint64_t len) const { return find(pa, len) != nullptr; }

  // Host view of [pa, pa+len) when it lies inside one region, else nullptr.
  uint8_t* host_ptr(PhysAddr pa, uint64_t len);
  const uint8_t* host_ptr(PhysAddr pa, uint64_t len) const;
  uint8_t* region_host_base(const Region& r) { return m_base + r.backing_offset; }

  // Bulk access; an error names the range when it is not RAM.
  llvm::Error write(PhysAddr pa, std::span<const uint8_t> bytes);
  llvm::Error read(PhysAddr pa, std::span<uint8_t> out) const;
  llvm::Error fill(PhysAddr pa, uint64_t len, uint8_t value);

  // Ranges inside `within` that hold data (were ever written), found with SEEK_DATA/SEEK_HOLE,
  // so the cost is proportional to the touched memory, not to the RAM size.
  std::vector<PhysRange> data_ranges(PhysRange within) const;
  // Allocates the host pages behind [pa, pa+len) in one call instead of one page fault per
  // 4 KiB page, before the host writes all of it. A hint: without kernel support (Linux < 5.14)
  // the pages are faulted in by the writes as before.
  void populate(PhysAddr pa, uint64_t len);
  // Writes the pieces one after another from `pa` (all inside one region) through the backing
  // file instead of the mapping: the page cache then allocates pages a write covers whole
  // without zeroing them first, so filling fresh RAM costs one copy instead of zero + copy.
  // Returns how many bytes went in (all of them unless the host refused memory).
  llvm::Expected<uint64_t> write_vectored(PhysAddr pa, std::span<const struct iovec> pieces);
  // Host memory actually used by guest RAM, in bytes.
  uint64_t resident_bytes() const;

private:
  Ram(int fd, uint8_t* base, uint64_t total, std::vector<Region> regions)
      : m_fd(fd), m_base(base), m_total(total), m_regions(std::move(regions)) {}
  const Region* find(PhysAddr pa, uint64_t len) const;

  int m_fd = -1;
  uint8_t* m_base = nullptr;
  uint64_t m_total = 0;
  std::vector<Region> m_regions;
};

}  // namespace kdsim
