#include "sim/scenario_parse.h"

namespace kdsim::scenario_parse {

// Levenshtein distance, for "did you mean".
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

llvm::Error parse_string_list(const Fields& f, const YAML::Node& n, std::string_view field,
                              std::vector<std::string>& out) {
  if (!n) return llvm::Error::success();
  if (!n.IsSequence()) return f.error(n, field, "must be a list of strings");
  if (n.size() > kMaxListItems)
    return f.error(n, field, fmt::format("{} items, more than the {} kdsim takes", n.size(), kMaxListItems));
  for (size_t i = 0; i < n.size(); ++i) {
    auto s = f.string(n[i], fmt::format("{}[{}]", field, i));
    if (!s) return s.takeError();
    out.push_back(*s);
  }
  return llvm::Error::success();
}

llvm::Error parse_flag(const Fields& f, const YAML::Node& n, std::string_view field, bool& out) {
  auto v = f.string(n, field);
  if (!v) return v.takeError();
  if (*v == "true" || *v == "yes") out = true;
  else if (*v == "false" || *v == "no") out = false;
  else return f.error(n, field, fmt::format("'{}' is not true or false", *v));
  return llvm::Error::success();
}

}  // namespace kdsim::scenario_parse
