#include "sim/boot.h"
#include "sim/host_arch.h"

namespace kdsim {

std::filesystem::path default_kernel_path(const std::filesystem::path& kernel_dir, Arch arch) {
  return kernel_dir / arch_name(arch) / "kernel.elf";
}

llvm::Expected<BootInfo> boot_first_kernel(Machine& m, const KernelImage& image, const std::string& cmdline) {
  auto info = host_arch(m.config().arch).boot(m, image, cmdline);
  if (!info) return info.takeError();
  m.start_cpu(0);
  return info;
}

}  // namespace kdsim
