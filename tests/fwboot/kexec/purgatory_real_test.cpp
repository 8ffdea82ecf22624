// The real purgatory.ro of both arches (kernels/purgatory/, built by this build tree), and
// kexec-tools' own as Debian ships it inside /usr/sbin/kexec: placed, and every relocation site
// decoded back (with an independent decoder over libObject's view of the file) to the address
// its symbol + addend must have become.
#include "firmware-less-boot/kexec/purgatory_abi.h"
#include "firmware-less-boot/kexec/purgatory_extract.h"
#include "firmware-less-boot/kexec/purgatory_image.h"
#include "firmware-less-boot/kexec/purgatory_reloc.h"
#include <doctest/doctest.h>
#include <llvm/Object/ELF.h>
#include <llvm/Support/MemoryBuffer.h>
#include <filesystem>
#include <map>
#include <tuple>

using namespace kdsim;
using namespace kdsim::reloc;

namespace {

using Elf = llvm::object::ELF64LEFile;

uint32_t word_at(const std::vector<uint8_t>& b, uint64_t o) {
  return uint32_t(b[o]) | uint32_t(b[o + 1]) << 8 | uint32_t(b[o + 2]) << 16 | uint32_t(b[o + 3]) << 24;
}
uint64_t quad_at(const std::vector<uint8_t>& b, uint64_t o) { return word_at(b, o) | uint64_t(word_at(b, o + 4)) << 32; }
int64_t sext(uint64_t v, unsigned bits) { return int64_t(v << (64 - bits)) >> (64 - bits); }

PurgatoryImage load(const char* path, Arch arch) {
  auto image = PurgatoryImage::create(path, arch);
  REQUIRE_MESSAGE(bool(image), llvm::toString(image.takeError()));
  return std::move(*image);
}

PlacedPurgatory place(const PurgatoryImage& image, uint64_t base) {
  auto placed = image.place(PhysAddr(base));
  REQUIRE_MESSAGE(bool(placed), llvm::toString(placed.takeError()));
  return std::move(*placed);
}

// What the patched bytes at `at` say the target is, per type (independent of purgatory_reloc).
// Returns {decoded, expected} after applying the same masking the field implies.
std::pair<uint64_t, uint64_t> decode(uint32_t type, const std::vector<uint8_t>& buf, uint64_t at, uint64_t p,
                                     uint64_t v) {
  uint32_t w = word_at(buf, at);
  switch (type) {
    case R_AARCH64_CALL26:
    case R_AARCH64_JUMP26: return {p + (sext(w & 0x3ffffff, 26) << 2), v};
    case R_AARCH64_ADR_PREL_PG_HI21: {
      uint64_t imm = ((w >> 5) & 0x7ffff) << 2 | ((w >> 29) & 3);
      return {(p & ~0xfffull) + (sext(imm, 21) << 12), v & ~0xfffull};
    }
    case R_AARCH64_ADR_PREL_LO21: {
      uint64_t imm = ((w >> 5) & 0x7ffff) << 2 | ((w >> 29) & 3);
      return {p + sext(imm, 21), v};
    }
    case R_AARCH64_ADD_ABS_LO12_NC: return {(w >> 10) & 0xfff, v & 0xfff};
    case R_AARCH64_LDST8_ABS_LO12_NC: return {(w >> 10) & 0xfff, v & 0xfff};
    case R_AARCH64_LDST16_ABS_LO12_NC: return {((w >> 10) & 0xfff) << 1, v & 0xfff};
    case R_AARCH64_LDST32_ABS_LO12_NC: return {((w >> 10) & 0xfff) << 2, v & 0xfff};
    case R_AARCH64_LDST64_ABS_LO12_NC: return {((w >> 10) & 0xfff) << 3, v & 0xfff};
    case R_AARCH64_LDST128_ABS_LO12_NC: return {((w >> 10) & 0xfff) << 4, v & 0xfff};
    case R_AARCH64_LD_PREL_LO19:
    case R_AARCH64_CONDBR19: return {p + (sext((w >> 5) & 0x7ffff, 19) << 2), v};
    case R_AARCH64_TSTBR14: return {p + (sext((w >> 5) & 0x3fff, 14) << 2), v};
    case R_AARCH64_MOVW_UABS_G0_NC: return {(w >> 5) & 0xffff, v & 0xffff};
    case R_AARCH64_MOVW_UABS_G1_NC: return {(w >> 5) & 0xffff, (v >> 16) & 0xffff};
    case R_AARCH64_MOVW_UABS_G2_NC: return {(w >> 5) & 0xffff, (v >> 32) & 0xffff};
    case R_AARCH64_MOVW_UABS_G3: return {(w >> 5) & 0xffff, v >> 48};
    case R_AARCH64_ABS64:
    case R_X86_64_64: return {quad_at(buf, at), v};
    case R_AARCH64_PREL32: return {p + sext(w, 32), v};
    case R_X86_64_PC32:
    case R_X86_64_PLT32: return {p + sext(w, 32), v};
  }
  FAIL("no decoder for relocation type " << type);
  return {0, 1};
}

// Walks every relocation of an allocated section with libObject and checks its site.
// Returns the count per type name.
std::map<std::string, int> check_every_site(llvm::StringRef bytes, Arch arch, const PurgatoryImage& image,
                                            const PlacedPurgatory& placed) {
  auto elf = Elf::create(bytes);
  REQUIRE(bool(elf));
  auto sections = elf->sections();
  REQUIRE(bool(sections));
  std::map<std::string, int> counts;
  for (const auto& sh : *sections) {
    if (sh.sh_type != llvm::ELF::SHT_RELA) continue;
    const PurgatorySection& target = image.sections()[sh.sh_info];
    if (!target.allocated()) continue;
    auto symtab = elf->getSection(sh.sh_link);
    REQUIRE(bool(symtab));
    auto relas = elf->relas(sh);
    REQUIRE(bool(relas));
    for (const auto& r : *relas) {
      auto sym = elf->getRelocationSymbol(r, *symtab);
      REQUIRE(bool(sym));
      uint64_t s = (*sym)->st_value;
      if ((*sym)->st_shndx != 0 && (*sym)->st_shndx < llvm::ELF::SHN_LORESERVE)
        s += placed.section_address((*sym)->st_shndx)->value();
      uint64_t v = s + uint64_t(r.r_addend);
      uint64_t at = *target.image_offset + r.r_offset;
      uint64_t p = placed.base().value() + at;
      uint32_t type = r.getType(false);
      auto [decoded, expected] = decode(type, placed.buf(), at, p, v);
      INFO(target.name << "+0x" << std::hex << r.r_offset << " " << reloc_type_name(arch, type));
      CHECK(decoded == expected);
      const RelocTypeInfo* info = find_reloc_type(arch, type);
      REQUIRE(info != nullptr);
      counts[info->name]++;
    }
  }
  return counts;
}

std::map<std::string, int> check_every_site(const char* path, Arch arch, const PurgatoryImage& image,
                                            const PlacedPurgatory& placed) {
  auto file = llvm::MemoryBuffer::getFile(path, false, false);
  REQUIRE(bool(file));
  return check_every_site((*file)->getBuffer(), arch, image, placed);
}

// Each symbol exists, is GLOBAL, loadable, and has exactly this size.
void check_symbol_sizes(PlacedPurgatory& p, const std::string& path,
                        std::initializer_list<std::pair<const char*, size_t>> symbols) {
  for (auto [name, size] : symbols) {
    INFO(name);
    std::vector<uint8_t> bytes(size, 0);
    auto err = p.get_symbol(name, bytes);
    CHECK_MESSAGE(!err, llvm::toString(std::move(err)));
    CHECK(llvm::toString(p.set_symbol(name, std::vector<uint8_t>(size + 1, 0))) ==
          fmt::format("{}: Symbol: {} has size: {} not {}", path, name, size, size + 1));
  }
}

constexpr std::pair<const char*, size_t> kCommonSymbols[] = {
    {"sha256_regions", 256}, {"sha256_digest", 32}, {"skip_checks", 4}, {"kdsim_stage_port", 8}};

}  // namespace

