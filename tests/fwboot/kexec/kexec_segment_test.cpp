#include "firmware-less-boot/kexec/kexec_segment.h"
#include <doctest/doctest.h>

using namespace kdsim;

namespace {

KexecSegment seg(uint64_t mem, uint64_t memsz, size_t bufsz, std::string what) {
  return {.buf = std::vector<uint8_t>(bufsz, 0xab), .mem = PhysAddr(mem), .memsz = memsz, .what = std::move(what)};
}

std::string prepare_error(std::vector<KexecSegment> list) {
  auto out = prepare_kexec_segments(std::move(list));
  if (out) return "(ok)";
  return llvm::toString(out.takeError());
}

}  // namespace

TEST_CASE("kexec segments: clamp bufsz, drop empty, round memsz, sort by mem") {
  auto out = prepare_kexec_segments({seg(0x48000000, 0x1800, 0x2000, "initrd"), seg(0x40080000, 0, 0x10, "empty"),
                                     seg(0x40080000, 0x10001, 0x10, "kernel"), seg(0x47000000, 0x1000, 0x10, "dtb")});
  REQUIRE_MESSAGE(bool(out), llvm::toString(out.takeError()));
  REQUIRE(out->size() == 3);
  CHECK((*out)[0].what == "kernel");
  CHECK((*out)[0].memsz == 0x11000);
  CHECK((*out)[1].what == "dtb");
  CHECK((*out)[2].what == "initrd");
  CHECK((*out)[2].bufsz() == 0x1800);  // clamped to the original memsz
  CHECK((*out)[2].memsz == 0x2000);
}

TEST_CASE("kexec segments: golden errors (kexec-tools texts)") {
  CHECK(prepare_error({seg(0x40080000, 0x1000, 0, "kernel"), seg(0x48000800, 0x1000, 0, "initrd")}) ==
        "kexec segment 1 (initrd): Base address: 48000800 is not page aligned");
  CHECK(prepare_error({seg(0x48000000, 0x1000, 0, "initrd"), seg(0x40000000, 0x8000001, 0, "kernel")}) ==
        "Overlapping memory segments at 0x48001000: segment (kernel) [P0x40000000, P0x48001000) and segment "
        "(initrd) [P0x48000000, P0x48001000)");
  CHECK(prepare_error({seg(0xfffffffffffff000, 0x1001, 0, "top")}) ==
        "kexec segment 0 (top): [P0xfffffffffffff000, +0x1001) wraps around the physical address space");
  // Touching is not overlapping.
  CHECK(prepare_error({seg(0x40001000, 0x1000, 0, "b"), seg(0x40000000, 0x1000, 0, "a")}) == "(ok)");
}

TEST_CASE("kexec segments: every segment must lie in a memory range") {
  std::vector<PhysRange> ram{{PhysAddr(0x40000000), 0x10000000}};
  std::vector<KexecSegment> ok{seg(0x40000000, 0x1000, 0, "kernel"), seg(0x4ffff000, 0x1000, 0, "dtb")};
  CHECK(!check_segments_in_memory(ok, ram));
  std::vector<KexecSegment> bad{seg(0x4ffff000, 0x2000, 0, "initrd")};
  CHECK(llvm::toString(check_segments_in_memory(bad, ram)) == "Invalid memory segment 0x4ffff000 - 0x50000fff (initrd)");
}
