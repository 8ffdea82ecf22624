// Narrow interfaces through which devices reach the machine around them. A device never knows
// the Machine class; the machine implements these.
#pragma once
#include <cstdint>
#include <string_view>

namespace kdsim {

class ConsoleSink {
public:
  virtual ~ConsoleSink() = default;
  virtual void console_write(std::string_view bytes) = 0;
};

enum class PowerRequest { Off, Reset };

class PowerSink {
public:
  virtual ~PowerSink() = default;
  virtual void power_request(PowerRequest request) = 0;
};

class StageSink {
public:
  virtual ~StageSink() = default;
  // A guest wrote a phase code to the stage port; the machine attaches the CPU state.
  virtual void stage(uint32_t code, uint64_t arg0, uint64_t arg1) = 0;
};

}  // namespace kdsim
