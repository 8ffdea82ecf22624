#include "machine/host_file.h"
#include "firmware-less-boot/kexec/purgatory_image.h"
#include "firmware-less-boot/elf_names.h"
#include "firmware-less-boot/kexec/purgatory_reloc.h"
#include "firmware-less-boot/dwarf_lines.h"
#include "machine/error.h"
#include <llvm/Object/ELF.h>
#include <llvm/Support/MemoryBuffer.h>
#include <algorithm>

namespace kdsim {

namespace {

using Elf = llvm::object::ELF64LEFile;
using Shdr = llvm::object::ELF64LE::Shdr;
namespace ELF = llvm::ELF;

uint64_t align_up(uint64_t v, uint64_t align) { return (v + align - 1) & ~(align - 1); }
bool is_pow2(uint64_t v) { return v != 0 && (v & (v - 1)) == 0; }
std::string str(llvm::StringRef s) { return std::string(s.data(), s.size()); }

std::string section_label(const PurgatorySection& s) { return fmt::format("section {} ({})", s.index, s.name); }

}  // namespace

struct PurgatoryImage::Parsed {
  std::string name;
  Arch arch = Arch::Arm64;
  std::vector<uint8_t> file;
  std::unique_ptr<DwarfLines> lines;  // over `file`, so declared after it
  std::vector<PurgatorySection> sections;
  // Symbols of each SHT_SYMTAB section, indexed by section index (empty for other sections).
  std::vector<std::vector<PurgatorySymbol>> symtabs;
  std::vector<PurgatoryRelocation> relocs;  // only those whose target section is allocated
  uint64_t bufsz = 0;
  uint64_t memsz = 0;  // page-rounded
  uint64_t align = kKexecPageSize;
  uint64_t entry_offset = 0;

