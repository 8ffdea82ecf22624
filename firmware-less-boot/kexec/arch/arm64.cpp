// kexec-tools' kexec/arch/arm64/ in the kexec plan: the kernel placed at the crash region's
// first 2 MiB boundary, a DTB for the next kernel, and the purgatory's arm64_* variables.
#include "firmware-less-boot/arm64_dtb.h"
#include "firmware-less-boot/kexec/kexec_arch.h"
#include "firmware-less-boot/kexec/kexec_tools_exit.h"
#include <fmt/ranges.h>

namespace kdsim {

namespace {
using namespace kexec_parts;

// arm64: VA_BITS 48 when nothing else says (Linux's default and the toy kernel's).
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

// Why kcore gave nothing, with what kexec-tools prints about it (kexec-arm64.c
// get_phys_offset_from_vmcoreinfo_pt_note: "Can't open (/proc/kcore).").
std::string kcore_fallback_note(const KcoreRead& kcore) {
  if (!kcore.unreadable.empty())
    return fmt::format("kexec-tools: \"Can't open (/proc/kcore).\" ({}): PHYS_OFFSET from /proc/iomem", kcore.unreadable);
  return fmt::format("kexec-tools: /proc/kcore has no usable header ({}): PHYS_OFFSET from /proc/iomem", kcore.malformed);
}

// kexec-arm64.c get_va_bits without kcore: the first PAGE_OFFSET_<n> mask, n = 36, 39, 42, 47,
// 48 in that order, that _stext lies above. A 48-bit kernel's image (0xffff8000...) already
// passes the 47-bit test, so this kexec-tools gets VA_BITS 47 and a page_offset half the linear
// map too high (later releases test 48 first).
unsigned va_bits_from_stext(std::optional<VirtAddr> stext) {
  if (!stext) return kArm64DefaultVaBits;  // kexec-tools: "Can't get the symbol of _stext."
  for (unsigned bits : {36u, 39u, 42u, 47u, 48u}) {
    const uint64_t mask = ~0ull << bits;
    if ((stext->value() & mask) == mask) return bits;
  }
  return kArm64DefaultVaBits;
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

  // kexec-arm64.c get_memory_ranges: PHYS_OFFSET and VA_BITS come from /proc/kcore, for kexec
  // -l as for kexec -p.
  bool reads_kcore(KexecMode) const override { return true; }

  // crashdump-arm64.c: paddr is "Kernel code"'s start, moved back from _stext to _text so that
  // the PT_LOAD's p_vaddr and p_paddr name the same byte; vaddr is _text (from /proc/kallsyms);
  // the size runs to the end of "Kernel data".
  llvm::Expected<std::optional<KernelTextRange>> kernel_text(const KexecPlanConfig& c, const Iomem& iomem,
                                                             const KcoreRead&) const override {
    auto code = iomem.kernel_code();
    auto data = iomem.kernel_data();
    auto text = kallsyms_symbol(c, "_text");
    if (code.empty() || !text) return std::nullopt;
    uint64_t paddr = code.front().base.value();
    auto stext = kallsyms_symbol(c, "_stext");
    if (stext && *stext >= *text && paddr >= *stext - *text) paddr -= *stext - *text;
    const uint64_t end = (data.empty() ? code.front() : data.front()).last() + 1;
    return KernelTextRange{PhysAddr(paddr), *text, align_up(end - paddr, kPage)};
  }

  // kexec-arm64.c get_memory_ranges + get_page_offset (the kexec-tools that reads VA_BITS from
  // kcore, as Debian 12's 2.0.25 does):
  // PHYS_OFFSET and VA_BITS from kcore's VMCOREINFO note when it can be read. Without it:
  // VA_BITS from where _stext lies, and PHYS_OFFSET from the first System RAM range.
  // set_phys_offset() keeps the lowest value it is given, so the iomem value also wins when it is
  // below the note's. page_offset = ~0 << VA_BITS (kernels from 5.4 on).
  void set_linear_map(const KexecPlanConfig& c, const KcoreRead& kcore, ElfCoreHeaderInput& in,
                      std::vector<std::string>& log) const override {
    const std::string* info = kcore.kcore && kcore.kcore->vmcoreinfo ? &*kcore.kcore->vmcoreinfo : nullptr;
    if (!kcore.kcore) log.push_back(kcore_fallback_note(kcore));
    std::optional<uint64_t> va_bits = info ? vmcoreinfo_number(*info, "VA_BITS") : std::nullopt;
    if (!va_bits) {
      log.push_back("kexec-tools: \"Warning, can't get the VA_BITS from kcore\": VA_BITS from _stext");
      va_bits = va_bits_from_stext(kallsyms_symbol(c, "_stext"));
    }
    in.page_offset = ~0ull << *va_bits;
    uint64_t phys_offset = in.system_ram.front().base.value();
    if (auto from_note = info ? vmcoreinfo_number(*info, "PHYS_OFFSET") : std::nullopt)
      phys_offset = std::min(phys_offset, *from_note);
    in.phys_offset = phys_offset;
    if (!info) log.push_back(fmt::format("kexec-tools: VA_BITS {} (page_offset 0x{:x}), PHYS_OFFSET 0x{:x} from /proc/iomem",
                                         *va_bits, in.page_offset, in.phys_offset));
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
