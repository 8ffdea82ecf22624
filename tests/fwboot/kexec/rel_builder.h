// Builds small ELF64 relocatable objects (ET_REL) in memory for the purgatory loader tests:
// section [0] is null, the test's sections follow as [1..n], then one .rela.<name> per section
// that has relocations, .symtab, .strtab and .shstrtab. Every field a check looks at can be
// overridden, so a test can break exactly one thing.
#pragma once
#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace kdsim::test {

inline constexpr uint32_t kShtProgbits = 1, kShtSymtab = 2, kShtStrtab = 3, kShtRela = 4, kShtNobits = 8,
                          kShtRel = 9;
inline constexpr uint64_t kShfWrite = 1, kShfAlloc = 2, kShfExec = 4;
inline constexpr uint8_t kStbLocal = 0, kStbGlobal = 1, kStbWeak = 2;
inline constexpr uint8_t kSttNotype = 0, kSttObject = 1, kSttFunc = 2, kSttSection = 3;
inline constexpr uint16_t kShnUndef = 0, kShnAbs = 0xfff1, kShnCommon = 0xfff2;

struct RelSection {
  std::string name;
  uint32_t type = kShtProgbits;
  uint64_t flags = kShfAlloc;
  uint64_t align = 1;
  std::vector<uint8_t> data;  // contents (ignored for NOBITS)
  uint64_t nobits_size = 0;   // sh_size of a NOBITS section
};

struct RelSymbol {
  std::string name;
  uint64_t value = 0;
  uint64_t size = 0;
  uint16_t shndx = 1;
  uint8_t bind = kStbGlobal;
  uint8_t type = kSttObject;
};

struct RelReloc {
  unsigned target = 1;  // section index (1-based, as in the output)
  uint64_t offset = 0;
  uint32_t type = 0;
  uint32_t sym = 0;  // symbol index (1-based; 0 is the null symbol)
  int64_t addend = 0;
};

struct TestRel {
  uint8_t ei_class = 2, ei_data = 1;
  uint16_t type = 1;  // ET_REL
  uint16_t machine = 183;
  uint64_t entry = 0;
  bool section_headers = true;
  bool use_rel = false;  // SHT_REL (no addends) instead of SHT_RELA
  std::vector<RelSection> sections;
  std::vector<RelSymbol> symbols;
  std::vector<RelReloc> relocs;

  static void put(std::vector<uint8_t>& out, size_t at, uint64_t v, unsigned n) {
    for (unsigned i = 0; i < n; ++i) out[at + i] = static_cast<uint8_t>(v >> (8 * i));
  }

