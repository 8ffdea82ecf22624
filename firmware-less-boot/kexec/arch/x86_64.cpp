// kexec-tools' kexec/arch/i386/ and kexec/arch/x86_64/ in the kexec plan: the 640 KiB backup
// segment of a crash load, boot_params with an e820 map and the command line, and the
// purgatory's entry64_regs, console and backup variables.
#include "firmware-less-boot/kexec/kexec_arch.h"
#include "firmware-less-boot/kexec/kexec_tools_exit.h"
#include "firmware-less-boot/x86_boot.h"
#include "machine/error.h"
#include <array>
#include <cstring>

namespace kdsim {

namespace {
using namespace kexec_parts;

// x86 kexec-tools keeps the core header segment at least this big (crashdump-x86.c).
constexpr uint64_t kX86ElfcorehdrMin = 16 << 10;
// The linear map's base (crashdump-x86.h X86_64_PAGE_OFFSET, 4-level paging).
constexpr uint64_t kX86PageOffset = 0xffff888000000000ull;

// crashdump-x86.h: the kernel text map area and the alignment of its PT_LOAD's start.
constexpr uint64_t kStartKernelMap = 0xffffffff80000000ull;
constexpr uint64_t kKernelTextSize = 512ull << 20;
constexpr uint64_t kKernVaddrAlign = 1ull << 20;

// load_crashdump_segments() failing: its own message, then my_load()'s "Cannot load <kernel>";
// main() returns EFAILED (-1): exit status 255.
llvm::Error cannot_load(const std::string& kernel, std::string message, std::string why) {
  return llvm::make_error<KexecToolsExit>(255, message + fmt::format("Cannot load {}\n", kernel), std::move(why));
}

// The fallback of get_kernel_vaddr_and_size: a PT_LOAD inside
// [__START_KERNEL_map, __START_KERNEL_map + KERNEL_TEXT_SIZE).
const KcoreLoad* load_in_text_map_area(const Kcore& kcore) {
  for (const KcoreLoad& l : kcore.loads)
    if (l.vaddr.value() >= kStartKernelMap && l.memsz <= kKernelTextSize &&
        l.vaddr.value() - kStartKernelMap <= kKernelTextSize - l.memsz)
      return &l;
  return nullptr;
}

// crashdump-x86.c get_backup_area: the first System RAM range that ends at or below 640 KiB
// (its end is inclusive in /proc/iomem), else BACKUP_SRC_START..BACKUP_SRC_END = [0, 0xa0000).
PhysRange backup_source(const Iomem& iomem) {
  constexpr uint64_t kBackupSrcEnd = 0xa0000;
  for (const PhysRange& r : iomem.system_ram())
    if (r.size != 0 && r.last() <= kBackupSrcEnd) return r;
  return {PhysAddr(0), kBackupSrcEnd};
}

// boot_params and the command line in one segment (kexec-bzImage64.c: "setup" segment). The
// e820 map gives the capture kernel what crashdump-x86.c's memmap holds: the backed-up low RAM
// range and the crash region, minus the backup and core header segments.
std::vector<x86::E820Entry> kdump_e820(const KexecPlan& plan) {
  std::vector<PhysRange> holes{{plan.elfcorehdr.base, plan.elfcorehdr_memsz}};
  std::vector<x86::E820Entry> e820;
  if (plan.backup) {
    e820.push_back({plan.backup->source, x86::E820Type::Ram});
    holes.push_back({plan.backup->backup_start, align_up(plan.backup->source.size, kPage)});
  }
  std::vector<PhysRange> regions = plan.crash_regions;
  if (regions.empty()) regions.push_back(*plan.crash_region);  // nothing reserved: the fallback
  for (const PhysRange& r : subtract_ranges(regions, holes))
    if (r.size != 0) e820.push_back({r, x86::E820Type::Ram});
  return e820;
}

// kexec-x86_64.c arch_update_purgatory, with kexec-tools' defaults (arch_options: no VGA reset,
// serial at 0x3f8 without a baud divisor, both consoles off) unless the scenario wants the
// purgatory's output on the UART. backup_* describe the 640 KiB backup segment of a crash load;
// a normal load leaves them 0 (backup_src_size 0: crashdump_backup_memory copies nothing).
llvm::Error set_console_and_backup(const KexecPlanConfig& c, PlacedPurgatory& p, const KexecPlan& plan) {
  constexpr uint16_t kDefaultSerialBase = 0x3f8;
  const uint16_t serial_base = c.purgatory_uart ? static_cast<uint16_t>(c.purgatory_uart) : kDefaultSerialBase;
  if (auto err = p.set_symbol_value<uint8_t>("reset_vga", 0)) return err;
  if (auto err = p.set_symbol_value<uint16_t>("serial_base", serial_base)) return err;
  if (auto err = p.set_symbol_value<uint32_t>("serial_baud", 0)) return err;
  if (auto err = p.set_symbol_value<uint8_t>("console_vga", 0)) return err;
  if (auto err = p.set_symbol_value<uint8_t>("console_serial", c.purgatory_uart ? 1 : 0)) return err;
  const CrashBackupRegion backup = plan.backup.value_or(CrashBackupRegion{});
  if (auto err = p.set_symbol_value<uint64_t>("backup_src_start", backup.source.base.value())) return err;
  if (auto err = p.set_symbol_value<uint64_t>("backup_src_size", backup.source.size)) return err;
  if (plan.crash_region)
    if (auto err = p.set_symbol_value<uint64_t>("backup_start", backup.backup_start.value())) return err;
  return p.set_symbol_value<uint8_t>("panic_kernel", plan.crash_region ? 1 : 0);
}

class X86_64KexecArch final : public KexecArch {
public:
  uint64_t kexec_arch_flag() const override { return kKexecArchX86_64; }
  IomemNameMatch system_ram_match() const override { return IomemNameMatch::Contains; }

