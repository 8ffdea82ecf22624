// The purgatory relocatable object (purgatory.ro, ET_REL), loaded the way kexec-tools loads it
// (kexec/kexec-elf-rel.c elf_rel_load, kexec-tools-purgatory.md section 4), so that kdsim's own
// purgatory (kernels/purgatory/) and an unmodified kexec-tools purgatory.ro behave the same:
//
//   create()  parses and checks the file once (ET_REL, e_machine, sections, symbols and
//             every relocation's type and bounds) and computes the layout: SHF_ALLOC
//             non-NOBITS sections packed in section-header order, each at its own alignment,
//             then the NOBITS sections after padding to their alignment. Nothing is merged or
//             rewritten (.rodata.str*, .eh_frame and build-id notes are copied verbatim).
//   place()   gives every allocated section its address at `base`, copies the pristine section
//             bytes and applies every relocation whose target section is allocated
//             (purgatory_reloc.h). Placing twice from the same image is fine: each placement
//             starts again from the file bytes.
//   PlacedPurgatory::set_symbol / get_symbol  follow elf_rel_set_symbol / elf_rel_get_symbol:
//             first STB_GLOBAL symbol of that name, st_size equal to the value size exactly,
//             not in a NOBITS section. Set symbols after placing (relocation would overwrite
//             them otherwise, as in kexec-tools).
//
// Every error starts with the file name and names the section (index and name), offsets and
// values in hex.
#pragma once
#include "firmware-less-boot/kexec/kexec_segment.h"
#include "machine/addr.h"
#include "machine/cpu.h"
#include <llvm/Support/Error.h>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace kdsim {

// One section header of the object (every section, allocated or not).
struct PurgatorySection {
  unsigned index = 0;  // section header index
  std::string name;
  uint32_t type = 0;   // sh_type
  uint64_t flags = 0;  // sh_flags
  uint64_t size = 0;
  uint64_t align = 1;  // sh_addralign, 0 counted as 1
  uint64_t file_offset = 0;
  // Offset from the segment base once placed (SHF_ALLOC sections only).
  std::optional<uint64_t> image_offset;

  bool allocated() const;
  bool nobits() const;
};

struct PurgatorySymbol {
  std::string name;
  uint64_t value = 0;  // st_value (section-relative)
  uint64_t size = 0;   // st_size
  uint16_t shndx = 0;
  uint8_t binding = 0;  // STB_*
  uint8_t type = 0;     // STT_*
};

struct PurgatoryRelocation {
  unsigned target = 0;  // section index the relocation patches
  unsigned rel_section = 0;  // the SHT_RELA / SHT_REL section it comes from
  uint64_t offset = 0;  // r_offset
  uint32_t type = 0;
  unsigned symtab = 0;  // the symbol table (rel_section's sh_link)
  uint32_t symbol = 0;  // index into it
  int64_t addend = 0;   // 0 for SHT_REL
};

class PlacedPurgatory;

class PurgatoryImage {
public:
  static llvm::Expected<PurgatoryImage> create(std::string path, Arch arch);
  // Same checks over bytes in memory; `name` prefixes every error (tests use this).
  static llvm::Expected<PurgatoryImage> create_from_bytes(std::string name, std::vector<uint8_t> bytes, Arch arch);

  const std::string& name() const;
  Arch arch() const;
  const std::vector<PurgatorySection>& sections() const;
  // Bytes copied to memory (the segment's buf): the packed non-NOBITS allocated sections.
  uint64_t bufsz() const;
  // Buffer + bss padding + bss, rounded up to a page: the segment's memsz (add_buffer).
  uint64_t memsz() const;
  // The segment alignment: the largest section alignment, at least a page.
  uint64_t alignment() const;
  // Offset of the entry point from the base (entry section's offset + e_entry within it).
  uint64_t entry_offset() const;

  // Lays the object out at `base` (must be a multiple of alignment()) and relocates it.
  llvm::Expected<PlacedPurgatory> place(PhysAddr base) const;

  struct Parsed;  // the checked contents of the file (purgatory_image.cpp)

private:
  explicit PurgatoryImage(std::shared_ptr<const Parsed> parsed) : m_parsed(std::move(parsed)) {}
  std::shared_ptr<const Parsed> m_parsed;
};

class PlacedPurgatory {
public:
  PhysAddr base() const { return m_base; }
  PhysAddr entry() const { return m_entry; }
  const std::vector<uint8_t>& buf() const { return m_buf; }
  uint64_t memsz() const;
  uint64_t alignment() const;
  // Address of an allocated section once placed (by header index).
  std::optional<PhysAddr> section_address(unsigned index) const;

  // elf_rel_set_symbol: errors (after "<file>: "), as kexec-tools words them:
  //   "Symbol: <name> not found cannot set"
  //   "Symbol: <name> has size: <st_size> not <value size>"
  //   "Symbol: <name> is in a bss section cannot set"
  //   "Symbol: <name> has Bad section index <shndx>"    (undefined or reserved index)
  llvm::Error set_symbol(std::string_view name, std::span<const uint8_t> value);
  // elf_rel_get_symbol: same checks ("cannot get" in the texts), copies out.size() bytes.
  llvm::Error get_symbol(std::string_view name, std::span<uint8_t> out) const;
  // elf_rel_get_addr: section address + st_value ("Symbol: <name> not found cannot retrive it's
  // address", kexec-tools' spelling). Works for any section, NOBITS included.
  llvm::Expected<PhysAddr> symbol_address(std::string_view name) const;

  // Little-endian scalar helpers over set_symbol/get_symbol (size = sizeof(T)).
  template <typename T> llvm::Error set_symbol_value(std::string_view name, T value) {
    static_assert(std::is_trivially_copyable_v<T>);
    uint8_t bytes[sizeof(T)];
    std::memcpy(bytes, &value, sizeof(T));  // kdsim hosts are little-endian, as both guests
    return set_symbol(name, bytes);
  }
  template <typename T> llvm::Expected<T> get_symbol_value(std::string_view name) const {
    static_assert(std::is_trivially_copyable_v<T>);
    uint8_t bytes[sizeof(T)];
    if (auto err = get_symbol(name, bytes)) return err;
    T value;
    std::memcpy(&value, bytes, sizeof(T));
    return value;
  }

  // The code symbol holding `pc`, as Linux's %pS prints it: "name+0xoff/0xsize", or
  // "name+0xoff" for an assembler label without a size (kexec-tools' entry code has those).
  std::optional<std::string> symbolize(PhysAddr pc) const;
  // "kernels/purgatory/sha256.c:97" for `pc`, from the object's DWARF when it has any (kdsim's
  // purgatory.ro is built with -g; kexec-tools' has none): dwarf_lines.h.
  std::optional<std::string> source_line(PhysAddr pc) const;

  // The segment kexec_load gets: buf (bufsz bytes), mem = base, memsz.
  KexecSegment segment(std::string what = "purgatory") const;

private:
  friend class PurgatoryImage;
  PlacedPurgatory() = default;
  // The symbol and the offset of its bytes in m_buf, after the checks shared by set and get.
  llvm::Expected<uint64_t> symbol_bytes(std::string_view name, uint64_t size, const char* verb) const;

  std::shared_ptr<const PurgatoryImage::Parsed> m_parsed;
  PhysAddr m_base;
  PhysAddr m_entry;
  std::vector<uint8_t> m_buf;
};

}  // namespace kdsim