  std::string symbol_label(unsigned symtab, uint32_t index) const {
    const PurgatorySymbol& sym = symtabs[symtab][index];
    if (!sym.name.empty()) return fmt::format("'{}'", sym.name);
    if (sym.shndx != ELF::SHN_UNDEF && sym.shndx < sections.size())
      return fmt::format("'{}' (section symbol)", sections[sym.shndx].name);
    return fmt::format("symbol {}", index);
  }
};

bool PurgatorySection::allocated() const { return (flags & ELF::SHF_ALLOC) != 0; }
bool PurgatorySection::nobits() const { return type == ELF::SHT_NOBITS; }

namespace {

using Parsed = PurgatoryImage::Parsed;

// Stage 1: e_ident, before libObject sees the file, so each refusal gets its own message.
llvm::Error check_ident(const std::string& name, const std::vector<uint8_t>& file) {
  if (file.size() < 4 || std::memcmp(file.data(), ELF::ElfMagic, 4) != 0)
    return make_error("{}: not an ELF file", name);
  if (file.size() < sizeof(Elf::Elf_Ehdr))
    return make_error("{}: file is 0x{:x} bytes, too short for an ELF64 header (0x{:x} bytes)", name, file.size(),
                      sizeof(Elf::Elf_Ehdr));
  if (file[ELF::EI_CLASS] != ELF::ELFCLASS64)
    return make_error("{}: EI_CLASS is {} but a purgatory must be ELFCLASS64 (2)", name, file[ELF::EI_CLASS]);
  if (file[ELF::EI_DATA] != ELF::ELFDATA2LSB)
    return make_error("{}: EI_DATA is {} but a purgatory must be ELFDATA2LSB (1, little-endian)", name,
                      file[ELF::EI_DATA]);
  return llvm::Error::success();
}

// Stage 2: what kexec-tools' build_elf_rel_info and machine_verify_elf_rel check.
llvm::Error check_header(const std::string& name, const Elf& elf, Arch arch) {
  const auto& eh = elf.getHeader();
  if (eh.e_type != ELF::ET_REL)
    return make_error("{}: e_type is {} but a purgatory must be ET_REL (1)", name, elf::type_name(eh.e_type));
  uint16_t want = elf::machine_for(arch);
  if (eh.e_machine != want)
    return make_error("{}: e_machine is {} but the machine is {} ({}, {})", name, elf::machine_name(eh.e_machine),
                      arch_name(arch), elf::machine_symbol(want), want);
  if (eh.e_shoff == 0)
    return make_error("{}: no section headers (e_shoff is 0)", name);
  return llvm::Error::success();
}

// Stage 3: the section table, names, alignments and file ranges.
llvm::Error read_sections(Parsed& p, const Elf& elf) {
  auto sections = elf.sections();
  if (!sections) return make_error("{}: section headers: {}", p.name, llvm::toString(sections.takeError()));
  if (sections->empty()) return make_error("{}: no section headers (e_shnum is 0)", p.name);
  unsigned index = 0;
  for (const Shdr& sh : *sections) {
    PurgatorySection s;
    s.index = index++;
    auto sec_name = elf.getSectionName(sh);
    if (!sec_name) return make_error("{}: section {}: name: {}", p.name, s.index, llvm::toString(sec_name.takeError()));
    s.name = str(*sec_name);
    s.type = sh.sh_type;
    s.flags = sh.sh_flags;
    s.size = sh.sh_size;
    s.align = sh.sh_addralign == 0 ? 1 : sh.sh_addralign;
    s.file_offset = sh.sh_offset;
    if (s.allocated() && !is_pow2(s.align))
      return make_error("{}: {}: sh_addralign 0x{:x} is not a power of two", p.name, section_label(s), s.align);
    if (s.type != ELF::SHT_NOBITS && s.type != ELF::SHT_NULL) {
      uint64_t end = s.file_offset + s.size;
      if (end < s.file_offset || end > p.file.size())
        return make_error("{}: {}: contents [0x{:x}, +0x{:x}) run past the end of the file (0x{:x} bytes)", p.name,
                          section_label(s), s.file_offset, s.size, p.file.size());
    }
    p.sections.push_back(std::move(s));
  }
  return llvm::Error::success();
}

// Stage 4: elf_rel_load's two passes, as offsets from the base (kexec-tools-purgatory.md 4.2).
llvm::Error lay_out(Parsed& p) {
  uint64_t bufsz = 0, bsssz = 0, buf_align = 1, bss_align = 1;
  for (const PurgatorySection& s : p.sections) {
    if (!s.allocated()) continue;
    uint64_t& size = s.nobits() ? bsssz : bufsz;
    uint64_t& align = s.nobits() ? bss_align : buf_align;
    size = align_up(size, s.align) + s.size;
    align = std::max(align, s.align);
    if (size < s.size || size > (uint64_t(1) << 40))
      return make_error("{}: {}: the allocated sections add up to more than 1 TiB", p.name, section_label(s));
  }
  uint64_t bss_pad = (bufsz % bss_align) == 0 ? 0 : bss_align - bufsz % bss_align;
  uint64_t data_at = 0, bss_at = bufsz + bss_pad;
  for (PurgatorySection& s : p.sections) {
    if (!s.allocated()) continue;
    uint64_t& at = s.nobits() ? bss_at : data_at;
    at = align_up(at, s.align);
    s.image_offset = at;
    at += s.size;
  }
  p.bufsz = bufsz;
  p.align = std::max({buf_align, bss_align, kKexecPageSize});
  p.memsz = align_up(bufsz + bss_pad + bsssz, kKexecPageSize);
  return llvm::Error::success();
}

// Stage 5: the entry section is the first ALLOC+EXECINSTR one whose [sh_addr, +size) holds
// e_entry; sh_addr is 0 in ET_REL, so e_entry is an offset into it.
llvm::Error find_entry(Parsed& p, const Elf& elf) {
  uint64_t entry = elf.getHeader().e_entry;
  auto sections = elf.sections();
  if (!sections) return sections.takeError();
  for (const PurgatorySection& s : p.sections) {
    if (!s.allocated() || (s.flags & ELF::SHF_EXECINSTR) == 0) continue;
    uint64_t addr = (*sections)[s.index].sh_addr;
    if (entry >= addr && entry - addr < s.size) {
      p.entry_offset = *s.image_offset + (entry - addr);
      return llvm::Error::success();
    }
  }
  return make_error("{}: e_entry 0x{:x} lies in no allocated executable section", p.name, entry);
}

// Stage 6: every SHT_SYMTAB (kexec-tools searches them all, in header order).
llvm::Error read_symbols(Parsed& p, const Elf& elf) {
  auto sections = elf.sections();
  if (!sections) return sections.takeError();
  p.symtabs.resize(p.sections.size());
  for (const PurgatorySection& s : p.sections) {
    if (s.type != ELF::SHT_SYMTAB) continue;
    const Shdr& sh = (*sections)[s.index];
    auto syms = elf.symbols(&sh);
    if (!syms) return make_error("{}: {}: {}", p.name, section_label(s), llvm::toString(syms.takeError()));
    auto strtab = elf.getStringTableForSymtab(sh, *sections);
    if (!strtab) return make_error("{}: {}: {}", p.name, section_label(s), llvm::toString(strtab.takeError()));
    uint32_t i = 0;
    for (const auto& sym : *syms) {
      auto sym_name = sym.getName(*strtab);
      if (!sym_name)
        return make_error("{}: {}: symbol {}: {}", p.name, section_label(s), i, llvm::toString(sym_name.takeError()));
      p.symtabs[s.index].push_back({.name = str(*sym_name),
                                    .value = sym.st_value,
                                    .size = sym.st_size,
                                    .shndx = sym.st_shndx,
                                    .binding = sym.getBinding(),
                                    .type = sym.getType()});
      ++i;
    }
  }
  return llvm::Error::success();
}

// One relocation's symbol, checked as elf_rel_load resolves it (section 4.3): undefined is
// fatal unless STT_NOTYPE (it then counts as 0), COMMON is fatal, an index past e_shnum is
// fatal, SHN_ABS has base 0.
llvm::Error check_reloc_symbol(const Parsed& p, unsigned symtab, const PurgatoryRelocation& r,
                               const std::string& where) {
  const std::vector<PurgatorySymbol>& syms = p.symtabs[symtab];
  if (r.symbol >= syms.size())
    return make_error("{}: symbol index {} is past the end of {} ({} symbols)", where, r.symbol,
                      section_label(p.sections[symtab]), syms.size());
  const PurgatorySymbol& sym = syms[r.symbol];
  std::string label = p.symbol_label(symtab, r.symbol);
  if (sym.shndx == ELF::SHN_UNDEF) {
    if (sym.type != ELF::STT_NOTYPE) return make_error("{}: Undefined symbol: {}", where, label);
    return llvm::Error::success();
  }
  if (sym.shndx == ELF::SHN_COMMON) return make_error("{}: symbol: {} in common section", where, label);
  if (sym.shndx == ELF::SHN_ABS) return llvm::Error::success();
  if (sym.shndx >= p.sections.size())
    return make_error("{}: Invalid section: {} for symbol {}", where, sym.shndx, label);
  return llvm::Error::success();
}

// Stage 7: every SHT_RELA/SHT_REL section whose target is allocated; types and bounds are
// checked here so that place() only fails on values (ranges, alignment).
template <typename Range>
llvm::Error read_reloc_entries(Parsed& p, const PurgatorySection& rs, const PurgatorySection& target,
                               unsigned symtab, const Range& entries) {
  for (const auto& e : entries) {
    PurgatoryRelocation r;
    r.target = target.index;
    r.rel_section = rs.index;
    r.symtab = symtab;
    r.offset = e.r_offset;
    r.type = e.getType(false);
    r.symbol = e.getSymbol(false);
    if constexpr (requires { e.r_addend; }) r.addend = static_cast<int64_t>(e.r_addend);
    std::string where = fmt::format("{}: {} offset 0x{:x}", p.name, section_label(target), r.offset);
    const reloc::RelocTypeInfo* info = reloc::find_reloc_type(p.arch, r.type);
    if (info == nullptr)
      return make_error("{}: unhandled relocation {} (in {})", where, reloc::reloc_type_name(p.arch, r.type),
                        section_label(rs));
    if (r.offset > target.size || target.size - r.offset < info->width)
      return make_error("{}: {} patches 0x{:x} bytes past the end of the section (size 0x{:x})", where, info->name,
                        info->width, target.size);
    if (auto err = check_reloc_symbol(p, symtab, r, where)) return err;
    p.relocs.push_back(r);
  }
  return llvm::Error::success();
}

llvm::Error read_relocations(Parsed& p, const Elf& elf) {
  auto sections = elf.sections();
  if (!sections) return sections.takeError();
  for (const PurgatorySection& rs : p.sections) {
    if (rs.type != ELF::SHT_RELA && rs.type != ELF::SHT_REL) continue;
    const Shdr& sh = (*sections)[rs.index];
    if (sh.sh_info >= p.sections.size())
      return make_error("{}: {}: sh_info {} is not a section index", p.name, section_label(rs), uint32_t(sh.sh_info));
    const PurgatorySection& target = p.sections[sh.sh_info];
    if (!target.allocated()) continue;  // .rela.debug_*, .rela.comment: never loaded
    // NOBITS has no file bytes to patch: its image is zeroes placed after the buffer.
    if (target.nobits())
      return make_error("{}: {}: relocates {}, which is NOBITS (no bytes in the file to patch)", p.name,
                        section_label(rs), section_label(target));
    if (sh.sh_link >= p.sections.size() || p.sections[sh.sh_link].type != ELF::SHT_SYMTAB)
      return make_error("{}: {}: sh_link {} is not a symbol table", p.name, section_label(rs), uint32_t(sh.sh_link));
    if (rs.type == ELF::SHT_RELA) {
      auto entries = elf.relas(sh);
      if (!entries) return make_error("{}: {}: {}", p.name, section_label(rs), llvm::toString(entries.takeError()));
      if (auto err = read_reloc_entries(p, rs, target, sh.sh_link, *entries)) return err;
    } else {
      auto entries = elf.rels(sh);
      if (!entries) return make_error("{}: {}: {}", p.name, section_label(rs), llvm::toString(entries.takeError()));
      if (auto err = read_reloc_entries(p, rs, target, sh.sh_link, *entries)) return err;
    }
  }
  return llvm::Error::success();
}

}  // namespace

llvm::Expected<PurgatoryImage> PurgatoryImage::create(std::string path, Arch arch) {
  if (auto err = check_input_file(path, kMaxPurgatoryBytes, "purgatory")) return err;
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!buffer) return make_error("{}: cannot read: {}", path, buffer.getError().message());
  const auto* begin = reinterpret_cast<const uint8_t*>((*buffer)->getBufferStart());
  return create_from_bytes(std::move(path), std::vector<uint8_t>(begin, begin + (*buffer)->getBufferSize()), arch);
}

