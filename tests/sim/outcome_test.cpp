// The verdict enums and their names at the edges (YAML, reports).
#include "sim/outcome.h"
#include <algorithm>
#include <doctest/doctest.h>

using namespace kdsim;

TEST_CASE("outcome: every name parses back to its value, and only those") {
  for (Outcome o : {Outcome::PowerOff, Outcome::Reset, Outcome::GuestFault, Outcome::InstructionLimit, Outcome::Hang,
                    Outcome::Spin, Outcome::PurgatorySpin, Outcome::PurgatoryFault, Outcome::DebuggerKill,
                    Outcome::HostTurn}) {
    CAPTURE(outcome_name(o));
    CHECK(outcome_name(o) != "?");
    CHECK(parse_outcome(outcome_name(o)) == o);
  }
  for (PurgatoryStatus p : purgatory_statuses()) CHECK(parse_purgatory_status(purgatory_status_name(p)) == p);
  CHECK_FALSE(parse_outcome("poweroff"));
  CHECK_FALSE(parse_purgatory_status("digest_ok"));
  CHECK(fmt::format("{} / {}", Outcome::PurgatorySpin, PurgatoryStatus::DigestMismatch) == "purgatory-spin / digest-mismatch");
}

TEST_CASE("outcome: a scenario may expect every outcome but the debugger's kill and the host's turn") {
  const auto e = expectable_outcomes();
  CHECK(e.size() == 8);
  CHECK(std::find(e.begin(), e.end(), Outcome::DebuggerKill) == e.end());
  CHECK(std::find(e.begin(), e.end(), Outcome::HostTurn) == e.end());
}
