// parse_kcore: the part of /proc/kcore kexec-tools reads, and every way the bytes can be wrong.
#include "firmware-less-boot/kexec/kcore.h"
#include "tests/fwboot/kexec/kcore_builder.h"
#include <doctest/doctest.h>

using namespace kdsim;
using kdsim::test::build_kcore;
using kdsim::test::KcoreSpec;

namespace {
std::string error_of(llvm::Expected<Kcore> k) {
  REQUIRE_FALSE(bool(k));
  return llvm::toString(k.takeError());
}
}  // namespace

TEST_CASE("kcore: the PT_LOADs and the VMCOREINFO text") {
  KcoreSpec spec{.machine = 183,
                 .loads = {{0xffff800008000000, 0x40200000, 0x70000}, {0xffff000000000000, 0x40000000, 1ull << 30}},
                 .vmcoreinfo = "OSRELEASE=6.1.0\nNUMBER(VA_BITS)=48\n"};
  auto k = parse_kcore(build_kcore(spec), 183);
  REQUIRE_MESSAGE(bool(k), llvm::toString(k.takeError()));
  REQUIRE(k->loads.size() == 2);
  CHECK(k->loads[0].vaddr == VirtAddr(0xffff800008000000));
  CHECK(k->loads[0].paddr == 0x40200000);
  CHECK(k->loads[1].memsz == 1ull << 30);
  REQUIRE(k->vmcoreinfo);
  CHECK(*k->vmcoreinfo == "OSRELEASE=6.1.0\nNUMBER(VA_BITS)=48\n");
  CHECK(kcore_load_containing(*k, VirtAddr(0xffff80000806ffff)) == &k->loads[0]);
  CHECK(kcore_load_containing(*k, VirtAddr(0xffff800008070000)) == nullptr);
}

TEST_CASE("kcore: a kernel before 4.19 has no VMCOREINFO note") {
  auto k = parse_kcore(build_kcore({.machine = 62, .loads = {}, .vmcoreinfo = std::nullopt}), 62);
  REQUIRE(bool(k));
  CHECK_FALSE(k->vmcoreinfo);
}

TEST_CASE("kcore: bytes that are not a kcore header are refused, naming what is wrong") {
  const std::string good = build_kcore({.machine = 183, .loads = {{0xffff000000000000, 0x40000000, 4096}},
                                        .vmcoreinfo = "VA_BITS=48\n"});
  CHECK(error_of(parse_kcore(good.substr(0, 40), 183)) ==
        "/proc/kcore: 40 bytes, shorter than an ELF header (64 bytes)");
  CHECK(error_of(parse_kcore(std::string(64, 'x'), 183)) == "/proc/kcore: no ELF magic at offset 0");
  CHECK(error_of(parse_kcore(good, 62)) == "/proc/kcore: e_machine 183, want 62");
  std::string exec = good;
  exec[16] = 2;
  CHECK(error_of(parse_kcore(exec, 183)) == "/proc/kcore: e_type 2, want ET_CORE (4)");
  CHECK(error_of(parse_kcore(good.substr(0, 100), 183)) ==
        "/proc/kcore: 2 program headers at offset 0x40 lie past the 100 bytes read");
  CHECK(error_of(parse_kcore(good.substr(0, good.size() - 4), 183)).starts_with("/proc/kcore: PT_NOTE [0xb0, +0x"));
  std::string overrun = good;
  uint32_t huge = 0x10000;
  std::memcpy(overrun.data() + 176 + 4, &huge, 4);  // the first note's descsz
  CHECK(error_of(parse_kcore(overrun, 183)).starts_with("/proc/kcore: the note at offset 0xb0 (namesz 5, descsz 65536) overruns"));
}
