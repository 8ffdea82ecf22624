#include "machine/devices/dump_disk.h"
#include "machine/devices/kdsim_device.h"
#include "machine/host_file.h"
#include "machine/error.h"
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

namespace kdsim {

namespace {
constexpr uint64_t kSgAddrLo = 0x10, kSgAddrHi = 0x14, kSgCount = 0x18, kDoorbell = 0x1c, kSizeLo = 0x20,
                   kSizeHi = 0x24, kStatus = 0x28, kWrittenLo = 0x2c, kWrittenHi = 0x30;
constexpr uint64_t kPage = 4096;
constexpr uint64_t kMaxWrite = 8ull << 20;  // bytes per pwrite: large enough to amortise the syscall
constexpr uint64_t kSgEntryBytes = 24;

struct SgEntry {
  uint64_t disk_offset, phys, len;
};

bool all_zero(const uint8_t* p, uint64_t len) {
  // Word-wise compare through memcpy: an SG entry may start anywhere inside a page.
  uint64_t i = 0;
  for (; i + 8 <= len; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (w) return false;
  }
  for (; i < len; ++i)
    if (p[i]) return false;
  return true;
}
}  // namespace

DumpDisk::~DumpDisk() {
  if (m_fd >= 0) abort_dump();
}

uint64_t DumpDisk::read(uint64_t offset, unsigned) {
  uint64_t v = 0;
  if (read_kdsim_header(offset, KdsimDeviceId::DumpDisk, v)) return v;
  switch (offset) {
  case kSgAddrLo: return m_sg_addr & 0xffffffff;
  case kSgAddrHi: return m_sg_addr >> 32;
  case kSgCount: return m_sg_count;
  case kSizeLo: return m_size & 0xffffffff;
  case kSizeHi: return m_size >> 32;
  case kStatus: return static_cast<uint32_t>(m_status);
  case kWrittenLo: return m_stats.bytes_accepted & 0xffffffff;
  case kWrittenHi: return m_stats.bytes_accepted >> 32;
  default: return 0;
  }
}

void DumpDisk::write(uint64_t offset, unsigned width, uint64_t value) {
  switch (offset) {
  case kSgAddrLo: width == 8 ? void(m_sg_addr = value) : write_half(m_sg_addr, false, value); break;
  case kSgAddrHi: write_half(m_sg_addr, true, value); break;
  case kSgCount: m_sg_count = static_cast<uint32_t>(value); break;
  case kSizeLo: width == 8 ? void(m_size = value) : write_half(m_size, false, value); break;
  case kSizeHi: write_half(m_size, true, value); break;
  case kDoorbell: ring(static_cast<uint32_t>(value)); break;
  default: break;
  }
}

void DumpDisk::ring(uint32_t doorbell) {
  m_status = Status::Ok;
  switch (static_cast<Doorbell>(doorbell)) {
  case Doorbell::WriteSg: return write_sg();
  case Doorbell::Complete: return complete();
  case Doorbell::Abort: return abort_dump();
  }
}

std::filesystem::path DumpDisk::partial_path() const {
  return m_final_path->parent_path() / ("." + m_final_path->filename().string() + ".partial");
}

bool DumpDisk::open_partial() {
  if (m_fd >= 0) return true;
  if (!m_final_path) {
    fail(Status::NotAttached, "the guest wrote to the dump disk, but this run has no output file for it");
    return false;
  }
  std::error_code ec;
  std::filesystem::create_directories(m_final_path->parent_path(), ec);
  auto fd = create_fresh_file(partial_path());  // a symlink left there is replaced, not followed
  if (!fd) {
    fail(Status::HostWriteError, toString(fd.takeError()));
    return false;
  }
  m_fd = *fd;
  return true;
}

void DumpDisk::write_sg() {
  if (!open_partial()) return;
  const uint8_t* list = m_ram.host_ptr(PhysAddr(m_sg_addr), uint64_t(m_sg_count) * kSgEntryBytes);
  if (m_sg_count && !list)
    return refuse_dma(Status::ListNotRam, PhysAddr(m_sg_addr), uint64_t(m_sg_count) * kSgEntryBytes,
                      fmt::format("SG list at {} ({} entries) is not in RAM", PhysAddr(m_sg_addr), m_sg_count));
  for (uint32_t i = 0; i < m_sg_count; ++i) {
    SgEntry e;
    std::memcpy(&e, list + i * kSgEntryBytes, sizeof e);
    if (!write_entry(e.disk_offset, PhysAddr(e.phys), e.len)) return;
    ++m_stats.sg_entries;
  }
}

// Writes one entry, skipping holes of the RAM backing (never touched: no scan, no page faults)
// and all-zero pages inside the data ranges. Consecutive non-zero pages go out in one pwrite of
// up to kMaxWrite bytes: a syscall per 4 KiB page made the copy several times slower than cp.
bool DumpDisk::write_entry(uint64_t disk_offset, PhysAddr phys, uint64_t len) {
  if (len == 0) return true;
  // A scenario fault inside the entry: what comes before it is written, as write(2) writes
  // what fits on a full disk before it fails.
  const uint64_t fits = bytes_before_fault(disk_offset, len);
  if (fits < len) {
    if (fits && !write_range(disk_offset, phys, fits)) return false;
    raise_fault(disk_offset + fits);
    return false;
  }
  return write_range(disk_offset, phys, len);
}

bool DumpDisk::write_range(uint64_t disk_offset, PhysAddr phys, uint64_t len) {
  if (!m_ram.contains(phys, len)) {
    refuse_dma(Status::EntryNotRam, phys, len, fmt::format("SG entry [{}, +0x{:x}) is not RAM", phys, len));
    return false;
  }
  for (const PhysRange& data : m_ram.data_ranges({phys, len})) {
    const uint8_t* src = m_ram.host_ptr(data.base, data.size);
    const uint64_t at = disk_offset + (data.base - phys);
    uint64_t run_begin = 0, run_size = 0;  // pending non-zero bytes, relative to src
    auto flush = [&] {
      bool ok = run_size == 0 || write_data(at + run_begin, src + run_begin, run_size);
      run_size = 0;
      return ok;
    };
    for (uint64_t done = 0; done < data.size;) {
      uint64_t n = std::min(kPage - (data.base.value() + done) % kPage, data.size - done);
      if (all_zero(src + done, n)) {
        if (!flush()) return false;
      } else {
        if (run_size == 0) run_begin = done;
        run_size += n;
        if (run_size >= kMaxWrite && !flush()) return false;
      }
      done += n;
    }
    if (!flush()) return false;
  }
  m_stats.bytes_accepted += len;
  return true;
}

// The scenario's faults (DumpDiskFaults): how many bytes of a write at `disk_offset` land
// before the first of them, and the failure at that offset.
uint64_t DumpDisk::bytes_before_fault(uint64_t disk_offset, uint64_t len) const {
  uint64_t fits = len;
  if (m_faults.capacity) fits = std::min(fits, *m_faults.capacity > disk_offset ? *m_faults.capacity - disk_offset : 0);
  if (m_faults.io_error_at && *m_faults.io_error_at >= disk_offset)
    fits = std::min(fits, *m_faults.io_error_at - disk_offset);
  return fits;
}

void DumpDisk::raise_fault(uint64_t at) {
  if (m_faults.capacity && at >= *m_faults.capacity)
    return fail(Status::NoSpace, fmt::format("disk full at disk offset 0x{:x}: the disk holds {} bytes "
                                             "(machine.dump_disk.capacity)",
                                             at, *m_faults.capacity));
  fail(Status::MediaError, fmt::format("I/O error at disk offset 0x{:x}, a bad sector (machine.dump_disk.io_error_at)", at));
}

bool DumpDisk::write_data(uint64_t disk_offset, const uint8_t* src, uint64_t len) {
  while (len) {
    ssize_t n = ::pwrite(m_fd, src, len, static_cast<off_t>(disk_offset));
    if (n <= 0) {
      fail(Status::HostWriteError, fmt::format("writing {}: {}", partial_path().string(), std::strerror(errno)));
      return false;
    }
    m_stats.bytes_written += n;
    src += n, disk_offset += n, len -= n;
  }
  return true;
}

void DumpDisk::complete() {
  if (!open_partial()) return;
  // No fsync: the rename makes the file appear whole or not at all for anything that stops
  // kdsim; surviving a host power loss is not promised (cp does not fsync either).
  if (::ftruncate(m_fd, static_cast<off_t>(m_size)) != 0)
    return fail(Status::HostWriteError, fmt::format("finishing {}: {}", partial_path().string(), std::strerror(errno)));
  ::close(m_fd);
  m_fd = -1;
  if (auto err = rename_into_place(partial_path(), *m_final_path))
    return fail(Status::HostWriteError, toString(std::move(err)));
  m_listener.dump_complete(m_size);
}

void DumpDisk::abort_dump() {
  if (m_fd < 0) return;
  ::close(m_fd);
  m_fd = -1;
  remove_partial_file(partial_path());
}

void DumpDisk::refuse_dma(Status status, PhysAddr phys, uint64_t len, std::string what) {
  m_status = status;
  m_listener.dma_refused(phys, len, what);
}

void DumpDisk::fail(Status status, std::string what) {
  m_status = status;
  m_listener.dump_error(what);
}

}  // namespace kdsim
