#include "firmware-less-boot/kexec/kexec_plan.h"
#include "firmware-less-boot/kexec/kexec_arch.h"
#include "firmware-less-boot/kexec/iomem.h"
#include "firmware-less-boot/kexec/kexec_tools_exit.h"
#include "machine/error.h"
#include <algorithm>
#include <charconv>
#include <cstring>
#include <fmt/ranges.h>

namespace kdsim {

namespace {
using namespace kexec_parts;

// One kexec segment per PT_LOAD of `k`, moved by `offset`: kexec_load wants page-aligned
// segments, so a segment starting inside a page gets the page's head as zero padding.
// Returns the end of the highest segment.
uint64_t add_kernel_segments(const KernelImage& k, int64_t offset, KexecPlan& plan) {
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
llvm::Error place_kernel(const KexecPlanConfig& c, RegionAllocator& alloc, KexecPlan& plan) {
  const KernelImage& k = *c.capture_kernel;
  uint64_t lowest = ~0ull, highest = 0;
  for (const PhysRange& r : k.footprint()) {
    lowest = std::min(lowest, r.base.value());
    highest = std::max(highest, r.base.value() + r.size);
  }
  uint64_t linked_base = align_down(lowest, k2MiB);
  const uint64_t size = align_up(highest - linked_base, kPage);
  auto base = alloc.low(size, k2MiB);
  if (!base) return kexec_arch(c.arch).no_room_for_kernel(plan, k, size);
  int64_t offset = static_cast<int64_t>(base->value() - linked_base);
  add_kernel_segments(k, offset, plan);
  plan.kernel_entry = k.entry_physical(offset);
  plan.log.push_back(fmt::format("capture kernel {} at {} (moved by 0x{:x}), entry {}", k.name(), *base, offset,
                                 plan.kernel_entry));
  return llvm::Error::success();
}

llvm::Expected<ElfCoreHeaderInput> core_header_input(const KexecPlanConfig& c, const Iomem& iomem, KexecPlan& plan) {
  ElfCoreHeaderInput in;
  in.arch = c.arch;
  in.backup = plan.backup;
  in.cpu_notes = c.cpu_notes;
  in.vmcoreinfo = c.vmcoreinfo;
  const KexecArch& arch = kexec_arch(c.arch);
  in.system_ram = iomem.system_ram(arch.system_ram_match());
  in.crash_kernel = iomem.crash_kernel();
  if (in.system_ram.empty()) return make_error("{}: no System RAM", "/proc/iomem");
  const KcoreRead kcore = read_kcore(c, static_cast<uint16_t>(arch.kexec_arch_flag() >> 16));
  auto text = arch.kernel_text(c, iomem, kcore);
  if (!text) return text.takeError();
  in.kernel_text = *text;
  arch.set_linear_map(c, kcore, in, plan.log);
  return in;
}

llvm::Error place_elfcorehdr(const KexecPlanConfig& c, const Iomem& iomem, RegionAllocator& alloc,
                             KexecPlan& plan) {
  auto input = core_header_input(c, iomem, plan);
  if (!input) return input.takeError();
  auto hdr = build_elfcorehdr(*input);
  if (!hdr) return hdr.takeError();
  uint64_t memsz = align_up(std::max<uint64_t>(hdr->size(), kexec_arch(c.arch).elfcorehdr_min_size()), kPage);
  auto at = alloc.high(memsz, kPage);
  if (!at) return no_room(plan, "ELF core header", memsz);
  plan.elfcorehdr = {*at, hdr->size()};
  plan.elfcorehdr_memsz = memsz;
  plan.log.push_back(fmt::format("elfcorehdr at {}: {} bytes, {} CPU notes", *at, hdr->size(), c.cpu_notes.size()));
  plan.segments.push_back({std::move(*hdr), *at, memsz, "elfcorehdr"});
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

llvm::Error set_purgatory_symbols(const KexecPlanConfig& c, PlacedPurgatory& p, const KexecPlan& plan) {
  if (auto err = set_if_present(p, "kdsim_stage_port", c.stage_port)) return err;
  return kexec_arch(c.arch).set_purgatory_symbols(c, p, plan);
}

llvm::Error place_purgatory(const KexecPlanConfig& c, RegionAllocator& alloc, KexecPlan& plan) {
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

// kexec -p: the capture kernel, the core header and the boot data inside the crashkernel=
// region, the purgatory at its top.
llvm::Expected<KexecPlan> plan_crash(const KexecPlanConfig& c, const KexecArch& arch, const Iomem& iomem) {
  if (iomem.system_ram().empty()) return make_error("/proc/iomem: no System RAM");
  KexecPlan plan;
  plan.flags = kKexecOnCrash | arch.kexec_arch_flag();
  auto crash = iomem.crash_kernel();
  if (crash.empty()) {
    plan.log.push_back("Memory for crashkernel is not reserved (kexec-tools would stop here; kdsim lets the "
                       "kernel refuse the load)");
    plan.crash_region = fallback_region(iomem);
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
  if (auto err = arch.place_crash_extras(iomem, alloc, plan)) return err;
  if (auto err = place_elfcorehdr(c, iomem, alloc, plan)) return err;
  if (auto err = arch.place_boot_data(c, alloc, plan, KexecMode::Crash)) return err;
  if (auto err = place_purgatory(c, alloc, plan)) return err;
  return plan;
}

// kexec -l: the new kernel at its linked address; boot data and purgatory in free RAM after it.
llvm::Expected<KexecPlan> plan_normal(const KexecPlanConfig& c, const KexecArch& arch, const Iomem& iomem) {
  auto ram = iomem.system_ram(arch.system_ram_match());
  if (ram.empty()) return make_error("/proc/iomem: no System RAM");
  KexecPlan plan;
  plan.flags = arch.kexec_arch_flag();
  const KernelImage& k = *c.capture_kernel;
  const uint64_t end = add_kernel_segments(k, 0, plan);
  plan.kernel_entry = k.entry_physical();
  plan.log.push_back(fmt::format("kernel {} at its linked address, entry {}", k.name(), plan.kernel_entry));
  auto holder = std::find_if(ram.begin(), ram.end(), [&](const PhysRange& r) { return r.contains(PhysAddr(end - 1)); });
  if (holder == ram.end()) return make_error("kexec: the kernel ends at 0x{:x}, outside System RAM", end);
  PhysAddr after(align_up(end, k2MiB));
  RegionAllocator alloc({after, holder->base.value() + holder->size - after.value()});
  plan.crash_region = std::nullopt;
  if (auto err = arch.place_boot_data(c, alloc, plan, KexecMode::Normal)) return err;
  if (auto err = place_purgatory(c, alloc, plan)) return err;
  return plan;
}

}  // namespace

llvm::Expected<KexecPlan> plan_kexec(const KexecPlanConfig& c, KexecMode mode) {
  auto iomem = Iomem::parse(c.iomem_text);
  if (!iomem) return iomem.takeError();
  const KexecArch& arch = kexec_arch(c.arch);
  return mode == KexecMode::Crash ? plan_crash(c, arch, *iomem) : plan_normal(c, arch, *iomem);
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

namespace kexec_parts {

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

KcoreRead read_kcore(const KexecPlanConfig& c, uint16_t elf_machine) {
  KcoreRead out;
  if (!c.kcore_head) {
    out.unreadable = c.kcore_error.empty() ? "it was not read" : c.kcore_error;
    return out;
  }
  auto parsed = parse_kcore(*c.kcore_head, elf_machine);
  if (parsed) out.kcore = std::move(*parsed);
  else out.malformed = llvm::toString(parsed.takeError());
  return out;
}

std::optional<VirtAddr> kallsyms_symbol(const KexecPlanConfig& c, std::string_view name) {
  return c.running_kernel ? c.running_kernel->symbol(name) : std::nullopt;
}

std::optional<PhysAddr> RegionAllocator::low(uint64_t size, uint64_t align) {
  uint64_t at = align_up(m_low, align);
  if (at < m_low || at > m_high || size > m_high - at) return std::nullopt;
  m_low = at + size;
  return PhysAddr(at);
}

std::optional<PhysAddr> RegionAllocator::high(uint64_t size, uint64_t align) {
  if (size > m_high - m_low) return std::nullopt;
  uint64_t at = align_down(m_high - size, align);
  if (at < m_low) return std::nullopt;
  m_high = at;
  return PhysAddr(at);
}

std::string no_room_why(const KexecPlan& plan, std::string_view what, uint64_t size) {
  if (!plan.crash_region) return fmt::format("kexec: no free RAM after the new kernel for the {} (0x{:x} bytes)", what, size);
  return fmt::format("kexec: the crash kernel region {} has no room for the {} (0x{:x} bytes)", *plan.crash_region,
                     what, size);
}

llvm::Error no_room(const KexecPlan& plan, std::string_view what, uint64_t size) {
  return llvm::make_error<KexecToolsExit>(
      1, fmt::format("Could not find a free area of memory of 0x{:x} bytes...\nlocate_hole failed\n", align_up(size, kPage)),
      no_room_why(plan, what, size));
}

}  // namespace kexec_parts

// The one place that picks an architecture's kexec hooks.
const KexecArch& kexec_arch(Arch arch) {
  return arch == Arch::Arm64 ? kexec_arch_arm64() : kexec_arch_x86_64();
}

}  // namespace kdsim
