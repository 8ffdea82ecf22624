#include "firmware-less-boot/kexec/elfcorehdr.h"
#include "firmware-less-boot/elf_names.h"
#include "firmware-less-boot/kexec/iomem.h"
#include "machine/error.h"
#include <llvm/BinaryFormat/ELF.h>
#include <cstring>

namespace kdsim {

namespace {

namespace ELF = llvm::ELF;
constexpr uint64_t kEhdrSize = 64, kPhdrSize = 56;

struct Phdr {
  uint32_t type = 0, flags = 0;
  uint64_t offset = 0, vaddr = 0, paddr = 0, filesz = 0, memsz = 0, align = 0;
};

void put(std::vector<uint8_t>& out, size_t at, uint64_t v, unsigned n) {
  for (unsigned i = 0; i < n; ++i) out[at + i] = static_cast<uint8_t>(v >> (8 * i));
}

Phdr note(const CrashNoteBuffer& n) {
  uint64_t size = n.size == 0 ? kMaxNoteBytes : n.size;
  return {.type = ELF::PT_NOTE, .offset = n.addr.value(), .paddr = n.addr.value(), .filesz = size, .memsz = size};
}

void write_ehdr(std::vector<uint8_t>& out, Arch arch, size_t phnum) {
  std::memcpy(out.data(), ELF::ElfMagic, 4);
  out[ELF::EI_CLASS] = ELF::ELFCLASS64;
  out[ELF::EI_DATA] = ELF::ELFDATA2LSB;
  out[ELF::EI_VERSION] = ELF::EV_CURRENT;
  out[ELF::EI_OSABI] = ELF::ELFOSABI_NONE;
  put(out, 0x10, ELF::ET_CORE, 2);
  put(out, 0x12, elf::machine_for(arch), 2);
  put(out, 0x14, ELF::EV_CURRENT, 4);
  put(out, 0x18, 0, 8);          // e_entry
  put(out, 0x20, kEhdrSize, 8);  // e_phoff
  put(out, 0x28, 0, 8);          // e_shoff
  put(out, 0x30, 0, 4);          // e_flags
  put(out, 0x34, kEhdrSize, 2);  // e_ehsize
  put(out, 0x36, kPhdrSize, 2);  // e_phentsize
  put(out, 0x38, phnum, 2);      // e_phnum; e_shentsize, e_shnum, e_shstrndx stay 0
}

void write_phdr(std::vector<uint8_t>& out, size_t i, const Phdr& ph) {
  size_t at = kEhdrSize + i * kPhdrSize;
  put(out, at + 0x00, ph.type, 4);
  put(out, at + 0x04, ph.flags, 4);
  put(out, at + 0x08, ph.offset, 8);
  put(out, at + 0x10, ph.vaddr, 8);
  put(out, at + 0x18, ph.paddr, 8);
  put(out, at + 0x20, ph.filesz, 8);
  put(out, at + 0x28, ph.memsz, 8);
  put(out, at + 0x30, ph.align, 8);
}

}  // namespace

llvm::Expected<std::vector<uint8_t>> build_elfcorehdr(const ElfCoreHeaderInput& input) {
  constexpr uint32_t rwx = ELF::PF_R | ELF::PF_W | ELF::PF_X;
  std::vector<Phdr> phdrs;
  for (const CrashNoteBuffer& n : input.cpu_notes) phdrs.push_back(note(n));
  if (input.vmcoreinfo) phdrs.push_back(note(*input.vmcoreinfo));
  if (input.kernel_text && input.kernel_text->size != 0) {
    const KernelTextRange& k = *input.kernel_text;
    phdrs.push_back({.type = ELF::PT_LOAD, .flags = rwx, .offset = k.paddr.value(), .vaddr = k.vaddr.value(),
                     .paddr = k.paddr.value(), .filesz = k.size, .memsz = k.size});
  }
  for (const PhysRange& r : subtract_ranges(input.system_ram, input.crash_kernel)) {
    if (r.size == 0) continue;
    uint64_t start = r.base.value();
    Phdr ph{.type = ELF::PT_LOAD, .flags = rwx, .offset = start,
            .vaddr = start - input.phys_offset + input.page_offset, .paddr = start, .filesz = r.size,
            .memsz = r.size};
    if (input.backup && input.backup->source.base == r.base && input.backup->source.size == r.size)
      ph.offset = input.backup->backup_start.value();
    phdrs.push_back(ph);
  }
  if (phdrs.size() >= 0xffff)  // PN_XNUM
    return make_error("elfcorehdr: {} program headers do not fit e_phnum (at most {})", phdrs.size(),
                      0xfffe);
  uint64_t used = kEhdrSize + phdrs.size() * kPhdrSize;
  std::vector<uint8_t> out((used + kElfCoreHeaderAlign - 1) & ~(kElfCoreHeaderAlign - 1), 0);
  write_ehdr(out, input.arch, phdrs.size());
  for (size_t i = 0; i < phdrs.size(); ++i) write_phdr(out, i, phdrs[i]);
  return out;
}

}  // namespace kdsim
