// A MachineObserver that ignores everything; tests override what they look at.
#pragma once
#include "machine/machine.h"

namespace kdsim::test {

struct NullObserver : MachineObserver {
  void console_output(std::string_view) override {}
  void stage_recorded(const StageRecord&) override {}
  void agent_hello() override {}
  void agent_output(std::string_view) override {}
  void agent_done(int32_t) override {}
  void agent_error(std::string_view) override {}
  void dump_complete(uint64_t) override {}
  void dump_error(std::string_view) override {}
};

}  // namespace kdsim::test
