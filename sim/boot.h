// Firmware-less boot of the first kernel: load the ELF, write the boot data the arch's
// protocol promises (DTB / boot_params), and set CPU 0's entry state.
#pragma once
#include "machine/machine.h"
#include <filesystem>
#include <string>

namespace kdsim {

struct BootInfo {
  PhysAddr entry;
  std::string summary;  // e.g. "x0 = DTB at P0x40000000"
};

std::filesystem::path default_kernel_path(const std::filesystem::path& kernel_dir, Arch arch);
llvm::Expected<BootInfo> boot_first_kernel(Machine& machine, const class KernelImage& image,
                                           const std::string& cmdline);

}  // namespace kdsim