llvm::Expected<PurgatoryImage> PurgatoryImage::create_from_bytes(std::string name, std::vector<uint8_t> bytes,
                                                                 Arch arch) {
  if (auto err = check_ident(name, bytes)) return err;
  auto p = std::make_shared<Parsed>();
  p->name = std::move(name);
  p->arch = arch;
  p->file = std::move(bytes);
  p->lines = std::make_unique<DwarfLines>(
      std::string_view(reinterpret_cast<const char*>(p->file.data()), p->file.size()), p->name);
  auto elf = Elf::create(llvm::StringRef(reinterpret_cast<const char*>(p->file.data()), p->file.size()));
  if (!elf) return make_error("{}: {}", p->name, llvm::toString(elf.takeError()));
  if (auto err = check_header(p->name, *elf, arch)) return err;
  if (auto err = read_sections(*p, *elf)) return err;
  if (auto err = lay_out(*p)) return err;
  if (auto err = find_entry(*p, *elf)) return err;
  if (auto err = read_symbols(*p, *elf)) return err;
  if (auto err = read_relocations(*p, *elf)) return err;
  return PurgatoryImage(std::move(p));
}

const std::string& PurgatoryImage::name() const { return m_parsed->name; }
Arch PurgatoryImage::arch() const { return m_parsed->arch; }
const std::vector<PurgatorySection>& PurgatoryImage::sections() const { return m_parsed->sections; }
uint64_t PurgatoryImage::bufsz() const { return m_parsed->bufsz; }
uint64_t PurgatoryImage::memsz() const { return m_parsed->memsz; }
uint64_t PurgatoryImage::alignment() const { return m_parsed->align; }
uint64_t PurgatoryImage::entry_offset() const { return m_parsed->entry_offset; }