TEST_CASE("purgatory real arm64: placement, every relocation site, entry code, symbols") {
  PurgatoryImage image = load(KDSIM_PURGATORY_ARM64, Arch::Arm64);
  constexpr uint64_t base = 0x47f00000;
  PlacedPurgatory p = place(image, base);
  CHECK(image.alignment() == 0x1000);
  CHECK(p.buf().size() == image.bufsz());
  CHECK(p.memsz() >= image.bufsz() + 0x1000);  // the 4 KiB stack is in .bss
  CHECK(p.memsz() % 0x1000 == 0);
  CHECK(p.entry() == PhysAddr(base));
  CHECK(*p.symbol_address("purgatory_start") == p.entry());

  auto counts = check_every_site(KDSIM_PURGATORY_ARM64, Arch::Arm64, image, p);
  CHECK(counts["R_AARCH64_CALL26"] > 0);
  CHECK(counts["R_AARCH64_ADR_PREL_PG_HI21"] > 0);
  CHECK(counts["R_AARCH64_ADD_ABS_LO12_NC"] > 0);
  CHECK(counts["R_AARCH64_LD_PREL_LO19"] == 2);
  CHECK(counts["R_AARCH64_ADR_PREL_LO21"] == 1);
  MESSAGE("arm64 purgatory relocations: " << [&] {
    std::string s;
    for (auto& [n, c] : counts) s += fmt::format("{} x{}, ", n, c);
    return s;
  }());

  // purgatory_start: adr x19, <stack top>; mov sp, x19; bl purgatory; ldr x17, arm64_kernel_entry;
  // ldr x0, arm64_dtb_addr; mov x1..x3, xzr; br x17.
  const auto& buf = p.buf();
  const PurgatorySection* bss = nullptr;
  for (const auto& s : image.sections())
    if (s.name == ".bss") bss = &s;
  REQUIRE(bss != nullptr);
  uint32_t adr = word_at(buf, 0);
  CHECK((adr & 0x9f00001f) == 0x10000013);  // adr x19
  uint64_t adr_target = base + sext(((adr >> 5) & 0x7ffff) << 2 | ((adr >> 29) & 3), 21);
  CHECK(adr_target == base + *bss->image_offset + bss->size);
  CHECK(word_at(buf, 4) == 0x9100027f);  // mov sp, x19
  uint32_t bl = word_at(buf, 8);
  CHECK((bl & 0xfc000000) == 0x94000000);
  CHECK(base + 8 + (sext(bl & 0x3ffffff, 26) << 2) == p.symbol_address("purgatory")->value());
  uint32_t ldr17 = word_at(buf, 12), ldr0 = word_at(buf, 16);
  CHECK((ldr17 & 0xff00001f) == 0x58000011);
  CHECK(base + 12 + (sext((ldr17 >> 5) & 0x7ffff, 19) << 2) == p.symbol_address("arm64_kernel_entry")->value());
  CHECK((ldr0 & 0xff00001f) == 0x58000000);
  CHECK(base + 16 + (sext((ldr0 >> 5) & 0x7ffff, 19) << 2) == p.symbol_address("arm64_dtb_addr")->value());
  CHECK(word_at(buf, 32) == 0xd61f0220);  // br x17

  check_symbol_sizes(p, KDSIM_PURGATORY_ARM64, {kCommonSymbols[0], kCommonSymbols[1], kCommonSymbols[2],
                                                kCommonSymbols[3], {"arm64_sink", 8}, {"arm64_kernel_entry", 8},
                                                {"arm64_dtb_addr", 8}});
  REQUIRE(!p.set_symbol_value<uint64_t>("arm64_kernel_entry", 0x40080000));
  uint64_t at = p.symbol_address("arm64_kernel_entry")->value() - base;
  CHECK(quad_at(p.buf(), at) == 0x40080000);
}

