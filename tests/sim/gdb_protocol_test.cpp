// The GDB remote protocol's pure parts: framing, escapes, hex, target descriptions.
#include "sim/gdb_protocol.h"
#include <doctest/doctest.h>

using namespace kdsim;

TEST_CASE("gdb protocol: framing with checksum and escapes, and taking packets out of a stream") {
  CHECK(gdb::frame("OK") == "$OK#9a");
  CHECK(gdb::frame("a#b") == "$a}\x03" "b#" + fmt::format("{:02x}", ('a' + '}' + 0x03 + 'b') & 0xff));
  std::string stream = "+$qSupported:multiprocess+#c6$g#67";
  bool bad = false;
  auto first = gdb::take_packet(stream, bad);
  REQUIRE(first);
  CHECK(*first == "qSupported:multiprocess+");
  CHECK_FALSE(bad);
  CHECK(gdb::take_packet(stream, bad) == "g");
  CHECK(stream.empty());
  std::string partial = "$m4000";
  CHECK_FALSE(gdb::take_packet(partial, bad));
  CHECK(partial == "$m4000");  // kept until the rest arrives
  std::string corrupt = "$g#00";
  CHECK_FALSE(gdb::take_packet(corrupt, bad));
  CHECK(bad);
  std::string escaped = gdb::frame("x}y");
  CHECK(gdb::take_packet(escaped, bad) == "x}y");
}

TEST_CASE("gdb protocol: hex both ways") {
  const uint8_t bytes[] = {0x00, 0xab, 0xff};
  CHECK(gdb::to_hex(bytes) == "00abff");
  CHECK(gdb::from_hex("00abff") == std::vector<uint8_t>{0x00, 0xab, 0xff});
  CHECK_FALSE(gdb::from_hex("abc"));
  CHECK_FALSE(gdb::from_hex("zz"));
  CHECK(gdb::parse_hex_number("ffff800008000000") == 0xffff800008000000ull);
  CHECK_FALSE(gdb::parse_hex_number(""));
  CHECK_FALSE(gdb::parse_hex_number("12345678901234567"));
}

TEST_CASE("gdb protocol: target descriptions and register blocks of both arches") {
  const std::string arm = gdb::target_xml(Arch::Arm64);
  CHECK(arm.find("<architecture>aarch64</architecture>") != std::string::npos);
  CHECK(arm.find("<feature name=\"org.gnu.gdb.aarch64.core\">") != std::string::npos);
  CHECK(arm.find("<reg name=\"cpsr\" bitsize=\"32\" type=\"int\"/>") != std::string::npos);
  std::vector<Cpu::Register> regs{{"x0", 64, 0x1122334455667788ull}, {"pc", 64, 0x40200000}, {"cpsr", 32, 0x3c5}};
  const std::string g = gdb::registers_hex(Arch::Arm64, regs);
  CHECK(g.size() == 2 * (33 * 8 + 4));
  CHECK(g.substr(0, 16) == "8877665544332211");
  CHECK(g.substr(2 * 32 * 8, 16) == "0000204000000000");  // pc: regnum 32
  CHECK(g.substr(2 * 33 * 8) == "c5030000");
  CHECK(gdb::register_hex(Arch::Arm64, regs, 33) == "c5030000");
  CHECK_FALSE(gdb::register_hex(Arch::Arm64, regs, 34));

  const std::string x86 = gdb::target_xml(Arch::X86_64);
  CHECK(x86.find("<architecture>i386:x86-64</architecture>") != std::string::npos);
  CHECK(x86.find("<feature name=\"org.gnu.gdb.i386.sse\">") != std::string::npos);
  // rax..gs (16 x 8 + 8 + 7 x 4), st0-7 (8 x 10), 8 x87 control words, xmm0-15, mxcsr
  CHECK(gdb::registers_hex(Arch::X86_64, {}).size() == 2 * (16 * 8 + 8 + 7 * 4 + 8 * 10 + 8 * 4 + 16 * 16 + 4));
}

TEST_CASE("gdb protocol: qXfer chunks say whether more follows") {
  CHECK(gdb::xfer_chunk("abcdef", 0, 4) == "mabcd");
  CHECK(gdb::xfer_chunk("abcdef", 4, 4) == "lef");
  CHECK(gdb::xfer_chunk("abcdef", 6, 4) == "l");
}
