#include "sim/gdb_protocol.h"
#include "sim/host_arch.h"
#include <fmt/format.h>

namespace kdsim::gdb {

std::string frame(std::string_view payload) {
  std::string body;
  for (char c : payload) {
    if (c == '$' || c == '#' || c == '}' || c == '*') {
      body += '}';
      body += static_cast<char>(c ^ 0x20);
    } else {
      body += c;
    }
  }
  uint8_t sum = 0;
  for (char c : body) sum = static_cast<uint8_t>(sum + static_cast<uint8_t>(c));
  return fmt::format("${}#{:02x}", body, sum);
}

std::optional<std::string> take_packet(std::string& buffer, bool& bad_checksum) {
  bad_checksum = false;
  const size_t start = buffer.find('$');
  if (start == std::string::npos) {
    buffer.clear();  // only acks ('+', '-') or noise
    return std::nullopt;
  }
  const size_t hash = buffer.find('#', start);
  if (hash == std::string::npos || buffer.size() < hash + 3) return std::nullopt;
  std::string raw = buffer.substr(start + 1, hash - start - 1);
  const auto sum = parse_hex_number(std::string_view(buffer).substr(hash + 1, 2));
  buffer.erase(0, hash + 3);
  uint8_t have = 0;
  for (char c : raw) have = static_cast<uint8_t>(have + static_cast<uint8_t>(c));
  if (!sum || *sum != have) {
    bad_checksum = true;
    return std::nullopt;
  }
  std::string payload;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '}' && i + 1 < raw.size()) payload += static_cast<char>(raw[++i] ^ 0x20);
    else payload += raw[i];
  }
  return payload;
}

std::string to_hex(std::span<const uint8_t> bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) out += fmt::format("{:02x}", b);
  return out;
}

std::optional<uint64_t> parse_hex_number(std::string_view hex) {
  if (hex.empty() || hex.size() > 16) return std::nullopt;
  uint64_t v = 0;
  for (char c : hex) {
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    if (d < 0) return std::nullopt;
    v = v << 4 | static_cast<uint64_t>(d);
  }
  return v;
}

std::optional<std::vector<uint8_t>> from_hex(std::string_view hex) {
  if (hex.size() % 2) return std::nullopt;
  std::vector<uint8_t> out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    auto b = parse_hex_number(hex.substr(i, 2));
    if (!b) return std::nullopt;
    out.push_back(static_cast<uint8_t>(*b));
  }
  return out;
}

std::vector<RegisterSlot> register_slots(Arch arch) { return host_arch(arch).gdb_registers(); }

std::string target_xml(Arch arch) {
  std::string xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target version=\"1.0\">\n";
  xml += fmt::format("<architecture>{}</architecture>\n", host_arch(arch).gdb_architecture());
  std::string feature;
  for (const RegisterSlot& s : register_slots(arch)) {
    if (s.feature != feature) {
      if (!feature.empty()) xml += "</feature>\n";
      feature = s.feature;
      xml += fmt::format("<feature name=\"{}\">\n", feature);
      if (feature == "org.gnu.gdb.i386.sse")  // the xmm registers' type, as gdb's own 64bit-sse.xml
        xml += "<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>\n<vector id=\"v2d\" type=\"ieee_double\" "
               "count=\"2\"/>\n<vector id=\"v16i8\" type=\"int8\" count=\"16\"/>\n<vector id=\"v8i16\" "
               "type=\"int16\" count=\"8\"/>\n<vector id=\"v4i32\" type=\"int32\" count=\"4\"/>\n<vector "
               "id=\"v2i64\" type=\"int64\" count=\"2\"/>\n<union id=\"vec128\"><field name=\"v4_float\" "
               "type=\"v4f\"/><field name=\"v2_double\" type=\"v2d\"/><field name=\"v16_int8\" "
               "type=\"v16i8\"/><field name=\"v8_int16\" type=\"v8i16\"/><field name=\"v4_int32\" "
               "type=\"v4i32\"/><field name=\"v2_int64\" type=\"v2i64\"/><field name=\"uint128\" "
               "type=\"uint128\"/></union>\n";
    }
    xml += fmt::format("<reg name=\"{}\" bitsize=\"{}\" type=\"{}\"/>\n", s.name, s.bits, s.type);
  }
  xml += "</feature>\n</target>\n";
  return xml;
}

namespace {

std::string slot_hex(const RegisterSlot& slot, const std::vector<Cpu::Register>& values) {
  uint64_t v = 0;
  for (const Cpu::Register& r : values)
    if (slot.name == r.name) v = r.value;
  std::vector<uint8_t> bytes(slot.bits / 8, 0);
  for (size_t i = 0; i < bytes.size() && i < 8; ++i) bytes[i] = static_cast<uint8_t>(v >> (8 * i));
  return to_hex(bytes);
}

}  // namespace

std::string registers_hex(Arch arch, const std::vector<Cpu::Register>& values) {
  std::string out;
  for (const RegisterSlot& s : register_slots(arch)) out += slot_hex(s, values);
  return out;
}

std::optional<std::string> register_hex(Arch arch, const std::vector<Cpu::Register>& values, unsigned regnum) {
  auto slots = register_slots(arch);
  if (regnum >= slots.size()) return std::nullopt;
  return slot_hex(slots[regnum], values);
}

std::string xfer_chunk(std::string_view document, uint64_t offset, uint64_t length) {
  if (offset >= document.size()) return "l";
  std::string_view piece = document.substr(offset, length);
  return (offset + piece.size() < document.size() ? "m" : "l") + std::string(piece);
}

}  // namespace kdsim::gdb
