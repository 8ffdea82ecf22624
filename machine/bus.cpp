#include "machine/bus.h"
#include "machine/error.h"
#include <algorithm>

namespace kdsim {

llvm::Error Bus::insert(Mapping m) {
  if (m.size == 0) return make_error("{}: {} at 0x{:x} has size 0", m_space, m.name, m.base);
  if (m.base + m.size - 1 < m.base)
    return make_error("{}: {} [0x{:x}, +0x{:x}) wraps around the address space", m_space, m.name, m.base, m.size);
  for (const Mapping& o : m_mappings) {
    if (m.base <= o.last() && o.base <= m.last())
      return make_error("{}: {} [0x{:x}, 0x{:x}] overlaps {} [0x{:x}, 0x{:x}]", m_space, m.name, m.base,
                        m.last(), o.name, o.base, o.last());
  }
  auto at = std::upper_bound(m_mappings.begin(), m_mappings.end(), m.base,
                             [](uint64_t b, const Mapping& x) { return b < x.base; });
  m_mappings.insert(at, std::move(m));
  return llvm::Error::success();
}

llvm::Error Bus::attach(uint64_t base, Device& device) {
  return insert({base, device.size(), &device, std::string(device.name())});
}

llvm::Error Bus::reserve(uint64_t base, uint64_t size, std::string name) {
  return insert({base, size, nullptr, std::move(name)});
}

const Bus::Mapping* Bus::find(uint64_t address) const {
  auto it = std::upper_bound(m_mappings.begin(), m_mappings.end(), address,
                             [](uint64_t a, const Mapping& x) { return a < x.base; });
  if (it == m_mappings.begin()) return nullptr;
  --it;
  return address <= it->last() ? &*it : nullptr;
}

uint64_t Bus::read(uint64_t address, unsigned width) {
  ++m_accesses;
  const Mapping* m = find(address);
  if (m && m->device) return m->device->read(address - m->base, width);
  const uint64_t floating = width >= 8 ? ~0ull : (1ull << (8 * width)) - 1;
  record_unmapped({address, width, false, floating});
  return floating;
}

void Bus::write(uint64_t address, unsigned width, uint64_t value) {
  ++m_accesses;
  const Mapping* m = find(address);
  if (m && m->device) return m->device->write(address - m->base, width, value);
  record_unmapped({address, width, true, value});
}

void Bus::record_unmapped(UnmappedAccess access) {
  if (m_unmapped_count++ >= kKeptUnmapped) return;
  m_unmapped.push_back(access);
  if (m_on_unmapped) m_on_unmapped(*this, access);
}

}  // namespace kdsim
