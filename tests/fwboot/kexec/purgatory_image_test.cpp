// The purgatory loader on ET_REL objects built in memory (rel_builder.h): layout, relocation,
// symbols, and one golden error text per malformed input.
#include "firmware-less-boot/kexec/purgatory_image.h"
#include "firmware-less-boot/kexec/purgatory_reloc.h"
#include "tests/fwboot/kexec/rel_builder.h"
#include <doctest/doctest.h>

using namespace kdsim;
using namespace kdsim::test;
using namespace kdsim::reloc;

namespace {

constexpr uint64_t kBase = 0x40200000;

std::vector<uint8_t> words(std::initializer_list<uint32_t> ws) {
  std::vector<uint8_t> out;
  for (uint32_t w : ws) {
    auto b = le32(w);
    out.insert(out.end(), b.begin(), b.end());
  }
  return out;
}

uint32_t word_at(const std::vector<uint8_t>& buf, uint64_t off) {
  return uint32_t(buf[off]) | uint32_t(buf[off + 1]) << 8 | uint32_t(buf[off + 2]) << 16 | uint32_t(buf[off + 3]) << 24;
}

uint64_t quad_at(const std::vector<uint8_t>& buf, uint64_t off) {
  return uint64_t(word_at(buf, off)) | uint64_t(word_at(buf, off + 4)) << 32;
}

// An arm64 purgatory in miniature. Sections: [1] .text, [2] .rodata.str1.1, [3] .data (4 KiB
// aligned, so the adrp crosses a page), [4] .bss (32-byte aligned), [5] .debug_info (not
// allocated; its relocation has a type the loader does not know and must be skipped).
// Symbols: [1] purgatory_start, [2] func, [3] var, [4] bss_var, [5] local_var (LOCAL),
// [6] weak_var (WEAK), [7] .data section symbol.
TestRel mini_arm64() {
  TestRel t;
  t.sections = {
      {.name = ".text", .flags = kShfAlloc | kShfExec, .align = 4,
       .data = words({0x94000000,    // 0x00 bl func
                      0x90000000,    // 0x04 adrp x0, var
                      0x91000000,    // 0x08 add x0, x0, :lo12:var
                      0xf9400001,    // 0x0c ldr x1, [x0, :lo12:var]
                      0xd65f03c0,    // 0x10 func: ret
                      0xd503201f})},  // 0x14 nop
      {.name = ".rodata.str1.1", .flags = kShfAlloc, .align = 1, .data = {'h', 'i', 0}},
      {.name = ".data", .flags = kShfAlloc | kShfWrite, .align = 4096, .data = std::vector<uint8_t>(0x28, 0)},
      {.name = ".bss", .type = kShtNobits, .flags = kShfAlloc | kShfWrite, .align = 32, .nobits_size = 0x40},
      {.name = ".debug_info", .flags = 0, .align = 1, .data = std::vector<uint8_t>(16, 0)},
  };
  t.sections[2].data[0x8] = 0x5a;  // var's initial value
  t.symbols = {
      {.name = "purgatory_start", .value = 0, .shndx = 1, .type = kSttNotype},
      {.name = "func", .value = 0x10, .size = 4, .shndx = 1, .type = kSttFunc},
      {.name = "var", .value = 0x8, .size = 8, .shndx = 3},
      {.name = "bss_var", .value = 0, .size = 8, .shndx = 4},
      {.name = "local_var", .value = 0x18, .size = 8, .shndx = 3, .bind = kStbLocal},
      {.name = "weak_var", .value = 0x20, .size = 8, .shndx = 3, .bind = kStbWeak},
      {.name = "", .value = 0, .shndx = 3, .bind = kStbLocal, .type = kSttSection},
  };
  t.relocs = {
      {.target = 1, .offset = 0x0, .type = R_AARCH64_CALL26, .sym = 2},
      {.target = 1, .offset = 0x4, .type = R_AARCH64_ADR_PREL_PG_HI21, .sym = 7, .addend = 8},
      {.target = 1, .offset = 0x8, .type = R_AARCH64_ADD_ABS_LO12_NC, .sym = 3},
      {.target = 1, .offset = 0xc, .type = R_AARCH64_LDST64_ABS_LO12_NC, .sym = 3},
      {.target = 3, .offset = 0x10, .type = R_AARCH64_ABS64, .sym = 2, .addend = 4},
      {.target = 5, .offset = 0x0, .type = 9999, .sym = 2},
  };
  return t;
}

llvm::Expected<PurgatoryImage> load(const TestRel& t, Arch arch = Arch::Arm64) {
  return PurgatoryImage::create_from_bytes("p.ro", t.build(), arch);
}

std::string create_error(const TestRel& t, Arch arch = Arch::Arm64) {
  auto image = load(t, arch);
  if (image) return "(loaded)";
  return llvm::toString(image.takeError());
}

std::string place_error(const TestRel& t, uint64_t base = kBase) {
  auto image = load(t);
  REQUIRE_MESSAGE(bool(image), llvm::toString(image.takeError()));
  auto placed = image->place(PhysAddr(base));
  if (placed) return "(placed)";
  return llvm::toString(placed.takeError());
}

PlacedPurgatory placed_mini() {
  auto image = load(mini_arm64());
  REQUIRE_MESSAGE(bool(image), llvm::toString(image.takeError()));
  auto placed = image->place(PhysAddr(kBase));
  REQUIRE_MESSAGE(bool(placed), llvm::toString(placed.takeError()));
  return std::move(*placed);
}

}  // namespace