TEST_CASE("purgatory real x86_64: placement above 4 GiB, every relocation site, entry code, symbols") {
  PurgatoryImage image = load(KDSIM_PURGATORY_X86_64, Arch::X86_64);
  constexpr uint64_t base = 0x100200000;
  PlacedPurgatory p = place(image, base);
  CHECK(p.entry() == PhysAddr(base));
  CHECK(*p.symbol_address("purgatory_start") == p.entry());

  auto counts = check_every_site(KDSIM_PURGATORY_X86_64, Arch::X86_64, image, p);
  CHECK(counts["R_X86_64_PC32"] > 0);
  CHECK(counts["R_X86_64_PLT32"] > 0);
  CHECK(counts["R_X86_64_64"] == 2);  // the GDT descriptor base and entry64_regs.rip
  CHECK(counts.count("R_X86_64_32") == 0);
  CHECK(counts.count("R_X86_64_32S") == 0);

  const auto& buf = p.buf();
  // purgatory_start: 48 8b 04 24  movq (%rsp), %rax ; 48 89 05 <rel32>  movq %rax, jump_back_entry(%rip)
  CHECK(word_at(buf, 0) == 0x24048b48);
  CHECK((word_at(buf, 4) & 0xffffff) == 0x058948);
  CHECK(base + 11 + sext(word_at(buf, 7), 32) == p.symbol_address("jump_back_entry")->value());

  // The GDT pseudo-descriptor: limit 0x1f, base = the relocated GDT just before it.
  uint64_t desc = p.symbol_address("purgatory_gdt_desc")->value() - base;
  CHECK((buf[desc] | buf[desc + 1] << 8) == 0x1f);
  CHECK(quad_at(buf, desc + 2) == base + desc - 0x26);
  CHECK(quad_at(buf, desc - 0x26 + 0x10) == 0x00af9a000000ffff);
  CHECK(quad_at(buf, desc - 0x26 + 0x18) == 0x00cf92000000ffff);

  check_symbol_sizes(p, KDSIM_PURGATORY_X86_64,
                     {kCommonSymbols[0], kCommonSymbols[1], kCommonSymbols[2], kCommonSymbols[3],
                      {"entry64_regs", 136}, {"cmdline_end", 8}, {"jump_back_entry", 8}, {"panic_kernel", 1},
                      {"legacy_pic", 1}, {"reset_vga", 1}, {"console_vga", 1}, {"console_serial", 1},
                      {"serial_base", 2}, {"serial_baud", 4}, {"backup_start", 8}, {"backup_src_start", 8},
                      {"backup_src_size", 8}});
  CHECK(*p.get_symbol_value<uint16_t>("serial_base") == 0x3f8);
  CHECK(p.symbol_address("stack_end")->value() > base);

  // entry64_regs: all zero but rip, relocated to the halt loop; read, edit, write back.
  std::vector<uint8_t> regs(136);
  REQUIRE(!p.get_symbol("entry64_regs", regs));
  CHECK(quad_at(regs, 0x80) == p.symbol_address("purgatory_halt")->value());
  CHECK(std::all_of(regs.begin(), regs.begin() + 0x80, [](uint8_t b) { return b == 0; }));
  regs[0x20] = 0x90;  // rsi = 0x90000 (boot_params)
  regs[0x22] = 0x09;
  REQUIRE(!p.set_symbol("entry64_regs", regs));
  uint64_t at = p.symbol_address("entry64_regs")->value() - base;
  CHECK(quad_at(p.buf(), at + 0x20) == 0x090090);
}

