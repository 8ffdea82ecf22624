// Fuzz target: a scenario's text through Scenario::parse, the parser and every check that
// `kdsim run` applies when it loads a file (sim/scenario.cpp). Seeds: scenarios/**/*.yaml.
#include "sim/scenario.h"
#include "tests/fuzz/fuzz_common.h"
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto scenario = kdsim::Scenario::parse(text, "/nonexistent/fuzz/scenario.yaml");
  kdsim::fuzz::consume(scenario);
  return 0;
}
