// Board descriptions: where RAM and devices sit for each architecture (docs/devices.md).
#pragma once
#include "machine/addr.h"
#include "machine/cpu.h"
#include <llvm/Support/Error.h>
#include <vector>

namespace kdsim {

struct Board {
  Arch arch = Arch::Arm64;
  std::vector<PhysRange> ram;  // sorted
  PhysAddr uart;               // arm64: PL011 MMIO base; x86_64: 16550 port base
  PhysAddr agent;
  PhysAddr stage_port;
  PhysAddr dump_disk;
  PhysRange kdsim_window;      // the slots kdsim devices live in; unused slots read as zero
  PhysAddr gic_distributor;    // arm64: GICv2 distributor and CPU interface (0: none)
  PhysAddr gic_cpu_interface;
  PhysAddr local_apic;         // x86_64: the xAPIC page, banked per CPU (0: none)
  PhysAddr rtc;                // arm64: PL031 MMIO base; x86_64: CMOS RTC port base
  PhysAddr hpet;               // x86_64: the HPET's MMIO base (the machine-time clock); arm64: none
};

inline constexpr uint64_t kArm64RamBase = 0x4000'0000;
inline constexpr uint64_t kX86LowRamLimit = 0xc000'0000;  // 3 GiB: above it, the PCI hole
inline constexpr uint64_t kX86HighRamBase = 0x1'0000'0000;

// Refuses RAM sizes that are zero, not a multiple of 2 MiB, or beyond the board's limit.
llvm::Expected<Board> make_board(Arch arch, uint64_t ram_size);

}  // namespace kdsim