llvm::Expected<PlacedPurgatory> PurgatoryImage::place(PhysAddr base) const {
  const Parsed& p = *m_parsed;
  if (!base.is_aligned(p.align))
    return make_error("{}: base {} is not aligned to 0x{:x} (the purgatory's alignment)", p.name, base, p.align);
  if (base.value() + p.memsz < base.value())
    return make_error("{}: [{}, +0x{:x}) wraps around the physical address space", p.name, base, p.memsz);

  PlacedPurgatory placed;
  placed.m_parsed = m_parsed;
  placed.m_base = base;
  placed.m_entry = base.offset(p.entry_offset);
  placed.m_buf.assign(p.bufsz, 0);
  // The pristine bytes of every loaded section: relocation always starts from the file.
  for (const PurgatorySection& s : p.sections)
    if (s.allocated() && !s.nobits() && s.size != 0)
      std::memcpy(placed.m_buf.data() + *s.image_offset, p.file.data() + s.file_offset, s.size);

  for (const PurgatoryRelocation& r : p.relocs) {
    const PurgatorySection& target = p.sections[r.target];
    const PurgatorySymbol& sym = p.symtabs[r.symtab][r.symbol];
    uint64_t sym_base = 0;  // SHN_UNDEF (STT_NOTYPE) and SHN_ABS: 0
    if (sym.shndx != ELF::SHN_UNDEF && sym.shndx < p.sections.size() && p.sections[sym.shndx].allocated())
      sym_base = base.value() + *p.sections[sym.shndx].image_offset;
    uint64_t v = sym_base + sym.value + static_cast<uint64_t>(r.addend);
    uint64_t at = *target.image_offset + r.offset;
    uint64_t place = base.value() + at;
    std::span<uint8_t> loc(placed.m_buf.data() + at, target.size - r.offset);
    if (auto err = reloc::apply_reloc(p.arch, r.type, loc, place, v))
      return make_error("{}: {} offset 0x{:x} ({}): {} against {}: {}", p.name, section_label(target), r.offset,
                        PhysAddr(place), reloc::reloc_type_name(p.arch, r.type), p.symbol_label(r.symtab, r.symbol),
                        llvm::toString(std::move(err)));
  }
  return placed;
}

