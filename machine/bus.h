// Address decoding for one address space (the MMIO space, or x86 I/O ports). The bus owns the
// decode; attaching a device that overlaps another device or a reserved range (RAM), wraps
// around, or has size zero is refused with an error naming both parties.
#pragma once
#include "machine/device.h"
#include <llvm/Support/Error.h>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace kdsim {

class Bus {
public:
  struct Mapping {
    uint64_t base = 0;
    uint64_t size = 0;
    Device* device = nullptr;  // nullptr for a reserved range
    std::string name;
    uint64_t last() const { return base + size - 1; }
  };
  struct UnmappedAccess {
    uint64_t address = 0;
    unsigned width = 0;
    bool is_write = false;
    uint64_t value = 0;  // what a write carried, what a read returned
  };
  // The first accesses to nothing are kept (and each reaches the listener); after that they are
  // only counted, so a guest polling a missing device costs no memory.
  static constexpr size_t kKeptUnmapped = 16;
  using UnmappedListener = std::function<void(const Bus&, const UnmappedAccess&)>;

  explicit Bus(std::string space_name) : m_space(std::move(space_name)) {}

  llvm::Error attach(uint64_t base, Device& device);
  // Claims a range for something that is not a device (RAM), so devices cannot overlap it.
  llvm::Error reserve(uint64_t base, uint64_t size, std::string name);
  // A window the CPUs route to this bus whole, devices or not (Board::device_window).
  void add_decode_window(uint64_t base, uint64_t size) { m_windows.push_back({base, size, nullptr, "window"}); }
  std::span<const Mapping> decode_windows() const { return m_windows; }

  const Mapping* find(uint64_t address) const;
  std::span<const Mapping> mappings() const { return m_mappings; }
  const std::string& space_name() const { return m_space; }

  // Decoded access. Unmapped policy: reads return all ones (a floating bus), writes are
  // dropped; both are counted, and the first kKeptUnmapped are kept and reported to the
  // listener, so a run can name them.
  uint64_t read(uint64_t address, unsigned width);
  void write(uint64_t address, unsigned width, uint64_t value);
  void set_unmapped_listener(UnmappedListener listener) { m_on_unmapped = std::move(listener); }
  std::span<const UnmappedAccess> unmapped_accesses() const { return m_unmapped; }
  uint64_t unmapped_count() const { return m_unmapped_count; }
  // Every decoded access so far, mapped or not: a CPU that touches a device is not spinning.
  uint64_t accesses() const { return m_accesses; }

private:
  llvm::Error insert(Mapping m);

  std::string m_space;
  std::vector<Mapping> m_mappings;  // sorted by base
  std::vector<Mapping> m_windows;
  void record_unmapped(UnmappedAccess access);

  std::vector<UnmappedAccess> m_unmapped;  // the first kKeptUnmapped
  uint64_t m_unmapped_count = 0;
  UnmappedListener m_on_unmapped;
  uint64_t m_accesses = 0;
};

}  // namespace kdsim
