// Address decoding for one address space (the MMIO space, or x86 I/O ports). The bus owns the
// decode; attaching a device that overlaps another device or a reserved range (RAM), wraps
// around, or has size zero is refused with an error naming both parties.
#pragma once
#include "machine/device.h"
#include <llvm/Support/Error.h>
#include <cstdint>
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
  };

  explicit Bus(std::string space_name) : m_space(std::move(space_name)) {}

  llvm::Error attach(uint64_t base, Device& device);
  // Claims a range for something that is not a device (RAM), so devices cannot overlap it.
  llvm::Error reserve(uint64_t base, uint64_t size, std::string name);

  const Mapping* find(uint64_t address) const;
  std::span<const Mapping> mappings() const { return m_mappings; }
  const std::string& space_name() const { return m_space; }

  // Decoded access. Unmapped policy: reads return all ones (a floating bus), writes are
  // dropped; both are counted so a run can report them.
  uint64_t read(uint64_t address, unsigned width);
  void write(uint64_t address, unsigned width, uint64_t value);
  std::span<const UnmappedAccess> unmapped_accesses() const { return m_unmapped; }
  // Every decoded access so far, mapped or not: a CPU that touches a device is not spinning.
  uint64_t accesses() const { return m_accesses; }

private:
  llvm::Error insert(Mapping m);

  std::string m_space;
  std::vector<Mapping> m_mappings;  // sorted by base
  std::vector<UnmappedAccess> m_unmapped;
  uint64_t m_accesses = 0;
};

}  // namespace kdsim
