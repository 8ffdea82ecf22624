// How a run ended and what the purgatory did: the two verdicts a scenario expects, reports and
// kdsim test tabulates. Enums inside kdsim; their names (Linux- and shell-like, "power-off",
// "digest-ok") only at the edges: YAML, transcript, summary.json, HTML, JUnit.
#pragma once
#include <fmt/format.h>
#include <optional>
#include <span>
#include <string_view>

namespace kdsim {

enum class Outcome {
  PowerOff,          // the guest powered the machine off (PSCI SYSTEM_OFF, ACPI S5)
  Reset,             // it reset the machine, or a triple fault did
  GuestFault,        // a fault the CPU could not deliver (no vectors, an exception storm)
  InstructionLimit,  // limits.instructions ran out first
  Hang,              // every CPU idle or off with nothing left to wake it
  Spin,              // a CPU looping on itself with interrupts off
  PurgatorySpin,     // the same inside the purgatory (its digest check failed, say)
  PurgatoryFault,    // a fault inside the purgatory
  DebuggerKill,      // gdb's `kill` ended the run
  HostTurn,          // the host's turn to feed commands: never a run's final outcome
};

enum class PurgatoryStatus { DigestOk, DigestMismatch, DigestSkipped, NotReached };

std::string_view outcome_name(Outcome o);
std::string_view purgatory_status_name(PurgatoryStatus s);

// The outcomes a scenario may expect (not DebuggerKill or HostTurn), in documentation order.
std::span<const Outcome> expectable_outcomes();
std::span<const PurgatoryStatus> purgatory_statuses();

std::optional<Outcome> parse_outcome(std::string_view name);
std::optional<PurgatoryStatus> parse_purgatory_status(std::string_view name);

}  // namespace kdsim

template <> struct fmt::formatter<kdsim::Outcome> : fmt::formatter<std::string_view> {
  auto format(kdsim::Outcome o, format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(kdsim::outcome_name(o), ctx);
  }
};
template <> struct fmt::formatter<kdsim::PurgatoryStatus> : fmt::formatter<std::string_view> {
  auto format(kdsim::PurgatoryStatus s, format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(kdsim::purgatory_status_name(s), ctx);
  }
};