uint64_t PlacedPurgatory::memsz() const { return m_parsed->memsz; }
uint64_t PlacedPurgatory::alignment() const { return m_parsed->align; }

std::optional<PhysAddr> PlacedPurgatory::section_address(unsigned index) const {
  if (index >= m_parsed->sections.size() || !m_parsed->sections[index].image_offset) return std::nullopt;
  return m_base.offset(*m_parsed->sections[index].image_offset);
}

namespace {

// elf_rel_find_symbol: the first STB_GLOBAL symbol of that name in any SYMTAB, header order.
const PurgatorySymbol* find_global(const Parsed& p, std::string_view name) {
  for (const std::vector<PurgatorySymbol>& syms : p.symtabs)
    for (const PurgatorySymbol& sym : syms)
      if (sym.binding == ELF::STB_GLOBAL && sym.name == name) return &sym;
  return nullptr;
}

llvm::Error check_section_index(const Parsed& p, const PurgatorySymbol& sym) {
  if (sym.shndx == ELF::SHN_UNDEF || sym.shndx >= p.sections.size())
    return make_error("{}: Symbol: {} has Bad section index {}", p.name, sym.name, sym.shndx);
  return llvm::Error::success();
}

}  // namespace

llvm::Expected<uint64_t> PlacedPurgatory::symbol_bytes(std::string_view name, uint64_t size, const char* verb) const {
  const Parsed& p = *m_parsed;
  const PurgatorySymbol* sym = find_global(p, name);
  if (sym == nullptr) return make_error("{}: Symbol: {} not found cannot {}", p.name, name, verb);
  if (auto err = check_section_index(p, *sym)) return err;
  if (sym->size != size) return make_error("{}: Symbol: {} has size: {} not {}", p.name, name, sym->size, size);
  const PurgatorySection& s = p.sections[sym->shndx];
  if (s.nobits()) return make_error("{}: Symbol: {} is in a bss section cannot {}", p.name, name, verb);
  // kexec-tools would write into the file copy of an unloaded section; here that is an error.
  if (!s.allocated())
    return make_error("{}: Symbol: {} is in {}, which is not loaded (no SHF_ALLOC), cannot {}", p.name, name,
                      section_label(s), verb);
  if (sym->value > s.size || s.size - sym->value < size)
    return make_error("{}: Symbol: {} [0x{:x}, +0x{:x}) runs past the end of {} (size 0x{:x})", p.name, name,
                      sym->value, size, section_label(s), s.size);
  return *s.image_offset + sym->value;
}

