// The ELF core header read back with LLVM libObject, every field checked.
#include "firmware-less-boot/kexec/elfcorehdr.h"
#include <doctest/doctest.h>
#include <llvm/Object/ELF.h>

using namespace kdsim;
namespace ELF = llvm::ELF;

namespace {

using Elf = llvm::object::ELF64LEFile;

struct Want {
  uint32_t type, flags;
  uint64_t offset, vaddr, paddr, size;
};

void check_phdrs(const std::vector<uint8_t>& buf, uint16_t machine, const std::vector<Want>& want) {
  auto elf = Elf::create(llvm::StringRef(reinterpret_cast<const char*>(buf.data()), buf.size()));
  REQUIRE_MESSAGE(bool(elf), llvm::toString(elf.takeError()));
  const auto& eh = elf->getHeader();
  CHECK(std::memcmp(eh.e_ident, ELF::ElfMagic, 4) == 0);
  CHECK(eh.e_ident[ELF::EI_CLASS] == ELF::ELFCLASS64);
  CHECK(eh.e_ident[ELF::EI_DATA] == ELF::ELFDATA2LSB);
  CHECK(eh.e_ident[ELF::EI_VERSION] == ELF::EV_CURRENT);
  CHECK(eh.e_ident[ELF::EI_OSABI] == ELF::ELFOSABI_NONE);
  CHECK(eh.e_type == ELF::ET_CORE);
  CHECK(eh.e_machine == machine);
  CHECK(eh.e_version == ELF::EV_CURRENT);
  CHECK(eh.e_entry == 0);
  CHECK(eh.e_phoff == 64);
  CHECK(eh.e_shoff == 0);
  CHECK(eh.e_flags == 0);
  CHECK(eh.e_ehsize == 64);
  CHECK(eh.e_phentsize == 56);
  CHECK(eh.e_shentsize == 0);
  CHECK(eh.e_shnum == 0);
  CHECK(eh.e_shstrndx == 0);
  CHECK(buf.size() % 1024 == 0);
  CHECK(buf.size() >= 64 + 56 * want.size());
  CHECK(buf.size() < 64 + 56 * want.size() + 1024);
  auto phdrs = elf->program_headers();
  REQUIRE(bool(phdrs));
  REQUIRE(phdrs->size() == want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    INFO("phdr " << i);
    const auto& ph = (*phdrs)[i];
    CHECK(ph.p_type == want[i].type);
    CHECK(ph.p_flags == want[i].flags);
    CHECK(ph.p_offset == want[i].offset);
    CHECK(ph.p_vaddr == want[i].vaddr);
    CHECK(ph.p_paddr == want[i].paddr);
    CHECK(ph.p_filesz == want[i].size);
    CHECK(ph.p_memsz == want[i].size);
    CHECK(ph.p_align == 0);
  }
  for (size_t i = 64 + 56 * want.size(); i < buf.size(); ++i) REQUIRE(buf[i] == 0);
}

constexpr uint32_t kRwx = ELF::PF_R | ELF::PF_W | ELF::PF_X;

}  // namespace

TEST_CASE("kexec elfcorehdr: arm64 notes, vmcoreinfo, kernel text and RAM minus the crash region") {
  ElfCoreHeaderInput in{
      .arch = Arch::Arm64,
      .cpu_notes = {{PhysAddr(0x4ff10000), 424}, {PhysAddr(0x4ff20000), 424}, {PhysAddr(0x4ff30000), 0}},
      .vmcoreinfo = CrashNoteBuffer{PhysAddr(0x4ff40000), 4132},
      .kernel_text = KernelTextRange{PhysAddr(0x40200000), VirtAddr(0xffff800008000000), 0x1400000},
      .system_ram = {{PhysAddr(0x40000000), 0x10000000}},
      .crash_kernel = {{PhysAddr(0x4a000000), 0x4000000}},
      .page_offset = 0xffff000000000000,
      .phys_offset = 0x40000000,
  };
  auto buf = build_elfcorehdr(in);
  REQUIRE_MESSAGE(bool(buf), llvm::toString(buf.takeError()));
  CHECK(buf->size() == 1024);
  check_phdrs(*buf, ELF::EM_AARCH64,
              {{ELF::PT_NOTE, 0, 0x4ff10000, 0, 0x4ff10000, 424},
               {ELF::PT_NOTE, 0, 0x4ff20000, 0, 0x4ff20000, 424},
               {ELF::PT_NOTE, 0, 0x4ff30000, 0, 0x4ff30000, 1024},  // unknown size: MAX_NOTE_BYTES
               {ELF::PT_NOTE, 0, 0x4ff40000, 0, 0x4ff40000, 4132},
               {ELF::PT_LOAD, kRwx, 0x40200000, 0xffff800008000000, 0x40200000, 0x1400000},
               {ELF::PT_LOAD, kRwx, 0x40000000, 0xffff000000000000, 0x40000000, 0xa000000},
               {ELF::PT_LOAD, kRwx, 0x4e000000, 0xffff00000e000000, 0x4e000000, 0x2000000}});
}

TEST_CASE("kexec elfcorehdr: x86_64 backup region, no vmcoreinfo, no kernel text, 1024 rounding") {
  ElfCoreHeaderInput in{
      .arch = Arch::X86_64,
      .cpu_notes = {{PhysAddr(0x7fe1c000), 368}},
      .system_ram = {{PhysAddr(0x0), 0xa0000}, {PhysAddr(0x100000), 0xbfee0000}, {PhysAddr(0x100000000), 0x40000000}},
      .crash_kernel = {{PhysAddr(0xa3000000), 0x10000000}},
      .page_offset = 0xffff888000000000,
      .backup = CrashBackupRegion{{PhysAddr(0x0), 0xa0000}, PhysAddr(0xa2f00000)},
  };
  for (int i = 0; i < 14; ++i) in.cpu_notes.push_back({PhysAddr(0x7fe1c000 + 0x1000 * (i + 1)), 368});
  auto buf = build_elfcorehdr(in);
  REQUIRE_MESSAGE(bool(buf), llvm::toString(buf.takeError()));
  std::vector<Want> want;
  for (const auto& n : in.cpu_notes) want.push_back({ELF::PT_NOTE, 0, n.addr.value(), 0, n.addr.value(), 368});
  want.push_back({ELF::PT_LOAD, kRwx, 0xa2f00000, 0xffff888000000000, 0x0, 0xa0000});  // p_offset = the copy
  want.push_back({ELF::PT_LOAD, kRwx, 0x100000, 0xffff888000100000, 0x100000, 0xa2f00000});
  want.push_back({ELF::PT_LOAD, kRwx, 0xb3000000, 0xffff8880b3000000, 0xb3000000, 0xcfe0000});
  want.push_back({ELF::PT_LOAD, kRwx, 0x100000000, 0xffff888100000000, 0x100000000, 0x40000000});
  CHECK(buf->size() == 2048);  // 64 + 19 * 56 = 1128
  check_phdrs(*buf, ELF::EM_X86_64, want);
}
