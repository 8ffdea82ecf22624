#include "firmware-less-boot/kexec/crash_load.h"
#include "firmware-less-boot/arm64_dtb.h"
#include "firmware-less-boot/kexec/iomem.h"
#include "firmware-less-boot/kexec/kexec_tools_exit.h"
#include "firmware-less-boot/x86_boot.h"
#include "machine/error.h"
#include <algorithm>
#include <charconv>
#include <cstring>
#include <fmt/ranges.h>

namespace kdsim {

namespace {

constexpr uint64_t kPage = 4096;
constexpr uint64_t k2MiB = 2ull << 20;
// x86 kexec-tools keeps the core header segment at least this big (crashdump-x86.c).
constexpr uint64_t kX86ElfcorehdrMin = 16 << 10;
// Default linear-map bases when the VMCOREINFO text does not say (crashdump-x86.h;
// arm64: VA_BITS 48, Linux's default and the toy kernel's configuration).
constexpr uint64_t kX86PageOffset = 0xffff888000000000ull;
constexpr unsigned kArm64DefaultVaBits = 48;

uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }
uint64_t align_down(uint64_t v, uint64_t a) { return v & ~(a - 1); }

// NUMBER(name)=value from a VMCOREINFO text (decimal, or hex with 0x as arm64 prints some).
std::optional<uint64_t> vmcoreinfo_number(std::string_view text, std::string_view name) {
  std::string key = "NUMBER(" + std::string(name) + ")=";
  size_t at = text.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view v = text.substr(at + key.size());
  v = v.substr(0, v.find('\n'));
  int base = 10;
  if (v.starts_with("0x")) v.remove_prefix(2), base = 16;
  uint64_t out = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out, base);
  if (ec != std::errc()) return std::nullopt;
  return out;
}

// Hands out memory inside the crash region: low addresses upwards, the top downwards, as
// kexec-tools' add_buffer (bottom-up for the kernel, top-down for the core header).
class RegionAllocator {
public:
  explicit RegionAllocator(PhysRange r) : m_low(r.base.value()), m_high(r.base.value() + r.size) {}
  std::optional<PhysAddr> low(uint64_t size, uint64_t align) {
    uint64_t at = align_up(m_low, align);
    if (at < m_low || at > m_high || size > m_high - at) return std::nullopt;
    m_low = at + size;
    return PhysAddr(at);
  }
  std::optional<PhysAddr> high(uint64_t size, uint64_t align) {
    if (size > m_high - m_low) return std::nullopt;
    uint64_t at = align_down(m_high - size, align);
    if (at < m_low) return std::nullopt;
    m_high = at;
    return PhysAddr(at);
  }

private:
  uint64_t m_low, m_high;
};

std::string no_room_why(const CrashLoadPlan& plan, std::string_view what, uint64_t size) {
  if (!plan.crash_region) return fmt::format("kexec: no free RAM after the new kernel for the {} (0x{:x} bytes)", what, size);
  return fmt::format("kexec: the crash kernel region {} has no room for the {} (0x{:x} bytes)", *plan.crash_region,
                     what, size);
}

// A buffer that does not fit: kexec-tools' add_buffer_phys_virt() (kexec/kexec.c) asks
// locate_hole() for a page-rounded hole, which prints "Could not find a free area of memory of
// 0x%lx bytes...", and then dies with "locate_hole failed" (die(): exit status 1).
llvm::Error no_room(const CrashLoadPlan& plan, std::string_view what, uint64_t size) {
  return llvm::make_error<KexecToolsExit>(
      1, fmt::format("Could not find a free area of memory of 0x{:x} bytes...\nlocate_hole failed\n", align_up(size, kPage)),
      no_room_why(plan, what, size));
}