  // do_bzImage64_load() (kexec-bzImage64.c) puts the kernel in with add_buffer().
  llvm::Error no_room_for_kernel(const KexecPlan& plan, const KernelImage&, uint64_t size) const override {
    return no_room(plan, "capture kernel", size);
  }

  // crashdump-x86.c load_crashdump_segments: a zero-filled segment as big as the first RAM range
  // below 640 KiB (rounded to 1 KiB), at the top of the crash region. The purgatory copies that
  // range into it after the digest check (purgatory/arch/i386/crashdump_backup.c), and the core
  // header's PT_LOAD for the range points at the copy: the capture kernel may then use low
  // memory (the e820 map gives it the range) without losing the first kernel's bytes.
  llvm::Error place_crash_extras(const Iomem& iomem, RegionAllocator& alloc, KexecPlan& plan) const override {
    constexpr uint64_t kBackupAlign = 1024;
    const PhysRange source = backup_source(iomem);
    const uint64_t bufsz = align_up(source.size, kBackupAlign);
    const uint64_t memsz = align_up(bufsz, kPage);
    auto at = alloc.high(memsz, kPage);
    if (!at) return no_room(plan, "640 KiB backup segment", memsz);
    plan.backup = CrashBackupRegion{source, *at};
    plan.log.push_back(fmt::format("backup segment at {}: the purgatory copies {} there", *at, source));
    plan.segments.push_back({std::vector<uint8_t>(bufsz, 0), *at, memsz, "backup"});
    return llvm::Error::success();
  }

  // crashdump-x86.c reads /proc/kcore only for a crash load (get_kernel_vaddr_and_size).
  bool reads_kcore(KexecMode mode) const override { return mode == KexecMode::Crash; }

  // crashdump-x86.c get_kernel_paddr ("Kernel code"'s start) and get_kernel_vaddr_and_size: the
  // kcore PT_LOAD holding _stext, else one inside the kernel text map area; its start aligned
  // down to 1 MiB, its size to a page. Without kcore the load fails.
  llvm::Expected<std::optional<KernelTextRange>> kernel_text(const KexecPlanConfig& c, const Iomem& iomem,
                                                             const KcoreRead& kcore) const override {
    const std::string kernel = c.capture_kernel ? c.capture_kernel->name() : "the kernel";
    auto code = iomem.kernel_code();
    if (code.empty())
      return cannot_load(kernel, "Cannot determine kernel physical load addr\n", "/proc/iomem has no \"Kernel code\"");
    if (!kcore.kcore && !kcore.unreadable.empty())
      return cannot_load(kernel, fmt::format("Cannot read /proc/kcore: {}\n", kcore.unreadable),
                         fmt::format("kexec-tools reads the kernel text mapping from /proc/kcore, which said: {}",
                                     kcore.unreadable));
    if (!kcore.kcore) return cannot_load(kernel, "ELF core (kcore) parse failed\n", kcore.malformed);
    const KcoreLoad* load = nullptr;
    if (auto stext = kallsyms_symbol(c, "_stext")) load = kcore_load_containing(*kcore.kcore, *stext);
    if (!load) load = load_in_text_map_area(*kcore.kcore);
    if (!load)
      return cannot_load(kernel, "Can't find kernel text map area from kcore\n",
                         "no /proc/kcore PT_LOAD holds _stext or lies inside the kernel text map area");
    const VirtAddr start = load->vaddr.align_down(kKernVaddrAlign);
    return KernelTextRange{code.front().base, start, align_up(load->vaddr.value() + load->memsz - start.value(), kPage)};
  }

