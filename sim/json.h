// Minimal JSON string escaping for the reports (RFC 8259 section 7).
#pragma once
#include <fmt/format.h>
#include <string>
#include <string_view>

namespace kdsim {

inline std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\n': out += "\\n"; break;
    case '\r': out += "\\r"; break;
    case '\t': out += "\\t"; break;
    default:
      if (c < 0x20) out += fmt::format("\\u{:04x}", c);
      else out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

inline std::string json_hex(uint64_t v) { return fmt::format("\"0x{:x}\"", v); }

}  // namespace kdsim