// arm64 places the kernel itself: arm64_locate_kernel_segment() (kexec/arch/arm64/kexec-arm64.c)
// takes the crash region's first 2 MiB boundary and gives up, silently unless -d, when the image
// would end past the region. elf_arm64_load() (kexec-elf-arm64.c) then prints "kexec: Bad elf
// image file, load failed.", my_load() (kexec/kexec.c) "Cannot load <kernel>" and returns
// EFAILED (-1) out of main(): exit status 255.
llvm::Error no_room_arm64_kernel(const CrashLoadPlan& plan, const KernelImage& k, uint64_t size) {
  return llvm::make_error<KexecToolsExit>(
      255, fmt::format("kexec: Bad elf image file, load failed.\nCannot load {}\n", k.name()),
      no_room_why(plan, "capture kernel", size));
}

// One kexec segment per PT_LOAD of `k`, moved by `offset`: kexec_load wants page-aligned
// segments, so a segment starting inside a page gets the page's head as zero padding.
// Returns the end of the highest segment.
uint64_t add_kernel_segments(const KernelImage& k, int64_t offset, CrashLoadPlan& plan) {
  uint64_t end = 0;
  for (const KernelSegment& s : k.segments()) {
    if (s.memsz == 0) continue;
    uint64_t mem = s.paddr.value() + offset;
    uint64_t pad = mem % kPage;
    KexecSegment seg{std::vector<uint8_t>(pad), PhysAddr(mem - pad), align_up(s.memsz + pad, kPage),
                     fmt::format("kernel segment {}", s.index)};
    seg.buf.insert(seg.buf.end(), s.bytes.begin(), s.bytes.end());
    end = std::max(end, seg.mem.value() + seg.memsz);
    plan.segments.push_back(std::move(seg));
  }
  return end;
}

// The capture kernel, moved so that its lowest 2 MiB-aligned base is the region's first 2 MiB
// boundary (arm64 booting.rst: 2 MiB-aligned base; the toy kernels run from any such base).
llvm::Error place_kernel(const CrashLoadConfig& c, RegionAllocator& alloc, CrashLoadPlan& plan) {
  const KernelImage& k = *c.capture_kernel;
  uint64_t lowest = ~0ull, highest = 0;
  for (const PhysRange& r : k.footprint()) {
    lowest = std::min(lowest, r.base.value());
    highest = std::max(highest, r.base.value() + r.size);
  }
  uint64_t linked_base = align_down(lowest, k2MiB);
  const uint64_t size = align_up(highest - linked_base, kPage);
  auto base = alloc.low(size, k2MiB);
  // x86_64: do_bzImage64_load() (kexec-bzImage64.c) puts the kernel in with add_buffer().
  if (!base) return c.arch == Arch::Arm64 ? no_room_arm64_kernel(plan, k, size) : no_room(plan, "capture kernel", size);
  int64_t offset = static_cast<int64_t>(base->value() - linked_base);
  add_kernel_segments(k, offset, plan);
  plan.kernel_entry = k.entry_physical(offset);
  plan.log.push_back(fmt::format("capture kernel {} at {} (moved by 0x{:x}), entry {}", k.name(), *base, offset,
                                 plan.kernel_entry));
  return llvm::Error::success();
}

// crashdump-x86.c get_backup_area: the first System RAM range that ends at or below 640 KiB
// (its end is inclusive in /proc/iomem), else BACKUP_SRC_START..BACKUP_SRC_END = [0, 0xa0000).
PhysRange x86_backup_source(const Iomem& iomem) {
  constexpr uint64_t kBackupSrcEnd = 0xa0000;
  for (const PhysRange& r : iomem.system_ram())
    if (r.size != 0 && r.last() <= kBackupSrcEnd) return r;
  return {PhysAddr(0), kBackupSrcEnd};
}

