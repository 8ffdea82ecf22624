#include "firmware-less-boot/kexec/iomem.h"
#include <doctest/doctest.h>

using namespace kdsim;

namespace {

// The shape of an arm64 QEMU virt /proc/iomem with crashkernel=64M.
constexpr std::string_view kArm64Iomem =
    "09000000-09000fff : pl011@9000000\n"
    "  09000000-09000fff : 9000000.pl011 pl011@9000000\n"
    "40000000-4fffffff : System RAM\n"
    "  40210000-40fbffff : Kernel code\n"
    "  40fc0000-411fffff : reserved\n"
    "  41200000-414fffff : Kernel data\n"
    "  4a000000-4dffffff : Crash kernel\n"
    "50000000-5fffffff : System RAM (kmem)\n";

// PhysRange has no operator==: compare {base, size} pairs.
using Span = std::pair<uint64_t, uint64_t>;
Span sp(const PhysRange& r) { return {r.base.value(), r.size}; }
std::vector<Span> sp(const std::vector<PhysRange>& rs) {
  std::vector<Span> out;
  for (const PhysRange& r : rs) out.push_back(sp(r));
  return out;
}

std::string parse_error(std::string_view text) {
  auto io = Iomem::parse(text);
  if (io) return "(parsed)";
  return llvm::toString(io.takeError());
}

}  // namespace

TEST_CASE("kexec iomem: tree, inclusive ends and the kexec-tools queries") {
  auto io = Iomem::parse(kArm64Iomem);
  REQUIRE_MESSAGE(bool(io), llvm::toString(io.takeError()));
  const auto& r = io->resources();
  REQUIRE(r.size() == 8);
  CHECK(r[1].name == "9000000.pl011 pl011@9000000");
  CHECK(r[1].parent == 0u);
  CHECK(r[2].depth == 0);
  CHECK(!r[2].parent);
  CHECK(r[6].parent == 2u);
  CHECK(r[6].line == 7);
  CHECK(sp(r[3].range()) == Span{0x40210000, 0xdb0000});

  auto ram = io->system_ram();
  REQUIRE(ram.size() == 1);
  CHECK(sp(ram[0]) == Span{0x40000000, 0x10000000});
  CHECK(io->system_ram(IomemNameMatch::Contains).size() == 2);
  CHECK(sp(io->crash_kernel()) == std::vector<Span>{{0x4a000000, 0x4000000}});
  CHECK(io->kernel_code().size() == 1);
  CHECK(io->kernel_data()[0].base == PhysAddr(0x41200000));

  CHECK(sp(subtract_ranges(ram, io->crash_kernel())) ==
        std::vector<Span>{{0x40000000, 0xa000000}, {0x4e000000, 0x2000000}});
  // A hole at either end, a hole covering a whole range, an unsorted input.
  CHECK(sp(subtract_ranges({{PhysAddr(0x5000), 0x1000}, {PhysAddr(0x1000), 0x3000}},
                           {{PhysAddr(0x1000), 0x1000}, {PhysAddr(0x3000), 0x1000}, {PhysAddr(0x5000), 0x1000}})) ==
        std::vector<Span>{{0x2000, 0x1000}});
}

TEST_CASE("kexec iomem: x86 layout with 16-digit addresses and a blank trailing line") {
  auto io = Iomem::parse(
      "00000000-00000fff : Reserved\n"
      "00001000-0009fbff : System RAM\n"
      "00100000-bffdffff : System RAM\n"
      "  01000000-01ffffff : Kernel code\n"
      "  a3000000-b2ffffff : Crash kernel\n"
      "100000000-23fffffff : System RAM\n"
      "\n");
  REQUIRE_MESSAGE(bool(io), llvm::toString(io.takeError()));
  CHECK(io->system_ram().size() == 3);
  CHECK(sp(io->system_ram()[2]) == Span{0x100000000, 0x140000000});
}

TEST_CASE("kexec iomem: golden errors name the line") {
  CHECK(parse_error("40000000-4fffffff System RAM\n") ==
        "/proc/iomem:1: expected '<start>-<end> : <name>' in \"40000000-4fffffff System RAM\"");
  CHECK(parse_error("4000000g-4fffffff : System RAM\n") ==
        "/proc/iomem:1: expected '<start>-<end> : <name>' in \"4000000g-4fffffff : System RAM\"");
  CHECK(parse_error("40000000-4fffffff : System RAM\n   40210000-40fbffff : Kernel code\n") ==
        "/proc/iomem:2: odd indentation (3 spaces) in \"   40210000-40fbffff : Kernel code\"");
  CHECK(parse_error("40000000-4fffffff : System RAM\n    40210000-40fbffff : Kernel code\n") ==
        "/proc/iomem:2: indented 1 levels deeper than the line before in \"    40210000-40fbffff : Kernel code\"");
  CHECK(parse_error("4fffffff-40000000 : System RAM\n") ==
        "/proc/iomem:1: start 0x4fffffff is above end 0x40000000 in \"4fffffff-40000000 : System RAM\"");
  CHECK(parse_error("40000000-4fffffff : System RAM\n  3f000000-40ffffff : Kernel code\n") ==
        "/proc/iomem:2: [0x3f000000, 0x40ffffff] is not inside its parent [0x40000000, 0x4fffffff] (line 1) in "
        "\"  3f000000-40ffffff : Kernel code\"");
  CHECK(parse_error("40000000-4fffffff : System RAM\n4f000000-5fffffff : System RAM\n") ==
        "/proc/iomem:2: [0x4f000000, 0x5fffffff] overlaps its sibling [0x40000000, 0x4fffffff] (line 1) in "
        "\"4f000000-5fffffff : System RAM\"");
  CHECK(parse_error("00000000-ffffffffffffffff : everything\n") ==
        "/proc/iomem:1: the range covers the whole 64-bit address space in \"00000000-ffffffffffffffff : everything\"");
}
