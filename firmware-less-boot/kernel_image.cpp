#include "machine/host_file.h"
#include "firmware-less-boot/kernel_image.h"
#include "firmware-less-boot/elf_names.h"
#include "machine/error.h"
#include "machine/ram.h"
#include <llvm/Object/ELF.h>
#include <llvm/Object/ELFObjectFile.h>
#include <llvm/Support/MemoryBuffer.h>
#include <algorithm>
#include <cstring>
#include <tuple>

namespace kdsim {

namespace {

using Elf = llvm::object::ELF64LEFile;
using Phdr = llvm::object::ELF64LE::Phdr;
namespace ELF = llvm::ELF;

// base + size, or nothing when it wraps past 2^64.
std::optional<uint64_t> checked_end(uint64_t base, uint64_t size) {
  uint64_t end = base + size;
  if (end < base) return std::nullopt;
  return end;
}

// a + offset, or nothing when the result leaves [0, 2^64).
std::optional<uint64_t> moved(uint64_t a, int64_t offset) {
  if (offset >= 0) return checked_end(a, static_cast<uint64_t>(offset));
  uint64_t down = 0 - static_cast<uint64_t>(offset);  // well-defined for INT64_MIN too
  if (a < down) return std::nullopt;
  return a - down;
}

std::string signed_hex(int64_t v) {
  if (v >= 0) return fmt::format("0x{:x}", v);
  return fmt::format("-0x{:x}", 0 - static_cast<uint64_t>(v));
}

// Stage 1: e_ident, before libObject sees the file, so each refusal gets its own message.
llvm::Error check_ident(const std::string& name, const std::vector<uint8_t>& file) {
  if (file.size() < 4 || std::memcmp(file.data(), ELF::ElfMagic, 4) != 0)
    return make_error("{}: not an ELF file", name);
  if (file.size() < sizeof(Elf::Elf_Ehdr))
    return make_error("{}: file is 0x{:x} bytes, too short for an ELF64 header (0x{:x} bytes)", name,
                      file.size(), sizeof(Elf::Elf_Ehdr));
  uint8_t cls = file[ELF::EI_CLASS];
  if (cls != ELF::ELFCLASS64)
    return make_error("{}: EI_CLASS is {} but a kernel must be ELFCLASS64 (2)", name,
                      cls == ELF::ELFCLASS32 ? "ELFCLASS32 (1)" : fmt::format("{}", cls));
  uint8_t data = file[ELF::EI_DATA];
  if (data != ELF::ELFDATA2LSB)
    return make_error("{}: EI_DATA is {} but a kernel must be ELFDATA2LSB (1, little-endian)", name,
                      data == ELF::ELFDATA2MSB ? "ELFDATA2MSB (2, big-endian)" : fmt::format("{}", data));
  return llvm::Error::success();
}

// Stage 2: e_type, e_machine and the program-header table's place in the file.
llvm::Error check_header(const std::string& name, const Elf& elf, uint64_t file_size, Arch arch) {
  const auto& eh = elf.getHeader();
  if (eh.e_type != ELF::ET_EXEC)
    return make_error("{}: e_type is {} but a kernel must be ET_EXEC (2)", name, elf::type_name(eh.e_type));
  uint16_t want = elf::machine_for(arch);
  if (eh.e_machine != want)
    return make_error("{}: e_machine is {} but the machine is {} ({}, {})", name, elf::machine_name(eh.e_machine),
                      arch_name(arch), elf::machine_symbol(want), want);
  if (eh.e_phnum == 0) return make_error("{}: no program headers (e_phnum is 0)", name);
  if (eh.e_phentsize != sizeof(Phdr))
    return make_error("{}: e_phentsize is 0x{:x} but an ELF64 program header is 0x{:x} bytes", name,
                      eh.e_phentsize, sizeof(Phdr));
  uint64_t table_size = uint64_t(eh.e_phnum) * sizeof(Phdr);  // e_phnum is 16-bit: no overflow
  auto end = checked_end(eh.e_phoff, table_size);
  if (!end) return make_error("{}: program headers at 0x{:x} + 0x{:x} wrap around", name, uint64_t(eh.e_phoff), table_size);
  if (*end > file_size)
    return make_error("{}: program headers [0x{:x}, 0x{:x}) run past the end of the file (0x{:x} bytes)", name,
                      uint64_t(eh.e_phoff), *end, file_size);
  return llvm::Error::success();
}

// Stage 3: one PT_LOAD on its own: sizes, file range and address ranges.
llvm::Error check_segment(const std::string& name, unsigned i, const Phdr& ph, uint64_t file_size) {
  if (ph.p_filesz > ph.p_memsz)
    return make_error("{}: segment {} p_filesz 0x{:x} is larger than p_memsz 0x{:x}", name, i,
                      uint64_t(ph.p_filesz), uint64_t(ph.p_memsz));
  auto file_end = checked_end(ph.p_offset, ph.p_filesz);
  if (!file_end)
    return make_error("{}: segment {} file range 0x{:x} + 0x{:x} wraps around", name, i, uint64_t(ph.p_offset),
                      uint64_t(ph.p_filesz));
  if (*file_end > file_size)
    return make_error("{}: segment {} file range [0x{:x}, 0x{:x}) runs past the end of the file (0x{:x} bytes)",
                      name, i, uint64_t(ph.p_offset), *file_end, file_size);
  if (!checked_end(ph.p_paddr, ph.p_memsz))
    return make_error("{}: segment {} physical range {} + 0x{:x} wraps around", name, i, PhysAddr(ph.p_paddr),
                      uint64_t(ph.p_memsz));
  if (!checked_end(ph.p_vaddr, ph.p_memsz))
    return make_error("{}: segment {} virtual range {} + 0x{:x} wraps around", name, i, VirtAddr(ph.p_vaddr),
                      uint64_t(ph.p_memsz));
  return llvm::Error::success();
}

// Stage 4: no two PT_LOADs may land on the same physical bytes.
llvm::Error check_overlaps(const std::string& name, const std::vector<KernelSegment>& segs) {
  for (size_t a = 0; a < segs.size(); ++a)
    for (size_t b = a + 1; b < segs.size(); ++b)
      if (segs[a].phys_range().overlaps(segs[b].phys_range()))
        return make_error("{}: segments {} {} and {} {} overlap", name, segs[a].index, segs[a].phys_range(),
                          segs[b].index, segs[b].phys_range());
  return llvm::Error::success();
}

// Stage 5: e_entry through the segment that holds it (virtual first, then physical).
llvm::Expected<PhysAddr> resolve_entry(const std::string& name, const std::vector<KernelSegment>& segs,
                                       uint64_t entry) {
  for (const KernelSegment& s : segs)
    if (entry >= s.vaddr.value() && entry - s.vaddr.value() < s.memsz)
      return s.paddr.offset(entry - s.vaddr.value());
  for (const KernelSegment& s : segs)
    if (s.phys_range().contains(PhysAddr(entry))) return PhysAddr(entry);
  return make_error("{}: entry point {} lies in no PT_LOAD segment (neither a virtual nor a physical range holds it)",
                    name, VirtAddr(entry));
}

// Stage 6: defined symbols of .symtab. Images without section headers simply have none.
llvm::Expected<std::map<std::string, uint64_t, std::less<>>> read_symbols(const std::string& name, const Elf& elf) {
  std::map<std::string, uint64_t, std::less<>> out;
  auto sections = elf.sections();
  if (!sections) return make_error("{}: section headers: {}", name, llvm::toString(sections.takeError()));
  for (const auto& sec : *sections) {
    if (sec.sh_type != ELF::SHT_SYMTAB) continue;
    auto syms = elf.symbols(&sec);
    if (!syms) return make_error("{}: .symtab: {}", name, llvm::toString(syms.takeError()));
    auto strtab = elf.getStringTableForSymtab(sec, *sections);
    if (!strtab) return make_error("{}: .symtab strings: {}", name, llvm::toString(strtab.takeError()));
    for (const auto& sym : *syms) {
      if (sym.st_shndx == ELF::SHN_UNDEF || sym.getType() == ELF::STT_SECTION || sym.getType() == ELF::STT_FILE)
        continue;
      auto sym_name = sym.getName(*strtab);
      if (!sym_name) return make_error("{}: .symtab: {}", name, llvm::toString(sym_name.takeError()));
      if (sym_name->empty()) continue;
      if (sym.getBinding() == ELF::STB_LOCAL)
        out.emplace(sym_name->str(), sym.st_value);  // keeps an earlier entry
      else
        out.insert_or_assign(sym_name->str(), sym.st_value);
    }
  }
  return out;
}

// Text symbols with their sizes, for symbolize(). The size is the kernel's own rule, so that
// `kdsim inspect` and the transcript print the same "+off/size" as the oops: kallsyms ends a
// symbol where the next one starts, the last one of its section at the section's end
// (kernel/kallsyms.c get_symbol_pos(); scripts/kallsyms.py keeps nm's t/T symbols, and of
// aliases the first in nm's name order). A symbol in no executable section (an image without
// section headers for its code) keeps its ELF st_size. Best effort: a broken .symtab was
// already reported by read_symbols().
struct TextSymbol {
  uint64_t address, section_end;
  std::string name;
  bool weak;
};

// Of several names at one address, the one kallsyms shows (scripts/kallsyms.c
// compare_symbols(), as kernels/scripts/kallsyms.py applies it): strong before weak, then not
// linker-script provided (__start_X, __stop_X, __end_X, __X_start, __X_end), then the fewest
// leading underscores, then the name.
auto alias_rank(const TextSymbol& s) {
  const llvm::StringRef n = s.name;
  const bool script = n.size() >= 8 && n.startswith("__") &&
                      (n.drop_front(2).startswith("start_") || n.drop_front(2).startswith("stop_") ||
                       n.drop_front(2).startswith("end_") || n.endswith("_start") || n.endswith("_end"));
  return std::make_tuple(s.weak, script, n.size() - n.ltrim('_').size(), s.name);
}

bool kallsyms_name(llvm::StringRef n) { return !n.empty() && !n.startswith("$") && !n.startswith(".L"); }

template <typename Function>
std::vector<Function> sized_by_next_symbol(std::vector<TextSymbol> text) {
  std::sort(text.begin(), text.end(), [](const TextSymbol& a, const TextSymbol& b) {
    return a.address != b.address ? a.address < b.address : alias_rank(a) < alias_rank(b);
  });
  text.erase(std::unique(text.begin(), text.end(), [](const auto& a, const auto& b) { return a.address == b.address; }),
             text.end());
  std::vector<Function> out;
  for (size_t i = 0; i < text.size(); ++i) {
    uint64_t end = text[i].section_end;
    if (i + 1 < text.size() && text[i + 1].address < end) end = text[i + 1].address;
    if (end > text[i].address) out.push_back({text[i].address, end - text[i].address, text[i].name});
  }
  return out;
}

template <typename Elf, typename Function> std::vector<Function> read_functions(const Elf& elf) {
  std::vector<Function> out;
  std::vector<TextSymbol> text;
  auto sections = elf.sections();
  if (!sections) return llvm::consumeError(sections.takeError()), out;
  for (const auto& sec : *sections) {
    if (sec.sh_type != ELF::SHT_SYMTAB) continue;
    auto syms = elf.symbols(&sec);
    auto strtab = elf.getStringTableForSymtab(sec, *sections);
    if (!syms || !strtab) {
      if (!syms) llvm::consumeError(syms.takeError());
      if (!strtab) llvm::consumeError(strtab.takeError());
      continue;
    }
    for (const auto& sym : *syms) {
      const unsigned type = sym.getType();
      if ((type != ELF::STT_FUNC && type != ELF::STT_NOTYPE) || sym.st_shndx == ELF::SHN_UNDEF ||
          sym.st_shndx >= ELF::SHN_LORESERVE)
        continue;
      auto n = sym.getName(*strtab);
      if (!n) {
        llvm::consumeError(n.takeError());
        continue;
      }
      if (!kallsyms_name(*n)) continue;
      const auto* home = sym.st_shndx < sections->size() ? &(*sections)[sym.st_shndx] : nullptr;
      if (home && (home->sh_flags & ELF::SHF_EXECINSTR) && sym.st_value >= home->sh_addr &&
          sym.st_value - home->sh_addr < home->sh_size)
        text.push_back({sym.st_value, home->sh_addr + home->sh_size, n->str(), sym.getBinding() == ELF::STB_WEAK});
      else if (type == ELF::STT_FUNC && sym.st_size != 0)
        out.push_back({sym.st_value, sym.st_size, n->str()});
    }
  }
  auto sized = sized_by_next_symbol<Function>(std::move(text));
  out.insert(out.end(), sized.begin(), sized.end());
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.address < b.address; });
  return out;
}

}  // namespace