// crashdump-x86.c load_crashdump_segments: a zero-filled segment as big as the first RAM range
// below 640 KiB (rounded to 1 KiB), at the top of the crash region. The purgatory copies that
// range into it after the digest check (purgatory/arch/i386/crashdump_backup.c), and the core
// header's PT_LOAD for the range points at the copy: the capture kernel may then use low memory
// (the e820 map gives it the range) without losing the first kernel's bytes.
llvm::Error place_x86_backup(const Iomem& iomem, RegionAllocator& alloc, CrashLoadPlan& plan) {
  constexpr uint64_t kBackupAlign = 1024;
  const PhysRange source = x86_backup_source(iomem);
  const uint64_t bufsz = align_up(source.size, kBackupAlign);
  const uint64_t memsz = align_up(bufsz, kPage);
  auto at = alloc.high(memsz, kPage);
  if (!at) return no_room(plan, "640 KiB backup segment", memsz);
  plan.backup = CrashBackupRegion{source, *at};
  plan.log.push_back(fmt::format("backup segment at {}: the purgatory copies {} there", *at, source));
  plan.segments.push_back({std::vector<uint8_t>(bufsz, 0), *at, memsz, "backup"});
  return llvm::Error::success();
}

llvm::Expected<ElfCoreHeaderInput> core_header_input(const CrashLoadConfig& c, const Iomem& iomem,
                                                     const CrashLoadPlan& plan) {
  ElfCoreHeaderInput in;
  in.arch = c.arch;
  in.backup = plan.backup;
  in.cpu_notes = c.cpu_notes;
  in.vmcoreinfo = c.vmcoreinfo;
  in.system_ram = iomem.system_ram(c.arch == Arch::X86_64 ? IomemNameMatch::Contains : IomemNameMatch::Exact);
  in.crash_kernel = iomem.crash_kernel();
  if (in.system_ram.empty()) return make_error("{}: no System RAM", "/proc/iomem");
  // kexec-tools takes the kernel text from "Kernel code"/"Kernel data" and the virtual
  // address from /proc/kcore; kdsim reads the running kernel's _text symbol instead.
  auto code = iomem.kernel_code();
  auto data = iomem.kernel_data();
  auto text = c.running_kernel ? c.running_kernel->symbol("_text") : std::nullopt;
  if (!code.empty() && text) {
    // arm64 "Kernel code" starts at _stext; kexec-tools (crashdump-arm64.c) moves the start
    // back to _text so that the PT_LOAD's p_vaddr and p_paddr name the same byte.
    uint64_t paddr = code.front().base.value();
    auto stext = c.running_kernel->symbol("_stext");
    if (c.arch == Arch::Arm64 && stext && *stext >= *text && paddr >= *stext - *text) paddr -= *stext - *text;
    uint64_t end = (data.empty() ? code.front() : data.front()).last() + 1;
    in.kernel_text = KernelTextRange{PhysAddr(paddr), *text, align_up(end - paddr, kPage)};
  }
  if (c.arch == Arch::Arm64) {
    unsigned va_bits = static_cast<unsigned>(vmcoreinfo_number(c.vmcoreinfo_text, "VA_BITS").value_or(kArm64DefaultVaBits));
    in.page_offset = ~0ull << va_bits;  // crashdump-arm64.c get_page_offset (>= 5.4 kernels)
    in.phys_offset = vmcoreinfo_number(c.vmcoreinfo_text, "PHYS_OFFSET")
                         .value_or(align_down(in.system_ram.front().base.value(), 1ull << 30));
  } else {
    in.page_offset = kX86PageOffset;
  }
  return in;
}

llvm::Error place_elfcorehdr(const CrashLoadConfig& c, const Iomem& iomem, RegionAllocator& alloc,
                             CrashLoadPlan& plan) {
  auto input = core_header_input(c, iomem, plan);
  if (!input) return input.takeError();
  auto hdr = build_elfcorehdr(*input);
  if (!hdr) return hdr.takeError();
  uint64_t memsz = align_up(std::max<uint64_t>(hdr->size(), c.arch == Arch::X86_64 ? kX86ElfcorehdrMin : 0), kPage);
  auto at = alloc.high(memsz, kPage);
  if (!at) return no_room(plan, "ELF core header", memsz);
  plan.elfcorehdr = {*at, hdr->size()};
  plan.elfcorehdr_memsz = memsz;
  plan.log.push_back(fmt::format("elfcorehdr at {}: {} bytes, {} CPU notes", *at, hdr->size(), c.cpu_notes.size()));
  plan.segments.push_back({std::move(*hdr), *at, memsz, "elfcorehdr"});
  return llvm::Error::success();
}

