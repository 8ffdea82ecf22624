// `kdsim test`: shard arguments and the split, the glob filter, XML escaping of guest output.
#include "sim/test_plan.h"
#include "sim/test_report.h"
#include <doctest/doctest.h>

using namespace kdsim;

namespace {
std::string shard_error(std::string_view text) {
  auto s = parse_shard(text);
  REQUIRE_MESSAGE(!s, "expected an error for ", text);
  return llvm::toString(s.takeError());
}

std::vector<TestCase> cases(std::initializer_list<const char*> names) {
  std::vector<TestCase> out;
  for (const char* n : names)
    out.push_back(TestCase{.file = std::string("s/") + n + ".yaml", .name = n, .arch = "arm64",
                           .has_expectations = true, .load_error = {}});
  return out;
}

std::vector<std::string> names(const std::vector<TestCase>& cs) {
  std::vector<std::string> out;
  for (const TestCase& c : cs) out.push_back(c.name);
  return out;
}
}  // namespace

TEST_CASE("kdsim test: --shard K/N") {
  auto s = parse_shard("2/3");
  REQUIRE(bool(s));
  CHECK(s->index == 2);
  CHECK(s->count == 3);
  CHECK(shard_error("0/2") == "--shard '0/2': K must be between 1 and N=2 (K is 1-based)");
  CHECK(shard_error("3/2") == "--shard '3/2': K must be between 1 and N=2 (K is 1-based)");
  CHECK(shard_error("1/0") == "--shard '1/0': N must be at least 1");
  CHECK(shard_error("1") == "--shard '1': expected K/N (e.g. 1/4), K and N positive integers");
  CHECK(shard_error("-1/2") == "--shard '-1/2': expected K/N (e.g. 1/4), K and N positive integers");
  CHECK(shard_error("1/2x") == "--shard '1/2x': expected K/N (e.g. 1/4), K and N positive integers");
}

TEST_CASE("kdsim test: shards split the list round-robin, each scenario once") {
  auto all = cases({"a", "b", "c", "d", "e"});
  CHECK(names(shard_cases(all, {1, 2})) == std::vector<std::string>{"a", "c", "e"});
  CHECK(names(shard_cases(all, {2, 2})) == std::vector<std::string>{"b", "d"});
  CHECK(names(shard_cases(all, {1, 1})) == names(all));
  CHECK(shard_cases(all, {7, 7}).empty());
}

TEST_CASE("kdsim test: --filter matches the name or the path") {
  auto all = cases({"arm64-boot", "x86_64-boot", "arm64-kdump"});
  CHECK(names(filter_cases(all, "arm64-*")) == std::vector<std::string>{"arm64-boot", "arm64-kdump"});
  CHECK(names(filter_cases(all, "s/*-boot.yaml")) == std::vector<std::string>{"arm64-boot", "x86_64-boot"});
  CHECK(names(filter_cases(all, "")) == names(all));
  CHECK(filter_cases(all, "riscv*").empty());
}

TEST_CASE("kdsim test: XML escaping keeps any guest output well-formed") {
  CHECK(xml_escape("a<b>&\"c\"", XmlContext::Text) == "a&lt;b&gt;&amp;\"c\"");
  CHECK(xml_escape("a<b>&\"c\"", XmlContext::Attribute) == "a&lt;b&gt;&amp;&quot;c&quot;");
  CHECK(xml_escape("l1\nl2\t", XmlContext::Attribute) == "l1&#10;l2&#9;");
  CHECK(xml_escape("l1\r\nl2", XmlContext::Text) == "l1&#13;\nl2");
  // Controls XML forbids (an ANSI escape, NUL) and bytes that are not UTF-8 become U+FFFD.
  CHECK(xml_escape("\x1b[0m", XmlContext::Text) == "\xef\xbf\xbd[0m");
  CHECK(xml_escape(std::string_view("a\0b", 3), XmlContext::Text) == "a\xef\xbf\xbd" "b");
  CHECK(xml_escape("\xff\xc3", XmlContext::Text) == "\xef\xbf\xbd\xef\xbf\xbd");
  CHECK(xml_escape("\xc0\xaf", XmlContext::Text) == "\xef\xbf\xbd\xef\xbf\xbd");  // overlong '/'
  CHECK(xml_escape("\xed\xa0\x80", XmlContext::Text) == "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");  // surrogate
  CHECK(xml_escape("caf\xc3\xa9 \xf0\x9f\x92\xa5", XmlContext::Text) == "caf\xc3\xa9 \xf0\x9f\x92\xa5");
}
