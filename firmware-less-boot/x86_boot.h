// The x86 64-bit boot protocol without firmware (Documentation/arch/x86/boot.rst, "64-bit Boot
// Protocol"; the host's promises are docs/boot.md). Low memory holds, in order:
//   0x6000 GDT (__BOOT_CS 0x10, __BOOT_DS 0x18)      0x7000 struct boot_params (zero page)
//   0x8000 command line (NUL-terminated)              0x9000.. identity page tables
// and, in the BIOS area e820 reports reserved, the ACPI tables describing the CPUs (0xe0000,
// x86_acpi.h), found through boot_params.acpi_rsdp_addr.
// The kernel enters in long mode with paging on, %rsi = boot_params. This class builds and
// places those structures and returns the register values; sim/ applies them to the CPU.
#pragma once
#include "firmware-less-boot/kernel_image.h"
#include "firmware-less-boot/x86_e820.h"
#include "machine/addr.h"
#include <llvm/Support/Error.h>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace kdsim {

class Ram;

namespace x86 {
// A 4 KiB struct boot_params ("zero page") with the given e820 map (at most 128 entries) and
// the command line pointer; used for the first kernel and for a kexec'd capture kernel.
// `acpi_rsdp` (0: none) goes to boot_params.acpi_rsdp_addr.
std::vector<uint8_t> build_boot_params(std::span<const E820Entry> e820, PhysAddr cmdline_at,
                                       PhysAddr acpi_rsdp = PhysAddr(0));
}  // namespace x86

struct X86BootConfig {
  std::vector<PhysRange> ram;               // every RAM range (e820 + identity map)
  std::string cmdline;
  std::vector<PhysRange> kernel_footprint;  // KernelImage::footprint(): must not meet the boot area
  PhysAddr kernel_entry;                    // KernelImage::entry_physical()
  unsigned cpus = 1;                        // one MADT Processor Local APIC entry each (x86_acpi.h)
};

// CPU 0 at kernel entry. Apply GDTR before the segment registers (Unicorn loads a selector's
// descriptor from the GDT in guest memory), after install() has written the GDT.
struct X86EntryState {
  uint64_t rip = 0;     // kernel entry (identity-mapped, so VA == PA)
  uint64_t rsi = 0;     // boot_params PA
  uint64_t rsp = 0;     // boot.rst leaves the stack to the kernel
  uint64_t rflags = 0;  // 0x2: only the always-one bit; IF clear
  uint64_t cr0 = 0;     // PE|MP|ET|NE|WP|PG
  uint64_t cr3 = 0;     // PML4 of the identity map
  uint64_t cr4 = 0;     // PAE
  uint64_t efer = 0;    // LME|LMA
  uint64_t gdtr_base = 0;
  uint16_t gdtr_limit = 0;
  uint16_t cs = 0;  // __BOOT_CS 0x10
  uint16_t ds = 0, es = 0, ss = 0;  // __BOOT_DS 0x18
};

class X86BootProtocol {
public:
  static constexpr PhysAddr kGdtAddress{0x6000};
  static constexpr PhysAddr kBootParamsAddress{0x7000};
  static constexpr PhysAddr kCmdlineAddress{0x8000};
  static constexpr PhysAddr kPageTablesAddress{0x9000};
  // arch/x86/include/asm/setup.h: COMMAND_LINE_SIZE, including the NUL.
  static constexpr uint64_t kCommandLineSize = 2048;

  static constexpr uint64_t kCr0Pe = 1ull << 0, kCr0Mp = 1ull << 1, kCr0Et = 1ull << 4, kCr0Ne = 1ull << 5,
                            kCr0Wp = 1ull << 16, kCr0Pg = 1ull << 31;
  static constexpr uint64_t kCr4Pae = 1ull << 5;
  static constexpr uint64_t kEferLme = 1ull << 8, kEferLma = 1ull << 10;
  static constexpr uint64_t kRflagsFixed = 1ull << 1;

  // Validates the config and builds every structure; nothing is written to RAM yet.
  static llvm::Expected<X86BootProtocol> create(X86BootConfig config);

  // [0x6000, end of the page tables): for KernelImage::load() and the overlap check.
  PhysRange boot_area() const { return {kGdtAddress, m_tables.end() - kGdtAddress}; }
  ReservedRange reserved() const { return {boot_area(), "x86 boot area"}; }
  const std::vector<x86::E820Entry>& e820() const { return m_e820; }
  PhysRange identity_mapped() const { return m_mapped; }

  // Writes the GDT, boot_params, command line, page tables and ACPI tables; returns CPU 0's
  // entry state.
  llvm::Expected<X86EntryState> install(Ram& ram) const;
  X86EntryState entry_state() const;

private:
  struct Tables {
    PhysRange area;
    std::vector<uint8_t> bytes;
    PhysAddr end() const { return area.base.offset(area.size); }
  };
  X86BootProtocol() = default;
  std::vector<uint8_t> boot_params_page() const;

  X86BootConfig m_config;
  std::vector<x86::E820Entry> m_e820;
  Tables m_tables;
  PhysRange m_mapped;
};

}  // namespace kdsim