  std::vector<uint8_t> build() const {
    struct Sh {
      uint32_t name = 0, type = 0;
      uint64_t flags = 0, offset = 0, size = 0;
      uint32_t link = 0, info = 0;
      uint64_t align = 1, entsize = 0;
    };
    std::vector<uint8_t> out(64, 0);
    std::string shstr(1, '\0');
    auto name_of = [&](const std::string& n) {
      uint32_t at = static_cast<uint32_t>(shstr.size());
      shstr += n;
      shstr += '\0';
      return at;
    };
    auto append = [&](const void* p, size_t n, size_t align) {
      uint64_t off = (out.size() + align - 1) & ~uint64_t(align - 1);
      out.resize(off + n, 0);
      if (n) std::memcpy(out.data() + off, p, n);
      return off;
    };
    std::vector<Sh> shdrs(1);
    for (const RelSection& s : sections) {
      Sh sh{.name = name_of(s.name), .type = s.type, .flags = s.flags, .align = s.align};
      if (s.type == kShtNobits) {
        sh.offset = out.size();
        sh.size = s.nobits_size;
      } else {
        sh.offset = append(s.data.data(), s.data.size(), 16);
        sh.size = s.data.size();
      }
      shdrs.push_back(sh);
    }
    const uint32_t symtab_index = static_cast<uint32_t>(shdrs.size() + count_rela_sections());
    std::map<unsigned, std::vector<RelReloc>> by_target;
    for (const RelReloc& r : relocs) by_target[r.target].push_back(r);
    for (const auto& [target, list] : by_target) {
      size_t ent = use_rel ? 16 : 24;
      std::vector<uint8_t> bytes(list.size() * ent, 0);
      for (size_t i = 0; i < list.size(); ++i) {
        put(bytes, i * ent, list[i].offset, 8);
        put(bytes, i * ent + 8, (uint64_t(list[i].sym) << 32) | list[i].type, 8);
        if (!use_rel) put(bytes, i * ent + 16, static_cast<uint64_t>(list[i].addend), 8);
      }
      std::string tname = target < shdrs.size() ? sections[target - 1].name : "bad";
      shdrs.push_back({.name = name_of((use_rel ? ".rel" : ".rela") + tname), .type = use_rel ? kShtRel : kShtRela,
                       .offset = append(bytes.data(), bytes.size(), 8), .size = bytes.size(),
                       .link = symtab_index, .info = target, .align = 8, .entsize = ent});
    }
    std::string strtab(1, '\0');
    std::vector<uint8_t> symtab(24, 0);
    for (const RelSymbol& s : symbols) {
      size_t at = symtab.size();
      symtab.resize(at + 24, 0);
      put(symtab, at + 0, s.name.empty() ? 0 : strtab.size(), 4);
      symtab[at + 4] = static_cast<uint8_t>((s.bind << 4) | s.type);
      put(symtab, at + 6, s.shndx, 2);
      put(symtab, at + 8, s.value, 8);
      put(symtab, at + 16, s.size, 8);
      if (!s.name.empty()) {
        strtab += s.name;
        strtab += '\0';
      }
    }
    shdrs.push_back({.name = name_of(".symtab"), .type = kShtSymtab, .offset = append(symtab.data(), symtab.size(), 8),
                     .size = symtab.size(), .link = symtab_index + 1, .info = 1, .align = 8, .entsize = 24});
    shdrs.push_back({.name = name_of(".strtab"), .type = kShtStrtab,
                     .offset = append(strtab.data(), strtab.size(), 1), .size = strtab.size()});
    uint32_t shstr_name = name_of(".shstrtab");
    shdrs.push_back({.name = shstr_name, .type = kShtStrtab, .offset = append(shstr.data(), shstr.size(), 1),
                     .size = shstr.size()});
    std::vector<uint8_t> table(shdrs.size() * 64, 0);
    for (size_t i = 0; i < shdrs.size(); ++i) {
      const Sh& sh = shdrs[i];
      size_t at = i * 64;
      put(table, at + 0x00, sh.name, 4);
      put(table, at + 0x04, sh.type, 4);
      put(table, at + 0x08, sh.flags, 8);
      put(table, at + 0x18, sh.offset, 8);
      put(table, at + 0x20, sh.size, 8);
      put(table, at + 0x28, sh.link, 4);
      put(table, at + 0x2c, sh.info, 4);
      put(table, at + 0x30, sh.align, 8);
      put(table, at + 0x38, sh.entsize, 8);
    }
    uint64_t shoff = append(table.data(), table.size(), 8);

    std::memcpy(out.data(), "\x7f" "ELF", 4);
    out[4] = ei_class;
    out[5] = ei_data;
    out[6] = 1;
    put(out, 0x10, type, 2);
    put(out, 0x12, machine, 2);
    put(out, 0x14, 1, 4);
    put(out, 0x18, entry, 8);
    put(out, 0x28, section_headers ? shoff : 0, 8);
    put(out, 0x34, 64, 2);
    put(out, 0x3a, 64, 2);
    put(out, 0x3c, section_headers ? shdrs.size() : 0, 2);
    put(out, 0x3e, section_headers ? shdrs.size() - 1 : 0, 2);
    return out;
  }

private:
  size_t count_rela_sections() const {
    std::map<unsigned, int> targets;
    for (const RelReloc& r : relocs) targets[r.target] = 1;
    return targets.size();
  }
};

inline std::vector<uint8_t> le32(uint32_t w) {
  return {uint8_t(w), uint8_t(w >> 8), uint8_t(w >> 16), uint8_t(w >> 24)};
}

}  // namespace kdsim::test