const KernelImage::Function* KernelImage::function_at(uint64_t va) const {
  auto it = std::upper_bound(m_functions.begin(), m_functions.end(), va,
                             [](uint64_t a, const Function& f) { return a < f.address; });
  if (it == m_functions.begin()) return nullptr;
  --it;
  return va - it->address < it->size ? &*it : nullptr;
}

std::optional<std::string> KernelImage::symbolize(VirtAddr va) const {
  const Function* f = function_at(va.value());
  if (!f) return std::nullopt;
  return fmt::format("{}+0x{:x}/0x{:x}", f->name, va.value() - f->address, f->size);
}

std::optional<std::string> KernelImage::symbolize_return(VirtAddr ret) const {
  const Function* f = ret.value() == 0 ? nullptr : function_at(ret.value() - 1);
  if (!f) return std::nullopt;
  return fmt::format("{}+0x{:x}/0x{:x}", f->name, ret.value() - f->address, f->size);
}

std::optional<std::string> KernelImage::source_line(VirtAddr va) const {
  if (!m_lines) return std::nullopt;
  return m_lines->line_at(va.value());
}

llvm::Expected<KernelImage> KernelImage::create(std::string path, Arch expected) {
  if (auto err = check_input_file(path, kMaxKernelImageBytes, "kernel image")) return err;
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!buffer) return make_error("{}: cannot read: {}", path, buffer.getError().message());
  const auto* begin = reinterpret_cast<const uint8_t*>((*buffer)->getBufferStart());
  return create_from_bytes(std::move(path), std::vector<uint8_t>(begin, begin + (*buffer)->getBufferSize()),
                           expected);
}

