#include "machine/error.h"
#include "sim/scenario.h"
#include <cctype>
#include <charconv>

namespace kdsim {

llvm::Expected<uint64_t> parse_size(std::string_view text) {
  std::string_view s = text;
  int base = 10;
  if (s.starts_with("0x") || s.starts_with("0X")) {
    base = 16;
    s.remove_prefix(2);
  }
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value, base);
  if (ec != std::errc() || end == s.data()) return make_error("'{}' is not a size (try 1GiB, 512MiB, 0x40000000)", text);
  std::string_view unit(end, s.data() + s.size() - end);
  uint64_t shift = 0;
  if (unit.empty() || unit == "B") shift = 0;
  else if (unit == "K" || unit == "KiB") shift = 10;
  else if (unit == "M" || unit == "MiB") shift = 20;
  else if (unit == "G" || unit == "GiB") shift = 30;
  else if (unit == "T" || unit == "TiB") shift = 40;
  else return make_error("'{}' has an unknown unit '{}' (use K/KiB, M/MiB, G/GiB, T/TiB)", text, unit);
  if (shift && value > (~0ull >> shift)) return make_error("'{}' does not fit in 64 bits", text);
  return value << shift;
}

}  // namespace kdsim
