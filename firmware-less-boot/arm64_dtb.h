// The flattened device tree kdsim hands an arm64 kernel instead of firmware, built with libfdt's
// sequential-write API. The nodes are the subset of QEMU `virt`'s tree that docs/boot.md
// promises (see docs/devices.md for the addresses); bindings per
// Documentation/devicetree/bindings/{arm/cpus.yaml, arm/psci.yaml, serial/pl011.yaml}.
#pragma once
#include "machine/addr.h"
#include <llvm/Support/Error.h>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace kdsim {

inline constexpr uint64_t kArm64Pl011Base = 0x09000000;
inline constexpr uint64_t kArm64Pl011Size = 0x1000;
inline constexpr std::string_view kArm64Pl011Path = "/pl011@9000000";

// Builds: / (#address-cells = #size-cells = 2), /chosen {bootargs, stdout-path},
// /memory@<first RAM base> {reg = every RAM range}, /cpus {cpu@N: reg = N (MPIDR Aff0),
// enable-method = "psci"}, /psci {"arm,psci-0.2", method = "hvc"}, /pl011@9000000.
// `ram` must be non-empty and cpu_count in [1, 256]; the caller checks both.
// What a kdump capture kernel finds in /chosen (drivers/of/fdt.c): the ELF core header and the
// memory it may use. kexec-tools' setup_2nd_dtb writes the usable ranges high first, low last.
struct Arm64KdumpChosen {
  PhysRange elfcorehdr;                 // linux,elfcorehdr = <addr size>
  std::vector<PhysRange> usable_memory;  // linux,usable-memory-range, in the order given
};

llvm::Expected<std::vector<uint8_t>> build_arm64_dtb(std::span<const PhysRange> ram, unsigned cpu_count,
                                                     std::string_view cmdline,
                                                     const Arm64KdumpChosen* kdump = nullptr);

}  // namespace kdsim
