#include "sim/outcome.h"
#include <array>
#include <utility>

namespace kdsim {

namespace {

constexpr std::array<std::pair<Outcome, std::string_view>, 10> kOutcomeNames{{
    {Outcome::PowerOff, "power-off"},
    {Outcome::Reset, "reset"},
    {Outcome::GuestFault, "guest-fault"},
    {Outcome::InstructionLimit, "instruction-limit"},
    {Outcome::Hang, "hang"},
    {Outcome::Spin, "spin"},
    {Outcome::PurgatorySpin, "purgatory-spin"},
    {Outcome::PurgatoryFault, "purgatory-fault"},
    {Outcome::DebuggerKill, "debugger-kill"},
    {Outcome::HostTurn, "host-turn"},
}};

constexpr std::array<Outcome, 8> kExpectable{Outcome::PowerOff, Outcome::Reset,         Outcome::GuestFault,
                                             Outcome::InstructionLimit, Outcome::Hang, Outcome::Spin,
                                             Outcome::PurgatorySpin, Outcome::PurgatoryFault};

constexpr std::array<std::pair<PurgatoryStatus, std::string_view>, 4> kPurgatoryNames{{
    {PurgatoryStatus::DigestOk, "digest-ok"},
    {PurgatoryStatus::DigestMismatch, "digest-mismatch"},
    {PurgatoryStatus::DigestSkipped, "digest-skipped"},
    {PurgatoryStatus::NotReached, "not-reached"},
}};

constexpr std::array<PurgatoryStatus, 4> kPurgatoryStatuses{PurgatoryStatus::DigestOk, PurgatoryStatus::DigestMismatch,
                                                            PurgatoryStatus::DigestSkipped, PurgatoryStatus::NotReached};

template <typename E, size_t N> std::string_view name_in(const std::array<std::pair<E, std::string_view>, N>& table, E e) {
  for (const auto& [value, name] : table)
    if (value == e) return name;
  return "?";
}

template <typename E, size_t N>
std::optional<E> value_in(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view name) {
  for (const auto& [value, n] : table)
    if (n == name) return value;
  return std::nullopt;
}

}  // namespace

std::string_view outcome_name(Outcome o) { return name_in(kOutcomeNames, o); }
std::string_view purgatory_status_name(PurgatoryStatus s) { return name_in(kPurgatoryNames, s); }
std::span<const Outcome> expectable_outcomes() { return kExpectable; }
std::span<const PurgatoryStatus> purgatory_statuses() { return kPurgatoryStatuses; }
std::optional<Outcome> parse_outcome(std::string_view name) { return value_in(kOutcomeNames, name); }
std::optional<PurgatoryStatus> parse_purgatory_status(std::string_view name) { return value_in(kPurgatoryNames, name); }

}  // namespace kdsim
