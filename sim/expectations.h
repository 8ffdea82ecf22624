// Checks a run against the scenario's expectations.
#pragma once
#include "sim/run_result.h"
#include "sim/scenario.h"
#include <string>
#include <vector>

namespace kdsim {

struct ExpectationCheck {
  std::string what;    // "outcome is power-off"
  bool met = false;
  std::string actual;  // what was seen instead, when not met
};

std::vector<ExpectationCheck> check_expectations(const Expectations& expect, const RunResult& result);

}  // namespace kdsim
