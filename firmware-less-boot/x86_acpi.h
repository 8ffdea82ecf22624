// The ACPI tables a PC's firmware leaves for Linux to find its CPUs, built without firmware:
// RSDP (ACPI 2.0) -> XSDT -> MADT with one Processor Local APIC entry per CPU (ACPI 6.5,
// 5.2.5 RSDP, 5.2.8 XSDT, 5.2.12 MADT, 5.2.12.2 Processor Local APIC Structure). Linux finds
// the RSDP through boot_params.acpi_rsdp_addr (arch/x86/include/uapi/asm/bootparam.h, 0x070)
// and walks them in acpi_boot_init() -> acpi_parse_madt() / acpi_parse_lapic()
// (arch/x86/kernel/acpi/boot.c). The tables sit in the e820-reserved BIOS area below 1 MiB.
#pragma once
#include "machine/addr.h"
#include <cstdint>
#include <vector>

namespace kdsim::x86 {

inline constexpr PhysAddr kAcpiTablesAddress{0xe0000};  // BIOS area, reserved in e820
inline constexpr uint64_t kLocalApicAddress = 0xfee0'0000;
inline constexpr size_t kRsdpLength = 36, kSdtHeaderLength = 36;

// The tables as one blob to be written at `at`: RSDP at +0, XSDT at +0x40, MADT at +0x80.
// APIC IDs are the CPU numbers 0..cpus-1, every CPU enabled. `cpus` must be 1..255.
std::vector<uint8_t> build_acpi_tables(PhysAddr at, unsigned cpus);

}  // namespace kdsim::x86
