// The scenario driver reads the host clock only for --timing: nothing else in a run may depend
// on host time (determinism), so without the option the clock is never even called.
#include "sim/driver.h"
#include <doctest/doctest.h>

namespace kdsim {

namespace {

struct CountingClock {
  int calls = 0;
  RunOptions options() {
    RunOptions o;
    o.host_clock = [this] {
      ++calls;
      return std::chrono::steady_clock::time_point{};
    };
    return o;
  }
};

}  // namespace

TEST_CASE("the driver reads the host clock only when --timing is given") {
  auto kernel = KernelImage::create(KDSIM_KERNEL_X86_64, Arch::X86_64);
  REQUIRE(static_cast<bool>(kernel));
  Scenario scenario;
  RunResult result;

  CountingClock without;
  RunOptions plain = without.options();
  ScenarioDriver quiet(scenario, plain, result, *kernel);
  CHECK(without.calls == 0);

  CountingClock with;
  RunOptions timed = with.options();
  timed.timing_path = "timing.jsonl";
  ScenarioDriver stamped(scenario, timed, result, *kernel);
  CHECK(with.calls == 1);
}

}  // namespace kdsim