llvm::Expected<KernelImage> KernelImage::create_from_bytes(std::string name, std::vector<uint8_t> bytes,
                                                           Arch expected) {
  if (auto err = check_ident(name, bytes)) return err;
  KernelImage image;
  image.m_name = std::move(name);
  image.m_arch = expected;
  image.m_file = std::make_shared<const std::vector<uint8_t>>(std::move(bytes));
  const std::vector<uint8_t>& file = *image.m_file;
  const std::string& n = image.m_name;
  image.m_lines = std::make_shared<const DwarfLines>(
      std::string_view(reinterpret_cast<const char*>(file.data()), file.size()), n);

  auto elf = Elf::create(llvm::StringRef(reinterpret_cast<const char*>(file.data()), file.size()));
  if (!elf) return make_error("{}: {}", n, llvm::toString(elf.takeError()));
  if (auto err = check_header(n, *elf, file.size(), expected)) return err;
  auto phdrs = elf->program_headers();
  if (!phdrs) return make_error("{}: {}", n, llvm::toString(phdrs.takeError()));

  for (unsigned i = 0; i < phdrs->size(); ++i) {
    const Phdr& ph = (*phdrs)[i];
    if (ph.p_type != ELF::PT_LOAD) continue;
    if (auto err = check_segment(n, i, ph, file.size())) return err;
    image.m_segments.push_back({.index = i,
                                .paddr = PhysAddr(ph.p_paddr),
                                .vaddr = VirtAddr(ph.p_vaddr),
                                .filesz = ph.p_filesz,
                                .memsz = ph.p_memsz,
                                .flags = ph.p_flags,
                                .bytes = std::span<const uint8_t>(file.data() + ph.p_offset, ph.p_filesz)});
  }
  if (image.m_segments.empty()) return make_error("{}: no PT_LOAD segment", n);
  if (auto err = check_overlaps(n, image.m_segments)) return err;

  image.m_entry = VirtAddr(elf->getHeader().e_entry);
  auto entry = resolve_entry(n, image.m_segments, image.m_entry.value());
  if (!entry) return entry.takeError();
  image.m_entry_physical = *entry;

  auto symbols = read_symbols(n, *elf);
  if (!symbols) return symbols.takeError();
  image.m_symbols = std::move(*symbols);
  image.m_functions = read_functions<Elf, Function>(*elf);
  return image;
}