  // get_kernel_vaddr_and_size also finds the direct map's base: the lowest kcore PT_LOAD, down
  // to a 1 GiB boundary (it moves with KASLR); X86_64_PAGE_OFFSET when there is none.
  void set_linear_map(const KexecPlanConfig&, const KcoreRead& kcore, ElfCoreHeaderInput& in,
                      std::vector<std::string>&) const override {
    in.page_offset = kX86PageOffset;
    if (!kcore.kcore || kcore.kcore->loads.empty()) return;
    uint64_t lowest = ~0ull;
    for (const KcoreLoad& l : kcore.kcore->loads) lowest = std::min(lowest, align_down(l.vaddr.value(), 1ull << 30));
    in.page_offset = lowest;
  }
  uint64_t elfcorehdr_min_size() const override { return kX86ElfcorehdrMin; }

  llvm::Error place_boot_data(const KexecPlanConfig& c, RegionAllocator& alloc, KexecPlan& plan,
                              KexecMode mode) const override {
    const bool kdump = mode == KexecMode::Crash;
    auto at = alloc.low(2 * kPage, kPage);
    if (!at) return no_room(plan, "boot_params", 2 * kPage);
    std::string cmdline =
        kdump ? fmt::format("{} elfcorehdr={}K", c.cmdline, plan.elfcorehdr.base.value() >> 10) : c.cmdline;
    if (cmdline.size() + 1 > X86BootProtocol::kCommandLineSize)
      return make_error("kexec: the next kernel's command line is {} bytes; at most {}", cmdline.size(),
                        X86BootProtocol::kCommandLineSize - 1);
    // kexec -l: the machine's map, as the first boot had it.
    std::vector<x86::E820Entry> e820 = kdump ? kdump_e820(plan) : x86::build_e820(c.board_ram);
    std::vector<uint8_t> buf = x86::build_boot_params(e820, at->offset(kPage));
    buf.resize(kPage + cmdline.size() + 1, 0);
    std::memcpy(buf.data() + kPage, cmdline.data(), cmdline.size());
    plan.boot_data = *at;
    plan.log.push_back(
        fmt::format("boot_params at {}: {} e820 RAM entries, command line \"{}\"", *at, e820.size(), cmdline));
    plan.segments.push_back({std::move(buf), *at, 2 * kPage, "boot_params"});
    return llvm::Error::success();
  }

  // kexec-bzImage64.c: entry64_regs (rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp, r8..r15, rip).
  llvm::Error set_purgatory_symbols(const KexecPlanConfig& c, PlacedPurgatory& p, const KexecPlan& plan) const override {
    std::array<uint64_t, 17> regs{};
    if (auto err = p.get_symbol("entry64_regs", {reinterpret_cast<uint8_t*>(regs.data()), sizeof regs})) return err;
    auto stack_end = p.symbol_address("stack_end");
    if (!stack_end) return stack_end.takeError();
    regs[1] = 0;                           // rbx
    regs[4] = plan.boot_data.value();      // rsi = boot_params
    regs[6] = stack_end->value();          // rsp
    regs[16] = plan.kernel_entry.value();  // rip: the ELF entry of the capture kernel
    if (auto err = p.set_symbol("entry64_regs", {reinterpret_cast<const uint8_t*>(regs.data()), sizeof regs}))
      return err;
    return set_console_and_backup(c, p, plan);
  }
};
}  // namespace

const KexecArch& kexec_arch_x86_64() {
  static const X86_64KexecArch arch;
  return arch;
}

}  // namespace kdsim