TEST_CASE("purgatory real: the objects have no undefined symbols and keep the tunables out of .bss") {
  for (auto [path, arch] : {std::pair{KDSIM_PURGATORY_ARM64, Arch::Arm64}, std::pair{KDSIM_PURGATORY_X86_64, Arch::X86_64}}) {
    INFO(path);
    auto file = llvm::MemoryBuffer::getFile(path, false, false);
    REQUIRE(bool(file));
    auto elf = Elf::create((*file)->getBuffer());
    REQUIRE(bool(elf));
    auto sections = elf->sections();
    REQUIRE(bool(sections));
    for (const auto& sh : *sections) {
      if (sh.sh_type != llvm::ELF::SHT_SYMTAB) continue;
      auto syms = elf->symbols(&sh);
      REQUIRE(bool(syms));
      auto strtab = elf->getStringTableForSymtab(sh, *sections);
      REQUIRE(bool(strtab));
      for (const auto& sym : llvm::drop_begin(*syms)) {
        auto name = sym.getName(*strtab);
        REQUIRE(bool(name));
        INFO(name->str());
        CHECK(sym.st_shndx != llvm::ELF::SHN_UNDEF);
      }
    }
    PurgatoryImage image = load(path, arch);
    PlacedPurgatory p = place(image, 0x80000000);
    // A zero-size bss would not hold the stack; the tunables are settable (not NOBITS).
    CHECK(!p.set_symbol_value<int32_t>("skip_checks", 1));
    CHECK(*p.get_symbol_value<int32_t>("skip_checks") == 1);
  }
}

