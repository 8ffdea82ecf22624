// The stage port (docs/devices.md): a guest writes a phase code, the host records a stage.
#pragma once
#include "machine/device.h"
#include "machine/devices/sinks.h"

namespace kdsim {

class StagePort final : public Device {
public:
  explicit StagePort(StageSink& sink) : m_sink(sink) {}
  std::string_view name() const override { return "kdsim-stage-port"; }
  uint64_t size() const override { return 0x200; }
  uint64_t read(uint64_t offset, unsigned width) override;
  void write(uint64_t offset, unsigned width, uint64_t value) override;

private:
  StageSink& m_sink;
  uint64_t m_arg0 = 0, m_arg1 = 0;
};

}  // namespace kdsim
