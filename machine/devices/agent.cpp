#include "machine/devices/agent.h"
#include "machine/devices/kdsim_device.h"
#include <algorithm>
#include <fmt/format.h>
#include <vector>

namespace kdsim {

namespace {
constexpr uint64_t kStatus = 0x10, kCmdLen = 0x14, kAddrLo = 0x18, kAddrHi = 0x1c, kLen = 0x20,
                   kDoorbell = 0x24, kArg = 0x28, kError = 0x2c, kBlobLen = 0x30;
constexpr uint32_t kStatusCmdReady = 1 << 0, kStatusNoMore = 1 << 1;
}  // namespace

uint64_t Agent::read(uint64_t offset, unsigned) {
  uint64_t v = 0;
  if (read_kdsim_header(offset, KdsimDeviceId::Agent, v)) return v;
  switch (offset) {
  case kStatus:
    return (m_queue.empty() ? 0 : kStatusCmdReady) | (m_no_more && m_queue.empty() ? kStatusNoMore : 0);
  case kCmdLen: return m_queue.empty() ? m_last_cmd_len : m_queue.front().line.size();
  case kBlobLen: return m_current_blob.size();
  case kAddrLo: return m_addr & 0xffffffff;
  case kAddrHi: return m_addr >> 32;
  case kLen: return m_len;
  case kArg: return m_arg;
  case kError: return static_cast<uint32_t>(m_error);
  default: return 0;
  }
}

void Agent::write(uint64_t offset, unsigned width, uint64_t value) {
  switch (offset) {
  case kAddrLo: width == 8 ? void(m_addr = value) : write_half(m_addr, false, value); break;
  case kAddrHi: write_half(m_addr, true, value); break;
  case kLen: m_len = static_cast<uint32_t>(value); break;
  case kArg: m_arg = static_cast<uint32_t>(value); break;
  case kDoorbell: ring(static_cast<uint32_t>(value)); break;
  default: break;
  }
}

void Agent::ring(uint32_t doorbell) {
  m_error = ErrorCode::None;
  switch (static_cast<Doorbell>(doorbell)) {
  case Doorbell::Fetch: return fetch();
  case Doorbell::Output: return output();
  case Doorbell::Done: return m_listener.agent_done(static_cast<int32_t>(m_arg));
  case Doorbell::Hello: return m_listener.agent_hello();
  case Doorbell::FetchBlob: return fetch_blob();
  }
  fail(ErrorCode::UnknownDoorbell, fmt::format("unknown doorbell {}", doorbell));
}

void Agent::fetch() {
  if (m_queue.empty()) return fail(ErrorCode::NoCommand, "FETCH with no command waiting");
  const std::string& cmd = m_queue.front().line;
  size_t n = std::min<size_t>(cmd.size(), m_len);
  uint8_t* dst = m_ram.host_ptr(PhysAddr(m_addr), n);
  if (n && !dst)
    return fail(ErrorCode::DmaNotRam,
                fmt::format("FETCH into [{}, +0x{:x}) which is not RAM", PhysAddr(m_addr), n));
  std::copy_n(cmd.data(), n, dst);
  m_last_cmd_len = static_cast<uint32_t>(cmd.size());
  m_current_blob = std::move(m_queue.front().blob);
  m_queue.pop_front();
}

void Agent::fetch_blob() {
  uint64_t offset = m_arg;
  if (offset > m_current_blob.size() || m_len > m_current_blob.size() - offset)
    return fail(ErrorCode::BlobRange, fmt::format("FETCH_BLOB of [0x{:x}, +0x{:x}) beyond the blob (0x{:x} bytes)",
                                                  offset, m_len, m_current_blob.size()));
  uint8_t* dst = m_ram.host_ptr(PhysAddr(m_addr), m_len);
  if (m_len && !dst)
    return fail(ErrorCode::DmaNotRam,
                fmt::format("FETCH_BLOB into [{}, +0x{:x}) which is not RAM", PhysAddr(m_addr), m_len));
  std::copy_n(m_current_blob.data() + offset, m_len, dst);
}

void Agent::output() {
  const uint8_t* src = m_ram.host_ptr(PhysAddr(m_addr), m_len);
  if (m_len && !src)
    return fail(ErrorCode::DmaNotRam,
                fmt::format("OUTPUT from [{}, +0x{:x}) which is not RAM", PhysAddr(m_addr), m_len));
  m_listener.agent_output({reinterpret_cast<const char*>(src), m_len});
}

void Agent::fail(ErrorCode code, std::string what) {
  m_error = code;
  m_listener.agent_error(what);
}

}  // namespace kdsim
