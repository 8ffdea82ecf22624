// displayable_output: what the reports show of a command's output.
#include "sim/output_text.h"
#include <doctest/doctest.h>

using namespace kdsim;

TEST_CASE("output text: text passes through unchanged, UTF-8 included") {
  CHECK(displayable_output("40000000-7fffffff : System RAM\n\tx\r\n") == "40000000-7fffffff : System RAM\n\tx\r\n");
  CHECK(is_text("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  CHECK(is_text(""));
}

TEST_CASE("output text: control bytes, bad UTF-8, overlongs and surrogates are binary") {
  CHECK_FALSE(is_text(std::string("a\0b", 3)));
  CHECK_FALSE(is_text("\x1b[0m"));
  CHECK_FALSE(is_text("\xc3"));              // truncated sequence
  CHECK_FALSE(is_text("\xc0\xaf"));          // overlong '/'
  CHECK_FALSE(is_text("\xed\xa0\x80"));      // U+D800, a surrogate
  CHECK_FALSE(is_text("\xf4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(is_text("\x80"));
}

TEST_CASE("output text: binary output becomes its size and a hexdump -C of the first 64 bytes") {
  std::string elf = std::string("\x7f" "ELF\x02\x01\x01", 7) + std::string(100, '\0');
  CHECK(displayable_output(elf) ==
        "(107 bytes of binary output; the first 64:)\n"
        "00000000  7f 45 4c 46 02 01 01 00  00 00 00 00 00 00 00 00  |.ELF............|\n"
        "00000010  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|\n"
        "00000020  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|\n"
        "00000030  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|\n");
  CHECK(displayable_output(std::string("\x01z", 2)) ==
        "(2 bytes of binary output; the first 2:)\n"
        "00000000  01 7a                                             |.z|\n");
}

TEST_CASE("output text: binary step output is saved as step-N.out (N from 1), text is not") {
  const std::string bin("\x7f" "ELF\0", 5);
  CHECK(step_output_file("Linux version 6.1\n", 0) == std::nullopt);
  CHECK(step_output_file(bin, 5) == "step-6.out");
  CHECK(step_output_text(bin, 5).starts_with("(5 bytes of binary output, in step-6.out; the first 5:)\n00000000  7f 45"));
  CHECK(step_output_text("text\n", 5) == "text\n");
}
