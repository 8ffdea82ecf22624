#include "sim/test_plan.h"
#include "machine/error.h"
#include "sim/scenario.h"
#include <algorithm>
#include <charconv>
#include <fnmatch.h>
#include <map>
#include <set>

namespace kdsim {

namespace {

std::optional<unsigned> parse_unsigned(std::string_view text) {
  unsigned v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

llvm::Expected<std::vector<std::filesystem::path>> yaml_files_under(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  std::filesystem::recursive_directory_iterator it(dir, ec), end;
  for (; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".yaml" && it->is_regular_file()) files.push_back(it->path());
  if (ec) return make_error("{}: cannot list the directory: {}", dir.string(), ec.message());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

llvm::Expected<Shard> parse_shard(std::string_view text) {
  size_t slash = text.find('/');
  if (slash == std::string_view::npos)
    return make_error("--shard '{}': expected K/N (e.g. 1/4), K and N positive integers", text);
  auto k = parse_unsigned(text.substr(0, slash));
  auto n = parse_unsigned(text.substr(slash + 1));
  if (!k || !n) return make_error("--shard '{}': expected K/N (e.g. 1/4), K and N positive integers", text);
  if (*n == 0) return make_error("--shard '{}': N must be at least 1", text);
  if (*k < 1 || *k > *n) return make_error("--shard '{}': K must be between 1 and N={} (K is 1-based)", text, *n);
  return Shard{.index = *k, .count = *n};
}

llvm::Expected<std::vector<std::filesystem::path>> find_scenario_files(const std::vector<std::string>& paths) {
  std::vector<std::filesystem::path> files;
  std::set<std::filesystem::path> seen;
  for (const std::string& p : paths) {
    std::error_code ec;
    auto status = std::filesystem::status(p, ec);
    std::vector<std::filesystem::path> found;
    if (std::filesystem::is_directory(status)) {
      auto under = yaml_files_under(p);
      if (!under) return under.takeError();
      found = std::move(*under);
    } else if (std::filesystem::exists(status)) {
      found.push_back(p);
    } else {
      return make_error("{}: no such scenario file or directory", p);
    }
    for (auto& f : found) {
      std::filesystem::path key = std::filesystem::weakly_canonical(f, ec);
      if (seen.insert(ec ? f : key).second) files.push_back(std::move(f));
    }
  }
  if (files.empty()) return make_error("no scenario (*.yaml) found under {}", fmt::join(paths, ", "));
  return files;
}

llvm::Expected<std::vector<TestCase>> describe_scenarios(const std::vector<std::filesystem::path>& files) {
  std::vector<TestCase> cases;
  std::map<std::string, std::filesystem::path> by_name;
  for (const auto& file : files) {
    TestCase c{.file = file, .name = file.stem().string(), .arch = {}, .has_expectations = false, .load_error = {}};
    auto s = Scenario::load(file);
    if (s) {
      c.name = s->name;
      c.arch = arch_name(s->arch);
      c.has_expectations = !s->expect.empty();
    } else {
      c.load_error = error_text(s.takeError());
    }
    auto [it, fresh] = by_name.emplace(c.name, file);
    if (!fresh)
      return make_error("two scenarios are named '{}' ({} and {}): their outputs would share OUTROOT/{}", c.name,
                        it->second.string(), file.string(), c.name);
    cases.push_back(std::move(c));
  }
  return cases;
}

std::vector<TestCase> filter_cases(std::vector<TestCase> cases, const std::string& glob) {
  if (glob.empty()) return cases;
  std::erase_if(cases, [&](const TestCase& c) {
    return fnmatch(glob.c_str(), c.name.c_str(), 0) != 0 && fnmatch(glob.c_str(), c.file.c_str(), 0) != 0;
  });
  return cases;
}

std::vector<TestCase> shard_cases(std::vector<TestCase> cases, Shard shard) {
  std::vector<TestCase> mine;
  for (size_t i = 0; i < cases.size(); ++i)
    if (i % shard.count + 1 == shard.index) mine.push_back(std::move(cases[i]));
  return mine;
}

}  // namespace kdsim