TEST_CASE("purgatory image: layout packs allocated sections in header order, then the bss") {
  auto image = load(mini_arm64());
  REQUIRE_MESSAGE(bool(image), llvm::toString(image.takeError()));
  const auto& s = image->sections();
  REQUIRE(s.size() == 12);  // null, 5 sections, 3 .rela.*, .symtab, .strtab, .shstrtab
  CHECK(s[1].image_offset == 0x0);   // .text
  CHECK(s[2].image_offset == 0x18);  // .rodata.str1.1, byte aligned right after
  CHECK(s[3].image_offset == 0x1000);  // .data at its 4 KiB alignment
  CHECK(image->bufsz() == 0x1028);
  CHECK(s[4].image_offset == 0x1040);  // .bss after padding 0x1028 to 32
  CHECK(!s[5].image_offset);           // .debug_info is not loaded
  CHECK(image->memsz() == 0x2000);     // 0x1080 rounded to a page
  CHECK(image->alignment() == 0x1000);
  CHECK(image->entry_offset() == 0);
}

TEST_CASE("purgatory image: place() relocates every site from the pristine bytes") {
  PlacedPurgatory p = placed_mini();
  const auto& buf = p.buf();
  REQUIRE(buf.size() == 0x1028);
  CHECK(p.base() == PhysAddr(kBase));
  CHECK(p.entry() == PhysAddr(kBase));
  CHECK(word_at(buf, 0x0) == 0x94000004);   // bl #0x10 -> func
  CHECK(word_at(buf, 0x4) == 0xb0000000);   // adrp x0, #0x1000 (var is on the next page)
  CHECK(word_at(buf, 0x8) == 0x91002000);   // add x0, x0, #0x8
  CHECK(word_at(buf, 0xc) == 0xf9400401);   // ldr x1, [x0, #0x8]
  CHECK(word_at(buf, 0x10) == 0xd65f03c0);  // untouched
  CHECK(quad_at(buf, 0x1010) == kBase + 0x14);  // ABS64 func + 4
  CHECK(buf[0x1008] == 0x5a);
  CHECK(buf[0x18] == 'h');
  CHECK(*p.section_address(3) == PhysAddr(kBase + 0x1000));

  KexecSegment seg = p.segment();
  CHECK(seg.mem == PhysAddr(kBase));
  CHECK(seg.memsz == 0x2000);
  CHECK(seg.buf == buf);
  CHECK(seg.what == "purgatory");

  // A second placement elsewhere starts again from the file bytes.
  auto image = load(mini_arm64());
  REQUIRE(bool(image));
  auto moved = image->place(PhysAddr(kBase + 0x10000));
  REQUIRE(bool(moved));
  CHECK(word_at(moved->buf(), 0x0) == 0x94000004);
  CHECK(quad_at(moved->buf(), 0x1010) == kBase + 0x10014);
}

