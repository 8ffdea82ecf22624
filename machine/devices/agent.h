// The kdsim agent (docs/devices.md): the channel between the host and the guest's init.
// The host queues command lines; the guest fetches them and returns output and an exit status,
// all by DMA into and out of guest physical memory, so nothing moves byte by byte through
// registers.
#pragma once
#include "machine/device.h"
#include "machine/ram.h"
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace kdsim {

class AgentListener {
public:
  virtual ~AgentListener() = default;
  virtual void agent_hello() = 0;
  virtual void agent_output(std::string_view bytes) = 0;
  virtual void agent_done(int32_t status) = 0;
  // A doorbell the device refused (bad DMA range, nothing to fetch, unknown doorbell).
  virtual void agent_error(std::string_view what) = 0;
};

class Agent final : public Device {
public:
  enum class Doorbell : uint32_t { Fetch = 1, Output = 2, Done = 3, Hello = 4, FetchBlob = 5 };
  enum class ErrorCode : uint32_t { None = 0, DmaNotRam = 1, NoCommand = 2, UnknownDoorbell = 3, BlobRange = 4 };

  Agent(Ram& ram, AgentListener& listener) : m_ram(ram), m_listener(listener) {}
  std::string_view name() const override { return "kdsim-agent"; }
  uint64_t size() const override { return 0x200; }
  uint64_t read(uint64_t offset, unsigned width) override;
  void write(uint64_t offset, unsigned width, uint64_t value) override;

  // Host side.
  // A command line, and optionally binary data the guest reads with FETCH_BLOB (docs/devices.md).
  void queue_command(std::string command, std::vector<uint8_t> blob = {}) {
    m_queue.push_back({std::move(command), std::move(blob)});
  }
  void set_no_more_commands() { m_no_more = true; }
  // A new kernel took over (kexec, kdump): nothing queued for the old one survives.
  void reset() {
    m_queue.clear();
    m_current_blob.clear();
    m_no_more = false;
    m_error = ErrorCode::None;
  }

private:
  void ring(uint32_t doorbell);
  void fetch();
  void fetch_blob();
  void output();
  void fail(ErrorCode code, std::string what);

  Ram& m_ram;
  AgentListener& m_listener;
  struct Command {
    std::string line;
    std::vector<uint8_t> blob;
  };
  std::deque<Command> m_queue;
  std::vector<uint8_t> m_current_blob;  // the blob of the command fetched last
  bool m_no_more = false;
  uint64_t m_addr = 0;
  uint32_t m_len = 0;
  uint32_t m_arg = 0;
  uint32_t m_last_cmd_len = 0;
  ErrorCode m_error = ErrorCode::None;
};

}  // namespace kdsim
