// A device is an object addressed by offsets (Spike's abstract_device_t). It never sees bus
// addresses: the Bus decodes. Widths are 1, 2, 4 or 8 bytes; values are little-endian.
#pragma once
#include <cstdint>
#include <string_view>

namespace kdsim {

class Device {
public:
  virtual ~Device() = default;
  virtual std::string_view name() const = 0;
  virtual uint64_t size() const = 0;
  virtual uint64_t read(uint64_t offset, unsigned width) = 0;
  virtual void write(uint64_t offset, unsigned width, uint64_t value) = 0;
};

}  // namespace kdsim