TEST_CASE("purgatory image: set_symbol / get_symbol follow elf_rel_set_symbol's rules and texts") {
  PlacedPurgatory p = placed_mini();
  REQUIRE(!p.set_symbol_value<uint64_t>("var", 0x1122334455667788));
  CHECK(quad_at(p.buf(), 0x1008) == 0x1122334455667788);
  auto back = p.get_symbol_value<uint64_t>("var");
  REQUIRE(bool(back));
  CHECK(*back == 0x1122334455667788);
  CHECK(p.segment().buf == p.buf());

  CHECK(llvm::toString(p.set_symbol_value<uint32_t>("var", 1)) == "p.ro: Symbol: var has size: 8 not 4");
  CHECK(llvm::toString(p.set_symbol_value<uint64_t>("nothing", 1)) == "p.ro: Symbol: nothing not found cannot set");
  CHECK(llvm::toString(p.set_symbol_value<uint64_t>("local_var", 1)) ==
        "p.ro: Symbol: local_var not found cannot set");
  CHECK(llvm::toString(p.set_symbol_value<uint64_t>("weak_var", 1)) == "p.ro: Symbol: weak_var not found cannot set");
  CHECK(llvm::toString(p.set_symbol_value<uint64_t>("bss_var", 1)) ==
        "p.ro: Symbol: bss_var is in a bss section cannot set");
  CHECK(llvm::toString(p.get_symbol_value<uint32_t>("var").takeError()) == "p.ro: Symbol: var has size: 8 not 4");
  CHECK(llvm::toString(p.get_symbol_value<uint64_t>("bss_var").takeError()) ==
        "p.ro: Symbol: bss_var is in a bss section cannot get");
  CHECK(llvm::toString(p.get_symbol_value<uint64_t>("nothing").takeError()) ==
        "p.ro: Symbol: nothing not found cannot get");

  CHECK(*p.symbol_address("func") == PhysAddr(kBase + 0x10));
  CHECK(*p.symbol_address("bss_var") == PhysAddr(kBase + 0x1040));
  CHECK(llvm::toString(p.symbol_address("nothing").takeError()) ==
        "p.ro: Symbol: nothing not found cannot retrive it's address");
}

TEST_CASE("purgatory image: undefined STT_NOTYPE resolves to 0 + addend, SHN_ABS to its value") {
  TestRel t = mini_arm64();
  t.symbols.push_back({.name = "weak_ext", .shndx = kShnUndef, .type = kSttNotype});      // [8]
  t.symbols.push_back({.name = "abs", .value = 0x12340000, .shndx = kShnAbs, .type = kSttNotype});  // [9]
  t.relocs.push_back({.target = 3, .offset = 0x18, .type = R_AARCH64_ABS64, .sym = 8, .addend = 0x77});
  t.relocs.push_back({.target = 3, .offset = 0x20, .type = R_AARCH64_ABS64, .sym = 9, .addend = 1});
  auto image = load(t);
  REQUIRE_MESSAGE(bool(image), llvm::toString(image.takeError()));
  auto p = image->place(PhysAddr(kBase));
  REQUIRE(bool(p));
  CHECK(quad_at(p->buf(), 0x1018) == 0x77);
  CHECK(quad_at(p->buf(), 0x1020) == 0x12340001);
  CHECK(llvm::toString(p->set_symbol_value<uint64_t>("abs", 0)) == "p.ro: Symbol: abs has Bad section index 65521");
}

TEST_CASE("purgatory image: x86_64 PC32/PLT32 from SHT_REL and SHT_RELA") {
  for (bool use_rel : {false, true}) {
    TestRel t;
    t.machine = 62;
    t.use_rel = use_rel;
    t.sections = {{.name = ".text", .flags = kShfAlloc | kShfExec, .align = 16,
                   .data = {0xe8, 0, 0, 0, 0, 0xc3, 0x90, 0x90}}};
    t.symbols = {{.name = "purgatory_start", .shndx = 1, .type = kSttFunc}, {.name = "f", .value = 5, .shndx = 1}};
    t.relocs = {{.target = 1, .offset = 1, .type = R_X86_64_PLT32, .sym = 2, .addend = -4}};
    auto image = load(t, Arch::X86_64);
    REQUIRE_MESSAGE(bool(image), llvm::toString(image.takeError()));
    auto p = image->place(PhysAddr(0x100000000));
    REQUIRE(bool(p));
    // RELA: f - (P + 4) = 0; REL has no addend (kexec-tools uses 0): f - P = 4.
    CHECK(word_at(p->buf(), 1) == (use_rel ? 4u : 0u));
  }
}

