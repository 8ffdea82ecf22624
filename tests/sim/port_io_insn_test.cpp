#include "sim/port_io_insn.h"
#include <doctest/doctest.h>
#include <array>

using namespace kdsim;

namespace {
// mov rbx, rax; in al, 0x64; in al, dx; in ax, dx; out 0x80, al; out dx, al; out dx, eax; ret;
// in al, 0x60 (after the block's end)
constexpr std::array<uint8_t, 16> kBlock = {0x48, 0x89, 0xc3, 0xe4, 0x64, 0xec, 0x66, 0xed,
                                            0xe6, 0x80, 0xee, 0xef, 0xc3, 0xe4, 0x60, 0x90};
constexpr uint64_t kPc = 0xffffffff81001000;
}  // namespace

TEST_CASE("port I/O instruction: the first in/out of the block with the access's direction, width and port") {
  CHECK(find_port_io_instruction(kBlock, kPc, {0x64, 1, false}) == kPc + 3);   // in al, 0x64
  CHECK(find_port_io_instruction(kBlock, kPc, {0x71, 1, false}) == kPc + 5);   // in al, dx (imm 0x64 is not 0x71)
  CHECK(find_port_io_instruction(kBlock, kPc, {0x3f8, 2, false}) == kPc + 6);  // in ax, dx
  CHECK(find_port_io_instruction(kBlock, kPc, {0x80, 1, true}) == kPc + 8);    // out 0x80, al
  CHECK(find_port_io_instruction(kBlock, kPc, {0x70, 1, true}) == kPc + 10);   // out dx, al
  CHECK(find_port_io_instruction(kBlock, kPc, {0xcf8, 4, true}) == kPc + 11);  // out dx, eax
}

TEST_CASE("port I/O instruction: none past the block's end, none for a width no instruction has") {
  CHECK_FALSE(find_port_io_instruction(kBlock, kPc, {0x60, 4, false}));  // no in eax in the block
  // Starting at the ret: the block ends before `in al, 0x60`.
  CHECK_FALSE(find_port_io_instruction(std::span(kBlock).subspan(12), kPc + 12, {0x60, 1, false}));
  CHECK(find_port_io_instruction(std::span(kBlock).subspan(13), kPc + 13, {0x60, 1, false}) == kPc + 13);
  CHECK_FALSE(find_port_io_instruction({}, kPc, {0x60, 1, false}));
}
