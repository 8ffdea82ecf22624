// One test per relocation type: pristine instruction words as the assembler leaves them,
// patched words checked against llvm-mc's encoding of the resolved instruction (in comments).
#include "firmware-less-boot/kexec/purgatory_reloc.h"
#include <doctest/doctest.h>
#include <vector>

using namespace kdsim;
using namespace kdsim::reloc;

namespace {

template <typename T> T ok(llvm::Expected<T> v) {
  REQUIRE_MESSAGE(bool(v), llvm::toString(v.takeError()));
  return *v;
}

template <typename T> std::string err(llvm::Expected<T> v) {
  if (v) return "(no error)";
  return llvm::toString(v.takeError());
}

constexpr uint64_t kP = 0x40001000;  // the place

}  // namespace

TEST_CASE("purgatory reloc: R_AARCH64_CALL26 / JUMP26 patch imm26 and check the +-128 MiB range") {
  CHECK(ok(aarch64_jump26(0x94000000, kP, kP + 0x1000)) == 0x94000400);  // bl #0x1000
  CHECK(ok(aarch64_jump26(0x94000000, kP, kP - 8)) == 0x97fffffe);       // bl #-8
  CHECK(ok(aarch64_jump26(0x14000000, kP, kP + 0x7fffffc)) == 0x15ffffff);  // b #0x7fffffc
  CHECK(err(aarch64_jump26(0x14000000, kP, kP + 0x8000000)) ==
        "B/BL displacement 0x8000000 (target 0x48001000 from 0x40001000) does not fit 28 bits");
  CHECK(err(aarch64_jump26(0x94000000, kP, kP + 2)) ==
        "B/BL displacement 0x2 (target 0x40001002 from 0x40001000) is not a multiple of 4");
  // Insert, not add: a stale field is replaced.
  CHECK(ok(aarch64_jump26(0x94000123, kP, kP + 0x1000)) == 0x94000400);
}

TEST_CASE("purgatory reloc: R_AARCH64_ADR_PREL_PG_HI21 encodes the page delta in immlo/immhi") {
  CHECK(ok(aarch64_adr_prel_pg_hi21(0x90000000, kP + 0x10, kP + 0x3ff8)) == 0xf0000000);  // adrp x0, #0x3000
  CHECK(ok(aarch64_adr_prel_pg_hi21(0x90000000, kP + 0x10, kP - 0x10)) == 0xf0ffffe0);    // adrp x0, #-0x1000
  CHECK(ok(aarch64_adr_prel_pg_hi21(0x90000000, kP, kP + 0xfff)) == 0x90000000);          // same page
  CHECK(err(aarch64_adr_prel_pg_hi21(0x90000000, 0, uint64_t(1) << 33)).find("does not fit 33 bits") !=
        std::string::npos);
}

TEST_CASE("purgatory reloc: R_AARCH64_ADD_ABS_LO12_NC and LDSTn_ABS_LO12_NC scale the low 12 bits") {
  CHECK(aarch64_add_abs_lo12_nc(0x91000000, 0x40003123) == 0x91048c00);  // add x0, x0, #0x123
  CHECK(ok(aarch64_ldst_abs_lo12_nc(0xf9400001, 0x400037f8, 8)) == 0xf943fc01);  // ldr x1, [x0, #0x7f8]
  CHECK(ok(aarch64_ldst_abs_lo12_nc(0xb9400001, 0x40003124, 4)) == 0xb9412401);  // ldr w1, [x0, #0x124]
  CHECK(ok(aarch64_ldst_abs_lo12_nc(0x39400001, 0x40003123, 1)) == 0x39448c01);  // ldrb w1, [x0, #0x123]
  CHECK(ok(aarch64_ldst_abs_lo12_nc(0x79400001, 0x40003122, 2)) == 0x79424401);  // ldrh w1, [x0, #0x122]
  CHECK(ok(aarch64_ldst_abs_lo12_nc(0x3dc00000, 0x40003120, 16)) == 0x3dc04800);  // ldr q0, [x0, #0x120]
  CHECK(err(aarch64_ldst_abs_lo12_nc(0xf9400001, 0x40003124, 8)) ==
        "target 0x40003124 is not 8-byte aligned for a 64-bit load/store offset");
  CHECK(err(aarch64_ldst_abs_lo12_nc(0x3dc00000, 0x40003128, 16)) ==
        "target 0x40003128 is not 16-byte aligned for a 128-bit load/store offset");
}

TEST_CASE("purgatory reloc: R_AARCH64_MOVW_UABS_G0_NC..G3 put each 16-bit group in movz/movk") {
  uint64_t v = 0xffffabcd12345678;
  CHECK(aarch64_movw_uabs(0xd2800000, v, 0) == 0xd28acf00);  // mov x0, #0x5678
  CHECK(aarch64_movw_uabs(0xf2a00000, v, 1) == 0xf2a24680);  // movk x0, #0x1234, lsl #16
  CHECK(aarch64_movw_uabs(0xf2c00000, v, 2) == 0xf2d579a0);  // movk x0, #0xabcd, lsl #32
  CHECK(aarch64_movw_uabs(0xf2e00000, v, 3) == 0xf2ffffe0);  // movk x0, #0xffff, lsl #48
}

