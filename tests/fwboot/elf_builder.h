// Builds small ELF64 images in memory for the loader tests: an Elf64_Ehdr, the program headers,
// each payload at its own 4 KiB-aligned file offset, and optionally a .symtab/.strtab pair.
// Every header field can be overridden so a test can break exactly one thing.
#pragma once
#include <cstdint>
#include <cstring>
#include <optional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace kdsim::test {

inline constexpr uint16_t kEtExec = 2, kEtRel = 1;
inline constexpr uint16_t kEmX86_64 = 62, kEmAarch64 = 183;
inline constexpr uint32_t kPtLoad = 1, kPtNote = 4;
inline constexpr uint32_t kPfX = 1, kPfW = 2, kPfR = 4;

struct TestSegment {
  uint32_t type = kPtLoad;
  uint32_t flags = kPfR | kPfX;
  uint64_t vaddr = 0;
  uint64_t paddr = 0;
  std::vector<uint8_t> payload;
  std::optional<uint64_t> memsz;   // default: payload size
  std::optional<uint64_t> filesz;  // default: payload size
  std::optional<uint64_t> offset;  // default: next 4 KiB boundary
};

struct TestElf {
  uint8_t ei_class = 2;  // ELFCLASS64
  uint8_t ei_data = 1;   // ELFDATA2LSB
  uint16_t type = kEtExec;
  uint16_t machine = kEmAarch64;
  uint64_t entry = 0;
  std::optional<uint64_t> phoff;     // default 0x40, right after the header
  std::optional<uint16_t> phnum;     // default: segments.size()
  uint16_t phentsize = 56;
  std::vector<TestSegment> segments;
  std::vector<std::pair<std::string, uint64_t>> symbols;  // global functions, st_shndx = 1
  std::map<std::string, uint64_t> symbol_sizes;            // st_size per name (default 0)

  std::vector<uint8_t> build() const {
    std::vector<uint8_t> out(0x40 + 56 * segments.size(), 0);
    std::vector<uint64_t> offsets;
    for (const TestSegment& s : segments) {
      uint64_t off = (out.size() + 0xfff) & ~uint64_t(0xfff);
      out.resize(off + s.payload.size(), 0);
      std::memcpy(out.data() + off, s.payload.data(), s.payload.size());
      offsets.push_back(s.offset.value_or(off));
    }
    uint64_t shoff = 0;
    uint16_t shnum = 0;
    if (!symbols.empty()) std::tie(shoff, shnum) = append_symbols(out);

    std::memcpy(out.data(), "\x7f" "ELF", 4);
    out[4] = ei_class;
    out[5] = ei_data;
    out[6] = 1;  // EV_CURRENT
    put(out, 0x10, type, 2);
    put(out, 0x12, machine, 2);
    put(out, 0x14, 1, 4);  // e_version
    put(out, 0x18, entry, 8);
    put(out, 0x20, phoff.value_or(0x40), 8);
    put(out, 0x28, shoff, 8);
    put(out, 0x34, 0x40, 2);  // e_ehsize
    put(out, 0x36, phentsize, 2);
    put(out, 0x38, phnum.value_or(static_cast<uint16_t>(segments.size())), 2);
    put(out, 0x3a, 64, 2);  // e_shentsize
    put(out, 0x3c, shnum, 2);
    for (size_t i = 0; i < segments.size(); ++i) {
      const TestSegment& s = segments[i];
      size_t at = 0x40 + 56 * i;
      put(out, at + 0x00, s.type, 4);
      put(out, at + 0x04, s.flags, 4);
      put(out, at + 0x08, offsets[i], 8);
      put(out, at + 0x10, s.vaddr, 8);
      put(out, at + 0x18, s.paddr, 8);
      put(out, at + 0x20, s.filesz.value_or(s.payload.size()), 8);
      put(out, at + 0x28, s.memsz.value_or(s.payload.size()), 8);
      put(out, at + 0x30, 0x1000, 8);  // p_align
    }
    return out;
  }

  static void put(std::vector<uint8_t>& out, size_t at, uint64_t v, unsigned n) {
    for (unsigned i = 0; i < n; ++i) out[at + i] = static_cast<uint8_t>(v >> (8 * i));
  }

private:
  // Sections: [0] null, [1] .symtab (sh_link 2), [2] .strtab. Returns {e_shoff, e_shnum}.
  std::pair<uint64_t, uint16_t> append_symbols(std::vector<uint8_t>& out) const {
    std::string strtab(1, '\0');
    std::vector<uint8_t> symtab(24, 0);  // symbol 0 is null
    for (const auto& [name, value] : symbols) {
      size_t at = symtab.size();
      symtab.resize(at + 24, 0);
      put(symtab, at + 0, strtab.size(), 4);  // st_name
      symtab[at + 4] = (1 << 4) | 2;          // STB_GLOBAL, STT_FUNC
      put(symtab, at + 6, 1, 2);              // st_shndx
      put(symtab, at + 8, value, 8);
      if (auto it = symbol_sizes.find(name); it != symbol_sizes.end()) put(symtab, at + 16, it->second, 8);
      strtab += name;
      strtab += '\0';
    }
    auto append = [&](const void* p, size_t n) {
      uint64_t off = (out.size() + 7) & ~uint64_t(7);
      out.resize(off + n, 0);
      std::memcpy(out.data() + off, p, n);
      return off;
    };
    uint64_t symoff = append(symtab.data(), symtab.size());
    uint64_t stroff = append(strtab.data(), strtab.size());
    std::vector<uint8_t> sh(3 * 64, 0);
    put(sh, 64 + 0x04, 2, 4);  // SHT_SYMTAB
    put(sh, 64 + 0x18, symoff, 8);
    put(sh, 64 + 0x20, symtab.size(), 8);
    put(sh, 64 + 0x28, 2, 4);   // sh_link -> .strtab
    put(sh, 64 + 0x2c, 1, 4);   // sh_info: first non-local symbol
    put(sh, 64 + 0x38, 24, 8);  // sh_entsize
    put(sh, 128 + 0x04, 3, 4);  // SHT_STRTAB
    put(sh, 128 + 0x18, stroff, 8);
    put(sh, 128 + 0x20, strtab.size(), 8);
    return {append(sh.data(), sh.size()), 3};
  }
};

}  // namespace kdsim::test
