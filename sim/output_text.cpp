#include "sim/output_text.h"
#include <algorithm>
#include <fmt/format.h>

namespace kdsim {

namespace {

constexpr size_t kHexdumpBytes = 64;

// The length of the UTF-8 sequence starting at s[0] (RFC 3629: no overlongs, no surrogates,
// nothing above U+10FFFF), or 0 when it is not one.
size_t utf8_sequence(std::string_view s) {
  const auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const auto cont = [&](size_t i) { return i < s.size() && (b(i) & 0xc0) == 0x80; };
  const unsigned char c = b(0);
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    if (!cont(1) || !cont(2)) return 0;
    if ((c == 0xe0 && b(1) < 0xa0) || (c == 0xed && b(1) >= 0xa0)) return 0;
    return 3;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if ((c == 0xf0 && b(1) < 0x90) || (c == 0xf4 && b(1) >= 0x90)) return 0;
    return 4;
  }
  return 0;
}

std::string hexdump_line(std::string_view bytes, size_t offset) {
  std::string hex, ascii;
  for (size_t i = 0; i < 16; ++i) {
    if (i == 8) hex += ' ';
    if (i < bytes.size()) {
      const auto c = static_cast<unsigned char>(bytes[i]);
      hex += fmt::format("{:02x} ", c);
      ascii += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '.';
    } else {
      hex += "   ";
    }
  }
  return fmt::format("{:08x}  {} |{}|\n", offset, hex, ascii);
}

}  // namespace

bool is_text(std::string_view bytes) {
  for (size_t i = 0; i < bytes.size();) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c < 0x7f)) {
      ++i;
      continue;
    }
    const size_t n = utf8_sequence(bytes.substr(i));
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string displayable_output(std::string_view output, std::optional<std::string_view> saved_as) {
  if (is_text(output)) return std::string(output);
  const size_t shown = std::min(output.size(), kHexdumpBytes);
  std::string out = fmt::format("({} bytes of binary output{}; the first {}:)\n", output.size(),
                                saved_as ? fmt::format(", in {}", *saved_as) : "", shown);
  for (size_t at = 0; at < shown; at += 16) out += hexdump_line(output.substr(at, std::min<size_t>(16, shown - at)), at);
  return out;
}

std::optional<std::string> step_output_file(std::string_view output, size_t index) {
  if (is_text(output)) return std::nullopt;
  return fmt::format("step-{}.out", index + 1);
}

std::string step_output_text(std::string_view output, size_t index) {
  auto file = step_output_file(output, index);
  return displayable_output(output, file ? std::optional<std::string_view>(*file) : std::nullopt);
}

}  // namespace kdsim
