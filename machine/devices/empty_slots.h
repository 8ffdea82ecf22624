// Unused slots of the kdsim device window: every register reads 0 (no MAGIC, so a probing
// kernel sees "no device"), writes are ignored. Keeps a probe of an empty slot from becoming
// an unmapped access.
#pragma once
#include "machine/device.h"

namespace kdsim {

class EmptySlots final : public Device {
public:
  explicit EmptySlots(uint64_t size) : m_size(size) {}
  std::string_view name() const override { return "kdsim-empty-slots"; }
  uint64_t size() const override { return m_size; }
  uint64_t read(uint64_t, unsigned) override { return 0; }
  void write(uint64_t, unsigned, uint64_t) override {}

private:
  uint64_t m_size;
};

}  // namespace kdsim