// linux,usable-memory-range: the region holding the segments first (the capture kernel caps its
// memory to the first pair, drivers/of/fdt.c early_init_dt_check_for_usable_mem_range, and adds
// the others), then the other crash regions (the ,low one), as kexec-tools' arm64 setup_2nd_dtb.
std::vector<PhysRange> usable_memory_ranges(const CrashLoadPlan& plan) {
  std::vector<PhysRange> ranges{plan.crash_region.value_or(PhysRange{})};
  for (const PhysRange& r : plan.crash_regions)
    if (plan.crash_region && (r.base != plan.crash_region->base || r.size != plan.crash_region->size)) ranges.push_back(r);
  return ranges;
}

llvm::Error place_arm64_dtb(const CrashLoadConfig& c, RegionAllocator& alloc, CrashLoadPlan& plan,
                            bool kdump = true) {
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

// boot_params and the command line in one segment (kexec-bzImage64.c: "setup" segment). The
// e820 map gives the capture kernel what crashdump-x86.c's memmap holds: the backed-up low RAM
// range and the crash region, minus the backup and core header segments.
std::vector<x86::E820Entry> x86_kdump_e820(const CrashLoadPlan& plan) {
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

llvm::Error place_x86_boot_params(const CrashLoadConfig& c, RegionAllocator& alloc, CrashLoadPlan& plan,
                                  bool kdump = true) {
  auto at = alloc.low(2 * kPage, kPage);
  if (!at) return no_room(plan, "boot_params", 2 * kPage);
  std::string cmdline = kdump ? fmt::format("{} elfcorehdr={}K", c.cmdline, plan.elfcorehdr.base.value() >> 10) : c.cmdline;
  if (cmdline.size() + 1 > X86BootProtocol::kCommandLineSize)
    return make_error("kexec: the next kernel's command line is {} bytes; at most {}", cmdline.size(),
                      X86BootProtocol::kCommandLineSize - 1);
  // kexec -l: the machine's map, as the first boot had it.
  std::vector<x86::E820Entry> e820 = kdump ? x86_kdump_e820(plan) : x86::build_e820(c.board_ram);
  std::vector<uint8_t> buf = x86::build_boot_params(e820, at->offset(kPage));
  buf.resize(kPage + cmdline.size() + 1, 0);
  std::memcpy(buf.data() + kPage, cmdline.data(), cmdline.size());
  plan.boot_data = *at;
  plan.log.push_back(fmt::format("boot_params at {}: {} e820 RAM entries, command line \"{}\"", *at, e820.size(), cmdline));
  plan.segments.push_back({std::move(buf), *at, 2 * kPage, "boot_params"});
  return llvm::Error::success();
}

// Optional symbols: a foreign purgatory may not have them (kdsim_stage_port is kdsim's own).
llvm::Error set_if_present(PlacedPurgatory& p, std::string_view name, uint64_t value) {
  auto address = p.symbol_address(name);
  if (!address) {
    llvm::consumeError(address.takeError());
    return llvm::Error::success();
  }
  return p.set_symbol_value<uint64_t>(name, value);
}

// kexec-x86_64.c arch_update_purgatory, with kexec-tools' defaults (arch_options: no VGA reset,
// serial at 0x3f8 without a baud divisor, both consoles off) unless the scenario wants the
// purgatory's output on the UART. backup_* describe the 640 KiB backup segment of a crash load;
// a normal load leaves them 0 (backup_src_size 0: crashdump_backup_memory copies nothing).
llvm::Error set_x86_console_and_backup(const CrashLoadConfig& c, PlacedPurgatory& p, const CrashLoadPlan& plan) {
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

llvm::Error set_purgatory_symbols(const CrashLoadConfig& c, PlacedPurgatory& p, const CrashLoadPlan& plan) {
  if (auto err = set_if_present(p, "kdsim_stage_port", c.stage_port)) return err;
  if (c.arch == Arch::Arm64) {  // kexec-arm64.c arm64_load_other_segments
    if (auto err = p.set_symbol_value<uint64_t>("arm64_kernel_entry", plan.kernel_entry.value())) return err;
    if (auto err = p.set_symbol_value<uint64_t>("arm64_dtb_addr", plan.boot_data.value())) return err;
    return p.set_symbol_value<uint64_t>("arm64_sink", c.purgatory_uart);
  }
  // kexec-bzImage64.c: entry64_regs (rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp, r8..r15, rip).
  std::array<uint64_t, 17> regs{};
  if (auto err = p.get_symbol(
          "entry64_regs", {reinterpret_cast<uint8_t*>(regs.data()), sizeof regs}))
    return err;
  auto stack_end = p.symbol_address("stack_end");
  if (!stack_end) return stack_end.takeError();
  regs[1] = 0;                           // rbx
  regs[4] = plan.boot_data.value();      // rsi = boot_params
  regs[6] = stack_end->value();          // rsp
  regs[16] = plan.kernel_entry.value();  // rip: the ELF entry of the capture kernel
  if (auto err = p.set_symbol("entry64_regs", {reinterpret_cast<const uint8_t*>(regs.data()), sizeof regs}))
    return err;
  return set_x86_console_and_backup(c, p, plan);
}

llvm::Error place_purgatory(const CrashLoadConfig& c, RegionAllocator& alloc, CrashLoadPlan& plan) {
  const PurgatoryImage& img = *c.purgatory;
  // kexec-tools places the purgatory in the highest hole that fits (locate_hole, highest first:
  // kexec/arch/*/kexec-elf-*.c and elf_rel_build_load), in the crash region or in RAM.
  auto at = alloc.high(img.memsz(), std::max<uint64_t>(img.alignment(), kPage));
  if (!at) return no_room(plan, "purgatory", img.memsz());
  auto placed = img.place(*at);
  if (!placed) return placed.takeError();
  if (auto err = set_purgatory_symbols(c, *placed, plan)) return err;
  // kexec/kexec.c: segments are sorted (add_buffer) before update_purgatory hashes every
  // segment but the purgatory's own, in that order.
  plan.segments.push_back(placed->segment());
  auto sorted = prepare_kexec_segments(std::move(plan.segments));
  if (!sorted) return sorted.takeError();
  plan.segments = std::move(*sorted);
  if (auto err = update_purgatory(*placed, plan.segments, c.checks)) return err;
  for (KexecSegment& s : plan.segments)
    if (s.mem == *at) s = placed->segment();  // now with the regions and digest filled in
  plan.entry = placed->entry();
  plan.purgatory = {*at, placed->memsz()};
  plan.log.push_back(fmt::format("purgatory {} at {}, entry {}", img.name(), *at, plan.entry));
  return llvm::Error::success();
}

// With nothing reserved kexec-tools stops ("Memory for crashkernel is not reserved"). kdsim
// goes on and lets the kernel refuse, so its own check (-EADDRNOTAVAIL) is what a scenario
// sees; the segments go where a reservation at the top of RAM would be.
PhysRange fallback_region(const Iomem& iomem) {
  PhysRange top = iomem.system_ram().back();
  uint64_t size = std::min<uint64_t>(top.size, 256ull << 20);
  return {PhysAddr(align_down(top.base.value() + top.size - size, k2MiB)), size};
}

}  // namespace

llvm::Expected<CrashLoadPlan> plan_crash_load(const CrashLoadConfig& c) {
  auto iomem = Iomem::parse(c.iomem_text);
  if (!iomem) return iomem.takeError();
  if (iomem->system_ram().empty()) return make_error("/proc/iomem: no System RAM");
  CrashLoadPlan plan;
  plan.flags = kKexecOnCrash | (c.arch == Arch::Arm64 ? kKexecArchAarch64 : kKexecArchX86_64);
  auto crash = iomem->crash_kernel();
  if (crash.empty()) {
    plan.log.push_back("Memory for crashkernel is not reserved (kexec-tools would stop here; kdsim lets the "
                       "kernel refuse the load)");
    plan.crash_region = fallback_region(*iomem);
  } else {
    plan.crash_region = crash.back();  // x86: the high region (crashdump-x86.c); arm64: the last
    plan.crash_regions = crash;
    plan.log.push_back(fmt::format("crash kernel region {}", *plan.crash_region));
    if (crash.size() > 1)
      plan.log.push_back(fmt::format("crash kernel regions the capture kernel may use: {}", fmt::join(crash, ", ")));
  }
  RegionAllocator alloc(*plan.crash_region);
  if (auto err = place_kernel(c, alloc, plan)) return err;
  // kexec-bzImage64.c: load_crashdump_segments adds the backup segment, then the core header,
  // each at the top of what is left.
  if (c.arch == Arch::X86_64)
    if (auto err = place_x86_backup(*iomem, alloc, plan)) return err;
  if (auto err = place_elfcorehdr(c, *iomem, alloc, plan)) return err;
  auto boot = c.arch == Arch::Arm64 ? place_arm64_dtb(c, alloc, plan) : place_x86_boot_params(c, alloc, plan);
  if (boot) return boot;
  if (auto err = place_purgatory(c, alloc, plan)) return err;
  return plan;
}

llvm::Expected<CrashLoadPlan> plan_kexec_load(const CrashLoadConfig& c) {
  auto iomem = Iomem::parse(c.iomem_text);
  if (!iomem) return iomem.takeError();
  auto ram = iomem->system_ram(c.arch == Arch::X86_64 ? IomemNameMatch::Contains : IomemNameMatch::Exact);
  if (ram.empty()) return make_error("/proc/iomem: no System RAM");
  CrashLoadPlan plan;
  plan.flags = c.arch == Arch::Arm64 ? kKexecArchAarch64 : kKexecArchX86_64;
  const KernelImage& k = *c.capture_kernel;
  const uint64_t end = add_kernel_segments(k, 0, plan);
  plan.kernel_entry = k.entry_physical();
  plan.log.push_back(fmt::format("kernel {} at its linked address, entry {}", k.name(), plan.kernel_entry));
  // The boot data and the purgatory: free RAM after the new kernel, in the RAM range holding it.
  auto holder = std::find_if(ram.begin(), ram.end(), [&](const PhysRange& r) { return r.contains(PhysAddr(end - 1)); });
  if (holder == ram.end()) return make_error("kexec: the kernel ends at 0x{:x}, outside System RAM", end);
  PhysAddr after(align_up(end, k2MiB));
  RegionAllocator alloc({after, holder->base.value() + holder->size - after.value()});
  plan.crash_region = std::nullopt;
  auto boot = c.arch == Arch::Arm64 ? place_arm64_dtb(c, alloc, plan, false) : place_x86_boot_params(c, alloc, plan, false);
  if (boot) return boot;
  if (auto err = place_purgatory(c, alloc, plan)) return err;
  return plan;
}

std::vector<uint8_t> encode_kexec_load_blob(std::span<const KexecSegment> segments, PhysAddr entry, uint64_t flags) {
  constexpr uint32_t kMagic = 0x4758454b;  // "KEXG"
  const uint64_t header = 24 + 32 * segments.size();
  std::vector<uint8_t> blob(header);
  auto put = [&](size_t at, auto v) { std::memcpy(blob.data() + at, &v, sizeof v); };
  put(0, kMagic);
  put(4, static_cast<uint32_t>(segments.size()));
  put(8, entry.value());
  put(16, flags);
  for (size_t i = 0; i < segments.size(); ++i) {
    const KexecSegment& s = segments[i];
    put(24 + 32 * i, static_cast<uint64_t>(blob.size()));
    put(24 + 32 * i + 8, s.bufsz());
    put(24 + 32 * i + 16, s.mem.value());
    put(24 + 32 * i + 24, s.memsz);
    blob.insert(blob.end(), s.buf.begin(), s.buf.end());
  }
  return blob;
}

}  // namespace kdsim
