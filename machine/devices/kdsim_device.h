// The header every kdsim device shares (docs/devices.md "Common header").
#pragma once
#include <cstdint>

namespace kdsim {

inline constexpr uint32_t kKdsimMagic = 0x6b64736d;
inline constexpr uint32_t kKdsimVersion = 1;
enum class KdsimDeviceId : uint32_t { Agent = 1, StagePort = 2, DumpDisk = 3 };

inline constexpr uint64_t kRegMagic = 0x00, kRegDeviceId = 0x04, kRegVersion = 0x08;

// Reads of the common header; returns false for offsets outside it.
inline bool read_kdsim_header(uint64_t offset, KdsimDeviceId id, uint64_t& out) {
  switch (offset) {
  case kRegMagic: out = kKdsimMagic; return true;
  case kRegDeviceId: out = static_cast<uint32_t>(id); return true;
  case kRegVersion: out = kKdsimVersion; return true;
  default: return false;
  }
}

// Writes a 32-bit half of a 64-bit register kept as two registers (LO at even, HI at +4).
inline void write_half(uint64_t& reg, bool high, uint64_t value) {
  uint64_t v = value & 0xffffffffull;
  reg = high ? (reg & 0xffffffffull) | (v << 32) : (reg & ~0xffffffffull) | v;
}

}  // namespace kdsim
