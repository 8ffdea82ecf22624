// The dump disk (docs/devices.md): a write-only disk fed by scatter-gather DMA from guest
// physical memory. The capture kernel hands it the pieces of /proc/vmcore (its ELF header and
// notes buffers, then chunks of the crashed kernel's memory) and the host writes them into the
// output file at memcpy speed. All-zero pages and untouched RAM are never written, so they stay
// holes of a sparse file. The file is written under a temporary name and renamed to its final
// name only on COMPLETE: an interrupted dump never leaves a file that looks complete.
#pragma once
#include "machine/device.h"
#include "machine/ram.h"
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace kdsim {

class DumpDiskListener {
public:
  virtual ~DumpDiskListener() = default;
  virtual void dump_complete(uint64_t size) = 0;
  virtual void dump_error(std::string_view what) = 0;
  // A DMA the bus refused: an SG list or entry [phys, +len) that is not RAM (a wild bus address
  // from the driver). The device reports status EntryNotRam / ListNotRam to the guest as well.
  virtual void dma_refused(PhysAddr phys, uint64_t len, std::string_view what) = 0;
};

// Faults a scenario gives the disk, as a real dump target can have them: a disk that fills up
// (the vmcore is larger than the space left) and an unreadable sector mid-dump.
struct DumpDiskFaults {
  std::optional<uint64_t> capacity;     // bytes; a write ending past it fails with NoSpace
  std::optional<uint64_t> io_error_at;  // disk offset; a write covering it fails with MediaError
};

struct DumpDiskStats {
  uint64_t bytes_accepted = 0;  // everything the SG lists covered
  uint64_t bytes_written = 0;   // data actually written (non-zero pages)
  uint64_t sg_entries = 0;
};

class DumpDisk final : public Device {
public:
  enum class Doorbell : uint32_t { WriteSg = 1, Complete = 2, Abort = 3 };
  enum class Status : uint32_t {
    Ok = 0,
    EntryNotRam = 1,
    ListNotRam = 2,
    HostWriteError = 3,
    NotAttached = 4,
    NoSpace = 5,     // the scenario's disk is full (DumpDiskFaults::capacity)
    MediaError = 6,  // the scenario's bad sector (DumpDiskFaults::io_error_at)
  };

  DumpDisk(Ram& ram, DumpDiskListener& listener) : m_ram(ram), m_listener(listener) {}
  ~DumpDisk() override;
  std::string_view name() const override { return "kdsim-dump-disk"; }
  uint64_t size() const override { return 0x200; }
  uint64_t read(uint64_t offset, unsigned width) override;
  void write(uint64_t offset, unsigned width, uint64_t value) override;

  // Host side: the file the dump becomes. Nothing is created until the guest writes.
  void attach(std::filesystem::path final_path) { m_final_path = std::move(final_path); }
  void set_faults(const DumpDiskFaults& faults) { m_faults = faults; }
  const DumpDiskStats& stats() const { return m_stats; }

private:
  void ring(uint32_t doorbell);
  void write_sg();
  bool write_entry(uint64_t disk_offset, PhysAddr phys, uint64_t len);
  bool write_range(uint64_t disk_offset, PhysAddr phys, uint64_t len);
  uint64_t bytes_before_fault(uint64_t disk_offset, uint64_t len) const;
  void raise_fault(uint64_t at);
  bool write_data(uint64_t disk_offset, const uint8_t* src, uint64_t len);
  bool open_partial();
  void complete();
  void abort_dump();
  void fail(Status status, std::string what);
  void refuse_dma(Status status, PhysAddr phys, uint64_t len, std::string what);
  std::filesystem::path partial_path() const;

  Ram& m_ram;
  DumpDiskListener& m_listener;
  std::optional<std::filesystem::path> m_final_path;
  int m_fd = -1;
  uint64_t m_sg_addr = 0;
  uint32_t m_sg_count = 0;
  uint64_t m_size = 0;
  Status m_status = Status::Ok;
  DumpDiskStats m_stats;
  DumpDiskFaults m_faults;
};

}  // namespace kdsim
