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
  PhysAddr uart;               // arm64: PL011 MMIO base (0: none)
  IoPort uart_port;            // x86_64: 16550 base port (0: none)
  PhysAddr agent;
  PhysAddr stage_port;
  PhysAddr dump_disk;
  PhysRange kdsim_window;      // the slots kdsim devices live in; unused slots read as zero
  PhysAddr gic_distributor;    // arm64: GICv2 distributor and CPU interface (0: none)
  PhysAddr gic_cpu_interface;
  PhysAddr local_apic;         // x86_64: the xAPIC page, banked per CPU (0: none)
  PhysAddr rtc;                // arm64: PL031 MMIO base (0: none)
  IoPort rtc_port;             // x86_64: CMOS RTC index port (0: none)
  IoPort acpi_pm1a_control;    // x86_64: PM1a_CNT (SLP_TYP|SLP_EN powers off; 0: none)
  IoPort reset_control;        // x86_64: the PCI reset control register (0: none)
  PhysAddr hpet;               // x86_64: the HPET's MMIO base (the machine-time clock); arm64: none
  // MMIO the bus decodes whole: an address in it where no device sits reads as all ones and
  // drops writes, and the run names the access (Bus::set_unmapped_listener). arm64: the device
  // window the kernel maps (QEMU virt's low devices, the kernel's asm/board.h
  // BOARD_DEVICE_PHYS_*); without it such a read returned the zeros of a VA shadow
  // (unicorn-2.0.1.md 2). x86_64: none (size 0; its ports bus decodes every port).
  PhysRange device_window;

  // Where a purgatory's console output goes: the UART's MMIO base (arm64_sink) or its base port
  // (x86 serial_base).
  uint64_t purgatory_console() const { return uart.value() ? uart.value() : uart_port.value(); }
};

inline constexpr uint64_t kArm64RamBase = 0x4000'0000;
inline constexpr uint64_t kX86LowRamLimit = 0xc000'0000;  // 3 GiB: above it, the PCI hole
inline constexpr uint64_t kX86HighRamBase = 0x1'0000'0000;

// Refuses RAM sizes that are zero, not a multiple of 2 MiB, or beyond the board's limit.
llvm::Expected<Board> make_board(Arch arch, uint64_t ram_size);

}  // namespace kdsim
