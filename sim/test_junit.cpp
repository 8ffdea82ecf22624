// JUnit XML for `kdsim test --junit`: the shape Jenkins, GitLab and junitparser read (one
// <testsuite> inside <testsuites>, a <testcase> per scenario, <failure>/<error> and <system-out>).
#include "sim/test_report.h"
#include <fmt/format.h>

namespace kdsim {

namespace {

constexpr char32_t kReplacement = 0xfffd;

// Decodes one UTF-8 sequence at s[i]; returns the code point and advances i, or returns
// kReplacement and skips one byte when the bytes are not UTF-8 (overlong, surrogate, > U+10FFFF).
char32_t decode_utf8(std::string_view s, size_t& i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b = byte(i);
  size_t length = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xe ? 3 : (b >> 3) == 0x1e ? 4 : 0;
  if (length == 0 || i + length > s.size()) return ++i, kReplacement;
  char32_t cp = length == 1 ? b : b & (0x7f >> length);
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) return ++i, kReplacement;
    cp = (cp << 6) | (byte(i + k) & 0x3f);
  }
  static constexpr char32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMinimum[length] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return ++i, kReplacement;
  i += length;
  return cp;
}

// XML 1.0 section 2.2, Char.
bool xml_char(char32_t c) {
  return c == 0x9 || c == 0xa || c == 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) ||
         c >= 0x10000;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xc0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xe0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  }
}

std::string attr(std::string_view s) { return xml_escape(s, XmlContext::Attribute); }
std::string text(std::string_view s) { return xml_escape(s, XmlContext::Text); }

std::string testcase_xml(const TestResult& r) {
  std::string out = fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3f}\"",
                                attr(r.arch.empty() ? "kdsim" : "kdsim." + r.arch), attr(r.name), r.seconds);
  if (r.verdict == Verdict::Pass && r.console_tail.empty()) return out + "/>\n";
  out += ">\n";
  switch (r.verdict) {
  case Verdict::Pass: break;
  case Verdict::Fail:
    out += fmt::format("      <failure message=\"{}\" type=\"kdsim.expectations\">{}</failure>\n", attr(r.message),
                       text(r.details));
    break;
  case Verdict::Error:
    out += fmt::format("      <error message=\"{}\" type=\"kdsim.run\">{}</error>\n", attr(r.message), text(r.details));
    break;
  }
  if (!r.console_tail.empty()) out += fmt::format("      <system-out>{}</system-out>\n", text(r.console_tail));
  return out + "    </testcase>\n";
}

}  // namespace

std::string xml_escape(std::string_view s, XmlContext context) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    char32_t c = decode_utf8(s, i);
    if (!xml_char(c)) c = kReplacement;
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += context == XmlContext::Attribute ? "&quot;" : "\""; break;
    // Attribute-value normalization would turn these into spaces (XML 1.0 section 3.3.3).
    case '\n': out += context == XmlContext::Attribute ? "&#10;" : "\n"; break;
    case '\r': out += "&#13;"; break;
    case '\t': out += context == XmlContext::Attribute ? "&#9;" : "\t"; break;
    default: append_utf8(out, c);
    }
  }
  return out;
}

std::string render_junit(const std::vector<TestResult>& results, double wall_seconds) {
  size_t failures = 0, errors = 0;
  for (const TestResult& r : results) {
    failures += r.verdict == Verdict::Fail;
    errors += r.verdict == Verdict::Error;
  }
  std::string counts = fmt::format("tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\" time=\"{:.3f}\"",
                                   results.size(), failures, errors, wall_seconds);
  std::string out = fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites {}>\n", counts);
  out += fmt::format("  <testsuite name=\"kdsim\" {}>\n", counts);
  for (const TestResult& r : results) out += testcase_xml(r);
  return out + "  </testsuite>\n</testsuites>\n";
}

}  // namespace kdsim