std::vector<PhysRange> KernelImage::footprint(int64_t phys_offset) const {
  std::vector<PhysRange> out;
  for (const KernelSegment& s : m_segments)
    if (s.memsz != 0) out.push_back({PhysAddr(s.paddr.value() + static_cast<uint64_t>(phys_offset)), s.memsz});
  return out;
}

std::optional<VirtAddr> KernelImage::symbol(std::string_view name) const {
  auto it = m_symbols.find(name);
  if (it == m_symbols.end()) return std::nullopt;
  return VirtAddr(it->second);
}

llvm::Error KernelImage::check_placement(const Ram& ram, const KernelLoadOptions& options) const {
  for (const KernelSegment& s : m_segments) {
    auto base = moved(s.paddr.value(), options.phys_offset);
    if (!base || !checked_end(*base, s.memsz))
      return make_error("{}: segment {} {} moved by {} leaves the physical address space", m_name, s.index,
                        s.phys_range(), signed_hex(options.phys_offset));
    PhysRange at{PhysAddr(*base), s.memsz};
    if (s.memsz == 0) continue;
    if (!ram.contains(at.base, at.size)) {
      std::string regions;
      for (const Ram::Region& r : ram.regions())
        regions += fmt::format("{}{}", regions.empty() ? "" : ", ", r.range);
      return make_error("{}: segment {} {} is not inside RAM (RAM: {})", m_name, s.index, at, regions);
    }
    for (const ReservedRange& r : options.reserved)
      if (at.overlaps(r.range))
        return make_error("{}: segment {} {} overlaps the {} {}", m_name, s.index, at, r.what, r.range);
  }
  return llvm::Error::success();
}

llvm::Error KernelImage::load(Ram& ram, const KernelLoadOptions& options) const {
  if (auto err = check_placement(ram, options)) return err;
  for (const KernelSegment& s : m_segments) {
    if (s.memsz == 0) continue;
    PhysAddr at(s.paddr.value() + static_cast<uint64_t>(options.phys_offset));  // checked above
    if (auto err = ram.write(at, s.bytes)) return err;
    if (s.memsz > s.filesz)
      if (auto err = ram.fill(at.offset(s.filesz), s.memsz - s.filesz, 0)) return err;
  }
  return llvm::Error::success();
}

}  // namespace kdsim
