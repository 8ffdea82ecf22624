// The per-architecture half of a kexec plan: what kexec-tools keeps in kexec/arch/<arch>/. The
// generic planner (kexec_plan.cpp) asks these hooks and never tests the architecture itself;
// kexec_arch() is the one place that picks an implementation (kexec/arch/arm64.cpp,
// kexec/arch/x86_64.cpp).
#pragma once
#include "firmware-less-boot/kexec/elfcorehdr.h"
#include "firmware-less-boot/kexec/iomem.h"
#include "firmware-less-boot/kexec/kexec_plan_parts.h"
#include "firmware-less-boot/kexec/purgatory_image.h"

namespace kdsim {

class KexecArch {
public:
  virtual ~KexecArch() = default;

  // KEXEC_ARCH_* in kexec_load's flags (include/uapi/linux/kexec.h).
  virtual uint64_t kexec_arch_flag() const = 0;
  // How kexec-tools matches "System RAM" in /proc/iomem on this arch.
  virtual IomemNameMatch system_ram_match() const = 0;

  // The capture kernel does not fit the crash region: this arch's kexec-tools failure.
  virtual llvm::Error no_room_for_kernel(const KexecPlan& plan, const KernelImage& kernel, uint64_t size) const = 0;
  // Segments a crash load adds before the core header (x86_64: the 640 KiB backup).
  virtual llvm::Error place_crash_extras(const Iomem& iomem, kexec_parts::RegionAllocator& alloc,
                                         KexecPlan& plan) const = 0;

  // Whether kexec-tools reads /proc/kcore for this kind of load (arm64: always, for
  // PHYS_OFFSET and VA_BITS; x86_64: crash loads, for the kernel text mapping).
  virtual bool reads_kcore(KexecMode mode) const = 0;
  // The core header's arch parts: the kernel-text PT_LOAD (none: the header goes without it)
  // and the linear map (page_offset, phys_offset). What kexec-tools prints on the way, the
  // warnings of a fallback, goes to `log`.
  virtual llvm::Expected<std::optional<KernelTextRange>> kernel_text(const KexecPlanConfig& config, const Iomem& iomem,
                                                                     const kexec_parts::KcoreRead& kcore) const = 0;
  virtual void set_linear_map(const KexecPlanConfig& config, const kexec_parts::KcoreRead& kcore,
                              ElfCoreHeaderInput& in, std::vector<std::string>& log) const = 0;
  // The core header segment's least size.
  virtual uint64_t elfcorehdr_min_size() const = 0;

  // The next kernel's boot data (arm64: a DTB; x86_64: boot_params and the command line).
  virtual llvm::Error place_boot_data(const KexecPlanConfig& config, kexec_parts::RegionAllocator& alloc,
                                      KexecPlan& plan, KexecMode mode) const = 0;
  // arch_update_purgatory: the purgatory's variables for the hand-off to the next kernel.
  virtual llvm::Error set_purgatory_symbols(const KexecPlanConfig& config, PlacedPurgatory& purgatory,
                                            const KexecPlan& plan) const = 0;
};

const KexecArch& kexec_arch_arm64();
const KexecArch& kexec_arch_x86_64();
// The selection point.
const KexecArch& kexec_arch(Arch arch);

}  // namespace kdsim
