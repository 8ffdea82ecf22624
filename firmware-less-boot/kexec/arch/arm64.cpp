// kexec-tools' kexec/arch/arm64/ in the kexec plan: the kernel placed at the crash region's
// first 2 MiB boundary, a DTB for the next kernel, and the purgatory's arm64_* variables.
#include "firmware-less-boot/arm64_dtb.h"
#include "firmware-less-boot/kexec/kexec_arch.h"
#include "firmware-less-boot/kexec/kexec_tools_exit.h"
#include <fmt/ranges.h>

namespace kdsim {

namespace {
using namespace kexec_parts;

// arm64: VA_BITS 48 when the VMCOREINFO text does not say (Linux's default and the toy kernel's).
constexpr unsigned kArm64DefaultVaBits = 48;

// linux,usable-memory-range: the region holding the segments first (the capture kernel caps its
// memory to the first pair, drivers/of/fdt.c early_init_dt_check_for_usable_mem_range, and adds
// the others), then the other crash regions (the ,low one), as kexec-tools' arm64 setup_2nd_dtb.
std::vector<PhysRange> usable_memory_ranges(const KexecPlan& plan) {
  std::vector<PhysRange> ranges{plan.crash_region.value_or(PhysRange{})};
  for (const PhysRange& r : plan.crash_regions)
    if (plan.crash_region && (r.base != plan.crash_region->base || r.size != plan.crash_region->size)) ranges.push_back(r);
  return ranges;
}

class Arm64KexecArch final : public KexecArch {
public:
  uint64_t kexec_arch_flag() const override { return kKexecArchAarch64; }
  IomemNameMatch system_ram_match() const override { return IomemNameMatch::Exact; }

  // arm64_locate_kernel_segment() (kexec/arch/arm64/kexec-arm64.c) takes the crash region's
  // first 2 MiB boundary and gives up, silently unless -d, when the image would end past the
  // region. elf_arm64_load() (kexec-elf-arm64.c) then prints "kexec: Bad elf image file, load
  // failed.", my_load() (kexec/kexec.c) "Cannot load <kernel>" and returns EFAILED (-1) out of
  // main(): exit status 255.
  llvm::Error no_room_for_kernel(const KexecPlan& plan, const KernelImage& k, uint64_t size) const override {
    return llvm::make_error<KexecToolsExit>(
        255, fmt::format("kexec: Bad elf image file, load failed.\nCannot load {}\n", k.name()),
        no_room_why(plan, "capture kernel", size));
  }

  llvm::Error place_crash_extras(const Iomem&, RegionAllocator&, KexecPlan&) const override {
    return llvm::Error::success();
  }

  // "Kernel code" starts at _stext; kexec-tools (crashdump-arm64.c) moves the start back to
  // _text so that the PT_LOAD's p_vaddr and p_paddr name the same byte.
  uint64_t kernel_text_paddr(uint64_t code_start, const KernelImage& running, VirtAddr text) const override {
    auto stext = running.symbol("_stext");
    if (stext && *stext >= text && code_start >= *stext - text) return code_start - (*stext - text);
    return code_start;
  }

  void set_linear_map(const KexecPlanConfig& c, ElfCoreHeaderInput& in) const override {
    unsigned va_bits = static_cast<unsigned>(vmcoreinfo_number(c.vmcoreinfo_text, "VA_BITS").value_or(kArm64DefaultVaBits));
    in.page_offset = ~0ull << va_bits;  // crashdump-arm64.c get_page_offset (>= 5.4 kernels)
    in.phys_offset = vmcoreinfo_number(c.vmcoreinfo_text, "PHYS_OFFSET")
                         .value_or(align_down(in.system_ram.front().base.value(), 1ull << 30));
  }

  uint64_t elfcorehdr_min_size() const override { return 0; }

  llvm::Error place_boot_data(const KexecPlanConfig& c, RegionAllocator& alloc, KexecPlan& plan,
                              KexecMode mode) const override {
    const bool kdump = mode == KexecMode::Crash;
    Arm64KdumpChosen chosen{plan.elfcorehdr, usable_memory_ranges(plan)};
    auto dtb = build_arm64_dtb(c.board_ram, c.cpu_count, c.cmdline, kdump ? &chosen : nullptr);
    if (!dtb) return dtb.takeError();
    auto at = alloc.low(align_up(dtb->size(), kPage), kPage);
    if (!at) return no_room(plan, "DTB", dtb->size());
    plan.boot_data = *at;
    if (kdump)
      plan.log.push_back(fmt::format("dtb at {}: bootargs \"{}\", linux,elfcorehdr {}, linux,usable-memory-range {}",
                                     *at, c.cmdline, plan.elfcorehdr, fmt::join(chosen.usable_memory, " ")));
    else
      plan.log.push_back(fmt::format("dtb at {}: bootargs \"{}\"", *at, c.cmdline));
    plan.segments.push_back({std::move(*dtb), *at, 0, "dtb"});
    plan.segments.back().memsz = align_up(plan.segments.back().buf.size(), kPage);
    return llvm::Error::success();
  }

  // kexec-arm64.c arm64_load_other_segments.
  llvm::Error set_purgatory_symbols(const KexecPlanConfig& c, PlacedPurgatory& p, const KexecPlan& plan) const override {
    if (auto err = p.set_symbol_value<uint64_t>("arm64_kernel_entry", plan.kernel_entry.value())) return err;
    if (auto err = p.set_symbol_value<uint64_t>("arm64_dtb_addr", plan.boot_data.value())) return err;
    return p.set_symbol_value<uint64_t>("arm64_sink", c.purgatory_uart);
  }
};
}  // namespace

const KexecArch& kexec_arch_arm64() {
  static const Arm64KexecArch arch;
  return arch;
}

}  // namespace kdsim
