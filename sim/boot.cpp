#include "sim/boot.h"
#include "firmware-less-boot/arm64_boot.h"
#include "firmware-less-boot/kernel_image.h"
#include "firmware-less-boot/x86_boot.h"
#include "machine/cpu/arm64/arm64_cpu.h"
#include "machine/cpu/x86_64/x86_64_cpu.h"
#include "machine/error.h"

namespace kdsim {

namespace {

llvm::Expected<BootInfo> boot_arm64(Machine& m, const KernelImage& image, const std::string& cmdline) {
  auto proto = Arm64BootProtocol::create({.ram = m.board().ram,
                                          .cpu_count = m.cpu_count(),
                                          .cmdline = cmdline,
                                          .kernel_footprint = image.footprint(),
                                          .kernel_entry = image.entry_physical()});
  if (!proto) return proto.takeError();
  if (auto err = image.load(m.ram(), {.phys_offset = 0, .reserved = {proto->reserved()}})) return err;
  auto entry = proto->install(m.ram());
  if (!entry) return entry.takeError();
  auto& cpu = static_cast<Arm64Cpu&>(m.cpu(0));
  // booting.rst: EL1 (or EL2), MMU and caches off, DAIF masked; a fresh engine is exactly that.
  for (unsigned i = 0; i < 4; ++i) cpu.set_x(i, entry->x[i]);
  cpu.set_pc(entry->pc);
  return BootInfo{PhysAddr(entry->pc), fmt::format("x0 = DTB at {}, {} bytes", PhysAddr(entry->x[0]),
                                                    proto->dtb().size())};
}

llvm::Expected<BootInfo> boot_x86_64(Machine& m, const KernelImage& image, const std::string& cmdline) {
  auto proto = X86BootProtocol::create({.ram = m.board().ram,
                                        .cmdline = cmdline,
                                        .kernel_footprint = image.footprint(),
                                        .kernel_entry = image.entry_physical(),
                                        .cpus = m.config().cpus});
  if (!proto) return proto.takeError();
  if (auto err = image.load(m.ram(), {.phys_offset = 0, .reserved = {proto->reserved()}})) return err;
  auto entry = proto->install(m.ram());
  if (!entry) return entry.takeError();
  auto& cpu = static_cast<X86_64Cpu&>(m.cpu(0));
  cpu.enter_boot_state({.gdtr = {entry->gdtr_base, entry->gdtr_limit},
                        .cr3 = entry->cr3,
                        .code_selector = entry->cs,
                        .data_selector = entry->ds,
                        .rip = entry->rip,
                        .rsi = entry->rsi});
  return BootInfo{PhysAddr(entry->rip), fmt::format("rsi = boot_params at {}, CR3 = {}", PhysAddr(entry->rsi),
                                                     PhysAddr(entry->cr3))};
}

}  // namespace

std::filesystem::path default_kernel_path(const std::filesystem::path& kernel_dir, Arch arch) {
  return kernel_dir / arch_name(arch) / "kernel.elf";
}

llvm::Expected<BootInfo> boot_first_kernel(Machine& m, const KernelImage& image, const std::string& cmdline) {
  auto info = m.config().arch == Arch::Arm64 ? boot_arm64(m, image, cmdline) : boot_x86_64(m, image, cmdline);
  if (!info) return info.takeError();
  m.start_cpu(0);
  return info;
}

}  // namespace kdsim
