#include "machine/devices/stage_port.h"
#include "machine/devices/kdsim_device.h"

namespace kdsim {

namespace {
constexpr uint64_t kArg0Lo = 0x10, kArg0Hi = 0x14, kArg1Lo = 0x18, kArg1Hi = 0x1c, kStage = 0x20;
}

uint64_t StagePort::read(uint64_t offset, unsigned) {
  uint64_t v = 0;
  if (read_kdsim_header(offset, KdsimDeviceId::StagePort, v)) return v;
  switch (offset) {
  case kArg0Lo: return m_arg0 & 0xffffffff;
  case kArg0Hi: return m_arg0 >> 32;
  case kArg1Lo: return m_arg1 & 0xffffffff;
  case kArg1Hi: return m_arg1 >> 32;
  default: return 0;
  }
}

void StagePort::write(uint64_t offset, unsigned width, uint64_t value) {
  // A 64-bit store to a LO register sets the whole argument.
  switch (offset) {
  case kArg0Lo: width == 8 ? void(m_arg0 = value) : write_half(m_arg0, false, value); break;
  case kArg0Hi: write_half(m_arg0, true, value); break;
  case kArg1Lo: width == 8 ? void(m_arg1 = value) : write_half(m_arg1, false, value); break;
  case kArg1Hi: write_half(m_arg1, true, value); break;
  case kStage:
    m_sink.stage(static_cast<uint32_t>(value), m_arg0, m_arg1);
    m_arg0 = m_arg1 = 0;
    break;
  default: break;
  }
}

}  // namespace kdsim