TEST_CASE("purgatory image: golden errors for malformed ET_REL files") {
  CHECK(llvm::toString(PurgatoryImage::create_from_bytes("p.ro", {'h', 'e', 'l', 'l', 'o'}, Arch::Arm64)
                           .takeError()) == "p.ro: not an ELF file");
  CHECK(llvm::toString(PurgatoryImage::create("/nonexistent/purgatory.ro", Arch::Arm64).takeError()) ==
        "/nonexistent/purgatory.ro: cannot read: No such file or directory");
  TestRel t = mini_arm64();
  t.ei_class = 1;
  CHECK(create_error(t) == "p.ro: EI_CLASS is 1 but a purgatory must be ELFCLASS64 (2)");
  t = mini_arm64();
  t.ei_data = 2;
  CHECK(create_error(t) == "p.ro: EI_DATA is 2 but a purgatory must be ELFDATA2LSB (1, little-endian)");
  t = mini_arm64();
  t.type = 2;
  CHECK(create_error(t) == "p.ro: e_type is ET_EXEC (2) but a purgatory must be ET_REL (1)");
  CHECK(create_error(mini_arm64(), Arch::X86_64) ==
        "p.ro: e_machine is EM_AARCH64 (183) but the machine is x86_64 (EM_X86_64, 62)");
  t = mini_arm64();
  t.section_headers = false;
  CHECK(create_error(t) == "p.ro: no section headers (e_shoff is 0)");

  t = mini_arm64();
  t.relocs[1].type = 311;
  CHECK(create_error(t) ==
        "p.ro: section 1 (.text) offset 0x4: unhandled relocation R_AARCH64_ADR_GOT_PAGE (311) (in section 6 "
        "(.rela.text))");
  t = mini_arm64();
  t.relocs[3].offset = 0x16;
  CHECK(create_error(t) ==
        "p.ro: section 1 (.text) offset 0x16: R_AARCH64_LDST64_ABS_LO12_NC patches 0x4 bytes past the end of the "
        "section (size 0x18)");
  // A relocation section aimed at the bss: nothing in the file to patch (the fuzzer's heap
  // overflow, issue #12). Refused when the file is read.
  t = mini_arm64();
  t.relocs.push_back({.target = 4, .offset = 0x0, .type = R_AARCH64_ABS64, .sym = 2});
  {
    const std::string e = create_error(t);
    CHECK_MESSAGE(e.find("relocates section 4 (.bss), which is NOBITS (no bytes in the file to patch)") !=
                      std::string::npos, e);
  }
  t = mini_arm64();
  t.relocs[0].sym = 42;
  CHECK(create_error(t) ==
        "p.ro: section 1 (.text) offset 0x0: symbol index 42 is past the end of section 9 (.symtab) (8 symbols)");
  t = mini_arm64();
  t.symbols.push_back({.name = "ext", .shndx = kShnUndef, .type = kSttFunc});
  t.relocs[0].sym = 8;
  CHECK(create_error(t) == "p.ro: section 1 (.text) offset 0x0: Undefined symbol: 'ext'");
  t = mini_arm64();
  t.symbols.push_back({.name = "common", .size = 8, .shndx = kShnCommon});
  t.relocs[0].sym = 8;
  CHECK(create_error(t) == "p.ro: section 1 (.text) offset 0x0: symbol: 'common' in common section");
  t = mini_arm64();
  t.symbols.push_back({.name = "far", .shndx = 0xff00});
  t.relocs[0].sym = 8;
  CHECK(create_error(t) == "p.ro: section 1 (.text) offset 0x0: Invalid section: 65280 for symbol 'far'");
  t = mini_arm64();
  t.entry = 0x18;
  CHECK(create_error(t) == "p.ro: e_entry 0x18 lies in no allocated executable section");
  t = mini_arm64();
  t.sections[2].align = 24;
  CHECK(create_error(t) == "p.ro: section 3 (.data): sh_addralign 0x18 is not a power of two");
}

TEST_CASE("purgatory image: golden errors from place()") {
  CHECK(place_error(mini_arm64(), kBase + 0x800) ==
        "p.ro: base P0x40200800 is not aligned to 0x1000 (the purgatory's alignment)");
  TestRel t = mini_arm64();
  t.symbols.push_back({.name = "far", .value = 0x80000000, .shndx = kShnAbs, .type = kSttFunc});
  t.relocs[0].sym = 8;
  CHECK(place_error(t) ==
        "p.ro: section 1 (.text) offset 0x0 (P0x40200000): R_AARCH64_CALL26 (283) against 'far': B/BL displacement "
        "0x3fe00000 (target 0x80000000 from 0x40200000) does not fit 28 bits");
  t = mini_arm64();
  t.relocs[3].addend = 4;  // ldr x1, [x0, :lo12:var+4]: not 8-byte aligned
  CHECK(place_error(t) ==
        "p.ro: section 1 (.text) offset 0xc (P0x4020000c): R_AARCH64_LDST64_ABS_LO12_NC (286) against 'var': target "
        "0x4020100c is not 8-byte aligned for a 64-bit load/store offset");
}
