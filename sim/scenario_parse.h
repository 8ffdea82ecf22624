// Internal to the scenario parser: the YAML field reader every part uses, and the parts of the
// document each file reads (scenario.cpp: the document, machine, kernel and kexec;
// scenario_steps.cpp: steps and capture_steps; scenario_expect.cpp: expect).
#pragma once
#include "machine/error.h"
#include "sim/scenario.h"
#include <fmt/format.h>
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>
#include <yaml-cpp/yaml.h>

namespace kdsim::scenario_parse {

// Bounds on what one file may ask for: a hostile or broken file (an alias bomb, a generated
// list) is an input error instead of minutes of work and gigabytes of transcript.
constexpr size_t kMaxSteps = 1000;      // per list; a real scenario has a dozen
constexpr size_t kMaxListItems = 1000;  // expect.console, expect.stages, expect.kexec_load
constexpr size_t kMaxText = 4096;       // a name, a description, a command line, an expected line

// Levenshtein distance, for "did you mean".
size_t edit_distance(std::string_view a, std::string_view b);

// The known word closest to a misspelt one, when it is close enough to be the likely intent
// (a third of its letters wrong at most), as "; did you mean 'x'?"; empty otherwise.
template <typename Words> std::string did_you_mean(std::string_view word, const Words& known) {
  std::string_view best;
  size_t best_distance = std::max<size_t>(1, word.size() / 3) + 1;
  for (const auto& k : known) {
    const size_t d = edit_distance(word, k);
    if (d < best_distance) best = k, best_distance = d;
  }
  return best.empty() ? "" : fmt::format("; did you mean '{}'?", best);
}

// Field access that reports "file:line:col: field: problem".
class Fields {
public:
  explicit Fields(const std::filesystem::path& file) : m_file(file.string()) {}

  llvm::Error error(const YAML::Node& at, std::string_view field, std::string_view problem) const {
    if (!at.IsDefined()) return make_error("{}: {}: {}", m_file, field, problem);
    const YAML::Mark m = at.Mark();
    if (m.line < 0) return make_error("{}: {}: {}", m_file, field, problem);
    return make_error("{}:{}:{}: {}: {}", m_file, m.line + 1, m.column + 1, field, problem);
  }

  llvm::Error only_known_keys(const YAML::Node& map, std::string_view where, std::set<std::string> known) const {
    if (!map.IsMap()) return error(map, where, "must be a mapping");
    std::map<std::string, int> seen;  // key -> line of its first use
    for (const auto& kv : map) {
      if (!kv.first.IsScalar()) return error(kv.first, where.empty() ? "(top level)" : where, "a key must be a plain word");
      auto key = kv.first.as<std::string>();
      const std::string path = fmt::format("{}{}{}", where, where.empty() ? "" : ".", key);
      // yaml-cpp keeps both entries of a repeated key; which one counts would be a guess.
      if (auto [first, fresh] = seen.emplace(key, kv.first.Mark().line + 1); !fresh)
        return error(kv.first, path, fmt::format("appears twice (first on line {})", first->second));
      if (!known.count(key)) {
        std::string list;
        for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
        return error(kv.first, path, fmt::format("unknown field{} (known: {})", did_you_mean(key, known), list));
      }
    }
    return llvm::Error::success();
  }

  llvm::Expected<std::string> string(const YAML::Node& n, std::string_view field) const {
    if (!n.IsDefined()) return error(n, field, "is required");
    if (!n.IsScalar()) return error(n, field, "must be a string");
    std::string s = n.as<std::string>();
    if (s.size() > kMaxText)
      return error(n, field, fmt::format("is {} characters long, more than the {} kdsim takes", s.size(), kMaxText));
    return s;
  }

  llvm::Expected<uint64_t> size(const YAML::Node& n, std::string_view field) const {
    auto s = string(n, field);
    if (!s) return s.takeError();
    auto v = parse_size(*s);
    if (!v) return error(n, field, error_text(v.takeError()));
    return *v;
  }

private:
  std::string m_file;
};

// A list of strings (expect.stages and the like), at most kMaxListItems.
llvm::Error parse_string_list(const Fields& f, const YAML::Node& n, std::string_view field,
                              std::vector<std::string>& out);
// true/yes or false/no.
llvm::Error parse_flag(const Fields& f, const YAML::Node& n, std::string_view field, bool& out);

// `steps:` or `capture_steps:` (`name`), each step checked, into `out`; steps that can never run
// (after a crash trigger) are refused. scenario_steps.cpp.
llvm::Error parse_step_list(const Fields& f, const YAML::Node& list, std::string_view name, Scenario& s,
                            std::vector<Step>& out);

// `expect:`. scenario_expect.cpp.
llvm::Error parse_expect(const Fields& f, const YAML::Node& e, Scenario& s);

}  // namespace kdsim::scenario_parse