llvm::Error PlacedPurgatory::set_symbol(std::string_view name, std::span<const uint8_t> value) {
  auto at = symbol_bytes(name, value.size(), "set");
  if (!at) return at.takeError();
  if (!value.empty()) std::memcpy(m_buf.data() + *at, value.data(), value.size());
  return llvm::Error::success();
}

llvm::Error PlacedPurgatory::get_symbol(std::string_view name, std::span<uint8_t> out) const {
  auto at = symbol_bytes(name, out.size(), "get");
  if (!at) return at.takeError();
  if (!out.empty()) std::memcpy(out.data(), m_buf.data() + *at, out.size());
  return llvm::Error::success();
}

llvm::Expected<PhysAddr> PlacedPurgatory::symbol_address(std::string_view name) const {
  const Parsed& p = *m_parsed;
  const PurgatorySymbol* sym = find_global(p, name);
  if (sym == nullptr) return make_error("{}: Symbol: {} not found cannot retrive it's address", p.name, name);
  if (auto err = check_section_index(p, *sym)) return err;
  const PurgatorySection& s = p.sections[sym->shndx];
  if (!s.allocated())
    return make_error("{}: Symbol: {} is in {}, which is not loaded (no SHF_ALLOC)", p.name, name, section_label(s));
  return m_base.offset(*s.image_offset + sym->value);
}

namespace {

// ELF mapping symbols ($x, $d, ...) and unnamed ones name no code.
bool names_code(const PurgatorySymbol& sym) {
  if (sym.name.empty() || sym.name.starts_with('$')) return false;
  return sym.type == ELF::STT_FUNC || sym.type == ELF::STT_NOTYPE;
}

}  // namespace

std::optional<std::string> PlacedPurgatory::symbolize(PhysAddr pc) const {
  const PurgatorySymbol* best = nullptr;
  uint64_t best_at = 0;
  for (const auto& table : m_parsed->symtabs)
    for (const PurgatorySymbol& sym : table) {
      if (!names_code(sym) || sym.shndx >= m_parsed->sections.size()) continue;
      const PurgatorySection& sec = m_parsed->sections[sym.shndx];
      if (!(sec.flags & ELF::SHF_EXECINSTR)) continue;
      auto base = section_address(sym.shndx);
      if (!base) continue;
      const uint64_t at = base->value() + sym.value;
      if (at > pc.value() || (best && at < best_at)) continue;
      if (best && at == best_at && (best->size != 0 || sym.size == 0)) continue;  // prefer a sized one
      best = &sym, best_at = at;
    }
  if (!best) return std::nullopt;
  const uint64_t off = pc.value() - best_at;
  if (best->size == 0) return fmt::format("{}+0x{:x}", best->name, off);
  if (off >= best->size) return std::nullopt;
  return fmt::format("{}+0x{:x}/0x{:x}", best->name, off, best->size);
}

std::optional<std::string> PlacedPurgatory::source_line(PhysAddr pc) const {
  for (const PurgatorySection& sec : m_parsed->sections) {
    if (!(sec.flags & ELF::SHF_EXECINSTR)) continue;
    auto base = section_address(sec.index);
    if (!base || pc.value() < base->value() || pc.value() - base->value() >= sec.size) continue;
    // In an ET_REL, DWARF addresses are offsets into the section the code came from.
    return m_parsed->lines->line_at(pc.value() - base->value(), sec.index);
  }
  return std::nullopt;
}

KexecSegment PlacedPurgatory::segment(std::string what) const {
  return KexecSegment{.buf = m_buf, .mem = m_base, .memsz = m_parsed->memsz, .what = std::move(what)};
}

}  // namespace kdsim