TEST_CASE("purgatory real: kdsim's own purgatories have every symbol kdsim sets") {
  for (auto [path, arch] : {std::pair{KDSIM_PURGATORY_ARM64, Arch::Arm64}, std::pair{KDSIM_PURGATORY_X86_64, Arch::X86_64}}) {
    INFO(path);
    PurgatoryImage image = load(path, arch);
    auto err = check_purgatory_abi(image);
    CHECK_MESSAGE(!err, llvm::toString(std::move(err)));
  }
}

namespace {

// Debian's kexec-tools binaries, as scripts/setup.sh leaves them (the host's installed, the
// other arch's unpacked from the .deb): build/debian-kexec/kexec-<arch>.
EmbeddedPurgatory debian_purgatory(Arch arch) {
  std::string path = fmt::format("{}/kexec-{}", KDSIM_DEBIAN_KEXEC_DIR, arch_name(arch));
  REQUIRE_MESSAGE(std::filesystem::exists(path), path << " is missing: scripts/setup.sh fetches Debian's kexec-tools");
  auto found = extract_purgatory_file(path, std::nullopt);  // the binary's own machine
  REQUIRE_MESSAGE(bool(found), llvm::toString(found.takeError()));
  CHECK(found->image.arch() == arch);
  // ld writes the section header table last: the object ends with it.
  const std::vector<uint8_t>& b = found->bytes;
  CHECK(quad_at(b, 0x28) + uint64_t(b[0x3c] | b[0x3d] << 8) * 64 == b.size());
  MESSAGE(fmt::format("{}: purgatory.ro at offset 0x{:x}, 0x{:x} bytes", path, found->offset, b.size()));
  return std::move(*found);
}

llvm::StringRef as_ref(const std::vector<uint8_t>& b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

std::string counts_text(const std::map<std::string, int>& counts) {
  std::string s;
  for (auto& [n, c] : counts) s += fmt::format("{} x{}, ", n, c);
  return s;
}

}  // namespace

TEST_CASE("purgatory real: Debian's arm64 kexec-tools purgatory, extracted, placed and relocated") {
  EmbeddedPurgatory found = debian_purgatory(Arch::Arm64);
  const PurgatoryImage& image = found.image;
  for (uint64_t base : {uint64_t(0x47f00000), uint64_t(0x800000000)}) {
    INFO(fmt::format("base 0x{:x}", base));
    PlacedPurgatory p = place(image, base);
    CHECK(*p.symbol_address("purgatory_start") == p.entry());
    auto counts = check_every_site(as_ref(found.bytes), Arch::Arm64, image, p);
    CHECK(counts["R_AARCH64_CALL26"] > 0);
    CHECK(counts["R_AARCH64_ADR_PREL_PG_HI21"] > 0);
    CHECK(counts["R_AARCH64_LD_PREL_LO19"] == 2);  // purgatory_start's two literal loads
    MESSAGE("Debian arm64 purgatory relocations: " << counts_text(counts));

    // kexec-tools' entry.S: adr x19, .Lstack; mov sp, x19; bl purgatory; ldr x17, arm64_kernel_entry;
    // ldr x0, arm64_dtb_addr; ...; br x17.
    const uint64_t entry = p.entry().value() - base;
    const auto& buf = p.buf();
    CHECK((word_at(buf, entry) & 0x9f00001f) == 0x10000013);  // adr x19
    CHECK(word_at(buf, entry + 4) == 0x9100027f);             // mov sp, x19
    uint32_t bl = word_at(buf, entry + 8);
    CHECK((bl & 0xfc000000) == 0x94000000);
    CHECK(base + entry + 8 + (sext(bl & 0x3ffffff, 26) << 2) == p.symbol_address("purgatory")->value());
    uint32_t ldr17 = word_at(buf, entry + 12);
    CHECK((ldr17 & 0xff00001f) == 0x58000011);
    CHECK(base + entry + 12 + (sext((ldr17 >> 5) & 0x7ffff, 19) << 2) ==
          p.symbol_address("arm64_kernel_entry")->value());

    check_symbol_sizes(p, image.name(), {kCommonSymbols[0], kCommonSymbols[1], kCommonSymbols[2],
                                         {"arm64_sink", 8}, {"arm64_kernel_entry", 8}, {"arm64_dtb_addr", 8}});
  }
}

TEST_CASE("purgatory real: Debian's x86_64 kexec-tools purgatory, extracted, placed below and above 4 GiB") {
  EmbeddedPurgatory found = debian_purgatory(Arch::X86_64);
  const PurgatoryImage& image = found.image;
  for (uint64_t base : {uint64_t(0x3f000000), uint64_t(0x100200000)}) {
    INFO(fmt::format("base 0x{:x}", base));
    PlacedPurgatory p = place(image, base);
    CHECK(*p.symbol_address("purgatory_start") == p.entry());
    auto counts = check_every_site(as_ref(found.bytes), Arch::X86_64, image, p);
    CHECK(counts["R_X86_64_64"] > 0);
    CHECK(counts["R_X86_64_PC32"] > 0);
    CHECK(counts.count("R_X86_64_32") == 0);  // nothing that would stop it above 4 GiB
    CHECK(counts.count("R_X86_64_32S") == 0);
    MESSAGE("Debian x86_64 purgatory relocations: " << counts_text(counts));

    // entry64_regs: every register 0, rip relocated to entry32 (kexec-tools' default).
    std::vector<uint8_t> regs(136);
    REQUIRE(!p.get_symbol("entry64_regs", regs));
    CHECK(quad_at(regs, 0x80) == p.symbol_address("entry32")->value());
    CHECK(std::all_of(regs.begin(), regs.begin() + 0x80, [](uint8_t b) { return b == 0; }));
    CHECK(*p.get_symbol_value<uint16_t>("serial_base") == 0x3f8);
    CHECK(p.symbol_address("stack_end")->value() > base);

    check_symbol_sizes(p, image.name(),
                       {kCommonSymbols[0], kCommonSymbols[1], kCommonSymbols[2], {"entry64_regs", 136},
                        {"cmdline_end", 8}, {"jump_back_entry", 8}, {"panic_kernel", 1}, {"reset_vga", 1},
                        {"console_vga", 1}, {"console_serial", 1}, {"serial_base", 2}, {"serial_baud", 4},
                        {"backup_start", 8}, {"backup_src_start", 8}, {"backup_src_size", 8}});
  }
}

TEST_CASE("purgatory real: kdsim's purgatories name a PC's source line; Debian's have no DWARF") {
  for (auto [path, arch, entry_file] :
       {std::tuple{KDSIM_PURGATORY_ARM64, Arch::Arm64, "kernels/purgatory/arch/arm64/entry.S:"},
        std::tuple{KDSIM_PURGATORY_X86_64, Arch::X86_64, "kernels/purgatory/arch/x86_64/setup-x86_64.S:"}}) {
    INFO(path);
    PlacedPurgatory p = place(load(path, arch), 0x7ff00000);
    // The assembler entry, and C code in another section of the object: each query carries its
    // section, so the same offset in two sections is not confused.
    CHECK(p.source_line(p.entry()).value_or("").starts_with(entry_file));
    const PhysAddr update = *p.symbol_address("sha256_update");
    CHECK(p.source_line(update).value_or("").starts_with("kernels/purgatory/sha256.c:"));
    const PhysAddr verify = *p.symbol_address("purgatory");
    CHECK(p.source_line(PhysAddr(verify.value() + 8)).value_or("").starts_with("kernels/purgatory/purgatory.c:"));
    CHECK_FALSE(p.source_line(PhysAddr(p.base().value() + p.memsz())));  // past the segment
  }
  for (Arch arch : {Arch::Arm64, Arch::X86_64}) {
    EmbeddedPurgatory found = debian_purgatory(arch);
    PlacedPurgatory p = place(found.image, 0x7ff00000);
    CHECK_FALSE(p.source_line(p.entry()));
    CHECK(p.symbolize(p.entry()).value_or("").starts_with("purgatory_start+0x0"));
  }
}
