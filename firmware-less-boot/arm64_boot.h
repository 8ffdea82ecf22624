// The arm64 Linux boot protocol without firmware (Documentation/arch/arm64/booting.rst; the
// host's promises are docs/boot.md): a DTB at the start of RAM, then CPU 0 enters the kernel
// with x0 = DTB PA and x1..x3 = 0. This class builds and places the DTB and returns the
// register values; sim/ applies them to the CPU (EL1h, MMU and caches off, DAIF masked).
#pragma once
#include "firmware-less-boot/kernel_image.h"
#include "machine/addr.h"
#include <llvm/Support/Error.h>
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace kdsim {

class Ram;

struct Arm64BootConfig {
  std::vector<PhysRange> ram;               // every RAM range (all go into /memory reg)
  unsigned cpu_count = 1;                   // cpu@0 .. cpu@(n-1)
  std::string cmdline;                      // /chosen/bootargs
  std::vector<PhysRange> kernel_footprint;  // KernelImage::footprint(): must not meet the DTB
  PhysAddr kernel_entry;                    // KernelImage::entry_physical()
};

// Register state of CPU 0 at kernel entry (booting.rst "Call the kernel image").
struct Arm64EntryState {
  uint64_t pc = 0;               // kernel entry, physical (the MMU is off)
  std::array<uint64_t, 4> x{};   // x0 = DTB PA, x1 = x2 = x3 = 0
};

class Arm64BootProtocol {
public:
  static constexpr PhysAddr kDtbAddress{0x40000000};  // start of RAM on the virt board
  static constexpr uint64_t kDtbMaxSize = 2ull << 20;  // booting.rst: "must not exceed 2 megabytes"
  // arch/arm64/include/uapi/asm/setup.h: COMMAND_LINE_SIZE, including the NUL.
  static constexpr uint64_t kCommandLineSize = 2048;
  static constexpr unsigned kMaxCpus = 256;  // reg = MPIDR Aff0, 8 bits

  // Validates the config and builds the DTB; nothing is written to RAM yet.
  static llvm::Expected<Arm64BootProtocol> create(Arm64BootConfig config);

  std::span<const uint8_t> dtb() const { return m_dtb; }
  PhysRange dtb_range() const { return {kDtbAddress, m_dtb.size()}; }
  // For KernelImage::load(): the kernel must not be loaded over the DTB.
  ReservedRange reserved() const { return {dtb_range(), "DTB"}; }

  // Writes the DTB at kDtbAddress and returns CPU 0's entry state.
  llvm::Expected<Arm64EntryState> install(Ram& ram) const;
  Arm64EntryState entry_state() const;

private:
  Arm64BootProtocol(Arm64BootConfig config, std::vector<uint8_t> dtb)
      : m_config(std::move(config)), m_dtb(std::move(dtb)) {}

  Arm64BootConfig m_config;
  std::vector<uint8_t> m_dtb;
};

}  // namespace kdsim