TEST_CASE("purgatory reloc: R_AARCH64_LD_PREL_LO19, ADR_PREL_LO21, CONDBR19, TSTBR14") {
  CHECK(ok(aarch64_ld_prel_lo19(0x58000011, kP, kP + 0x108)) == 0x58000851);  // ldr x17, #0x108
  CHECK(ok(aarch64_ld_prel_lo19(0x58000011, kP, kP - 4)) == 0x58fffff1);      // ldr x17, #-4
  CHECK(err(aarch64_ld_prel_lo19(0x58000011, kP, kP + 0x100000)).find("does not fit 21 bits") != std::string::npos);
  CHECK(ok(aarch64_adr_prel_lo21(0x10000013, kP, kP + 0x1003)) == 0x70008013);  // adr x19, #0x1003
  CHECK(ok(aarch64_adr_prel_lo21(0x10000013, kP, kP - 5)) == 0x70ffffd3);       // adr x19, #-5
  CHECK(ok(aarch64_condbr19(0x54000001, kP, kP + 0x40)) == 0x54000201);  // b.ne #0x40
  CHECK(ok(aarch64_condbr19(0xb4000000, kP, kP - 8)) == 0xb4ffffc0);     // cbz x0, #-8
  CHECK(ok(aarch64_tstbr14(0x36180000, kP, kP + 0x7ffc)) == 0x361bffe0);  // tbz w0, #3, #0x7ffc
  CHECK(err(aarch64_tstbr14(0x36180000, kP, kP + 0x8000)).find("does not fit 16 bits") != std::string::npos);
}

TEST_CASE("purgatory reloc: data relocations ABS64, PREL32 and the x86_64 set") {
  std::vector<uint8_t> loc(8, 0xee);
  REQUIRE(!apply_reloc(Arch::Arm64, R_AARCH64_ABS64, loc, kP, 0x1122334455667788));
  CHECK(loc == std::vector<uint8_t>{0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11});
  CHECK(ok(aarch64_prel32(kP, kP - 0x10)) == 0xfffffff0);
  CHECK(err(aarch64_prel32(0, uint64_t(1) << 32)).find("does not fit 32 bits") != std::string::npos);

  // e8 <rel32>: call; the place is the rel32 field, V = target + (-4).
  CHECK(ok(x86_64_pc32(0x1001, 0x2000 - 4)) == 0x00000ffb);
  CHECK(ok(x86_64_pc32(0x100002000, 0x100001000)) == 0xfffff000);  // above 4 GiB, backwards
  CHECK(err(x86_64_pc32(0, uint64_t(1) << 31)) ==
        "PC-relative displacement 0x80000000 (target 0x80000000 from 0x0) does not fit 32 bits");
  CHECK(ok(x86_64_abs32(0xffffffff)) == 0xffffffff);
  CHECK(err(x86_64_abs32(0x100000000)) == "value 0x100000000 does not fit an unsigned 32-bit field");
  CHECK(ok(x86_64_abs32s(0xffffffff80000000)) == 0x80000000);
  CHECK(err(x86_64_abs32s(0x80000000)) == "value 0x80000000 does not fit a sign-extended 32-bit field");

  std::vector<uint8_t> none{1, 2, 3, 4};
  REQUIRE(!apply_reloc(Arch::X86_64, R_X86_64_NONE, none, 0, 0x1234));
  CHECK(none == std::vector<uint8_t>{1, 2, 3, 4});
  std::vector<uint8_t> plt(4, 0);
  REQUIRE(!apply_reloc(Arch::X86_64, R_X86_64_PLT32, plt, 0x1001, 0x1ffc));
  CHECK(plt == std::vector<uint8_t>{0xfb, 0x0f, 0, 0});
}

TEST_CASE("purgatory reloc: unhandled types are named, with LLVM's name for the number") {
  std::vector<uint8_t> loc(8, 0);
  CHECK(llvm::toString(apply_reloc(Arch::X86_64, 9, loc, 0, 0)) == "unhandled relocation R_X86_64_GOTPCREL (9)");
  CHECK(llvm::toString(apply_reloc(Arch::Arm64, 0, loc, 0, 0)) == "unhandled relocation R_AARCH64_NONE (0)");
  CHECK(llvm::toString(apply_reloc(Arch::Arm64, 312, loc, 0, 0)) ==
        "unhandled relocation R_AARCH64_LD64_GOT_LO12_NC (312)");
  CHECK(reloc_type_name(Arch::Arm64, 311) == "R_AARCH64_ADR_GOT_PAGE (311)");
  CHECK(find_reloc_type(Arch::Arm64, R_AARCH64_CALL26)->width == 4);
  CHECK(find_reloc_type(Arch::X86_64, R_X86_64_64)->width == 8);
  CHECK(find_reloc_type(Arch::X86_64, 42) == nullptr);  // R_X86_64_REX_GOTPCRELX
}
