// A kernel ELF image, validated once and loaded into guest RAM by its physical addresses.
//
// Mirrors what a loader of an ELF `-kernel` does (QEMU's load_elf(), kexec-tools'
// elf_exec_load()): every PT_LOAD is copied to p_paddr and the bss part (p_memsz beyond
// p_filesz) is zeroed. Parsing uses LLVM libObject (kept out of this header: it is slow to
// compile); every check is overflow-safe and every error names the file, the segment index
// (its program-header index, as readelf numbers them), addresses and sizes in hex.
#pragma once
#include "firmware-less-boot/dwarf_lines.h"
#include "machine/addr.h"
#include "machine/cpu.h"
#include <llvm/Support/Error.h>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kdsim {

class Ram;

// A physical range the kernel must not be loaded over (the DTB, the x86 boot area, ...).
struct ReservedRange {
  PhysRange range;
  std::string what;  // named in the error, e.g. "DTB"
};

// One PT_LOAD program header and its file bytes.
struct KernelSegment {
  unsigned index = 0;  // program-header index
  PhysAddr paddr;      // p_paddr
  VirtAddr vaddr;      // p_vaddr
  uint64_t filesz = 0;
  uint64_t memsz = 0;
  uint32_t flags = 0;  // p_flags (PF_X 1, PF_W 2, PF_R 4)
  std::span<const uint8_t> bytes;  // the p_filesz bytes at p_offset in the file

  PhysRange phys_range() const { return {paddr, memsz}; }
};

struct KernelLoadOptions {
  // Added to every p_paddr: loads the image elsewhere than it was linked for (a capture kernel
  // in a crashkernel= region). entry_physical(phys_offset) moves with it.
  int64_t phys_offset = 0;
  // Ranges a segment must not overlap (after phys_offset is applied).
  std::vector<ReservedRange> reserved;
};

class KernelImage {
public:
  // Reads and validates `path`. `expected` selects e_machine (EM_AARCH64 / EM_X86_64).
  static llvm::Expected<KernelImage> create(std::string path, Arch expected);
  // Same checks over bytes already in memory; `name` prefixes every error (tests use this).
  static llvm::Expected<KernelImage> create_from_bytes(std::string name, std::vector<uint8_t> bytes,
                                                       Arch expected);

  const std::string& name() const { return m_name; }
  Arch arch() const { return m_arch; }
  const std::vector<KernelSegment>& segments() const { return m_segments; }

  VirtAddr entry() const { return m_entry; }  // e_entry as linked
  // e_entry translated through the PT_LOAD whose virtual range holds it (or taken as physical
  // when a PT_LOAD's physical range holds it); validated by create().
  PhysAddr entry_physical(int64_t phys_offset = 0) const {
    return PhysAddr(m_entry_physical.value() + static_cast<uint64_t>(phys_offset));
  }

  // Physical ranges [p_paddr, p_paddr + p_memsz) of the non-empty PT_LOADs, in program-header
  // order, moved by `phys_offset`. Boot protocols check their own areas against this.
  std::vector<PhysRange> footprint(int64_t phys_offset = 0) const;

  // Address of a defined symbol from .symtab (globals win over locals of the same name).
  std::optional<VirtAddr> symbol(std::string_view name) const;
  // The function holding `va`, as Linux's %pS prints it: "name+0xoff/0xsize".
  std::optional<std::string> symbolize(VirtAddr va) const;
  // A return address as Linux's %pB prints it: named by the call before it (ret - 1), so a
  // call to a function that never returns, last in its caller, is not credited to whatever
  // function follows; the offset is still the return address's.
  std::optional<std::string> symbolize_return(VirtAddr ret) const;
  // "kernels/arch/arm64/kernel/cpu-reset.S:52" for `va`, from the image's DWARF line table
  // (read on first use, dwarf_lines.h). none without debug information there.
  std::optional<std::string> source_line(VirtAddr va) const;

  // Copies every PT_LOAD to p_paddr + phys_offset and zeroes its bss. Checks every segment
  // first (inside one RAM region, clear of every reserved range), so RAM is untouched on error.
  llvm::Error load(Ram& ram, const KernelLoadOptions& options = {}) const;

private:
  KernelImage() = default;
  llvm::Error check_placement(const Ram& ram, const KernelLoadOptions& options) const;

  std::string m_name;
  Arch m_arch = Arch::Arm64;
  std::shared_ptr<const std::vector<uint8_t>> m_file;  // shared: segment spans point into it
  std::vector<KernelSegment> m_segments;
  VirtAddr m_entry;
  PhysAddr m_entry_physical;
  std::map<std::string, uint64_t, std::less<>> m_symbols;
  struct Function {
    uint64_t address, size;
    std::string name;
  };
  std::vector<Function> m_functions;  // STT_FUNC symbols with a size, sorted by address
  const Function* function_at(uint64_t va) const;
  std::shared_ptr<const DwarfLines> m_lines;  // over *m_file, so declared after it
};

}  // namespace kdsim
