// The GDB remote serial protocol's pure parts (no sockets, no machine): packet framing, hex
// encoding, the target description of each arch, and the register block of a `g` reply.
// GDB manual, "Remote Protocol" (packets, qXfer:features:read, Z0/Z1, T stop replies) and
// "Target Descriptions" (org.gnu.gdb.aarch64.core, org.gnu.gdb.i386.core/sse).
#pragma once
#include "machine/cpu.h"
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kdsim::gdb {

// "$payload#cs" with the modulo-256 checksum; '$', '#', '}' and '*' in the payload are escaped.
std::string frame(std::string_view payload);

// Extracts one packet's payload from `buffer` (which may hold acks, partial or several packets)
// and removes what it consumed. nullopt when no complete packet is there yet; `bad_checksum` is
// set when the one found did not match (the caller answers '-').
std::optional<std::string> take_packet(std::string& buffer, bool& bad_checksum);

std::string to_hex(std::span<const uint8_t> bytes);
std::optional<std::vector<uint8_t>> from_hex(std::string_view hex);
std::optional<uint64_t> parse_hex_number(std::string_view hex);

// One register as the target description lists it (in that order: its regnum).
struct RegisterSlot {
  std::string name;
  unsigned bits;
  std::string type;     // gdb type name ("int", "code_ptr", "data_ptr", "i387_ext", ...)
  std::string feature;  // e.g. org.gnu.gdb.aarch64.core
};

// The registers kdsim describes for an arch: the CPU's own (Cpu::registers()) and, on x86_64,
// the x87/SSE ones gdb requires, which kdsim reports as zero (its guests use none).
std::vector<RegisterSlot> register_slots(Arch arch);
std::string target_xml(Arch arch);

// The `g` reply: every slot's value, little-endian, in slot order; values the CPU does not
// report are zero.
std::string registers_hex(Arch arch, const std::vector<Cpu::Register>& values);
// One register (the `p n` reply), or nullopt for a number past the description.
std::optional<std::string> register_hex(Arch arch, const std::vector<Cpu::Register>& values, unsigned regnum);

// qXfer chunk: "m" + data when more follows, "l" + data for the last piece.
std::string xfer_chunk(std::string_view document, uint64_t offset, uint64_t length);

}  // namespace kdsim::gdb
