#include "firmware-less-boot/x86_boot.h"
#include "machine/assert.h"
#include "firmware-less-boot/x86_acpi.h"
#include "firmware-less-boot/x86_boot_params.h"
#include "firmware-less-boot/x86_gdt.h"
#include "firmware-less-boot/x86_page_tables.h"
#include "machine/error.h"
#include "machine/ram.h"
#include <algorithm>
#include <cstring>

namespace kdsim {

namespace {

constexpr uint64_t kPage = 4096;
constexpr uint64_t k4GiB = 1ull << 32;

std::string ranges_text(std::span<const PhysRange> ranges) {
  std::string out;
  for (const PhysRange& r : ranges) out += fmt::format("{}{}", out.empty() ? "" : ", ", r);
  return out;
}

llvm::Error check_cmdline(const std::string& cmdline) {
  if (cmdline.size() >= X86BootProtocol::kCommandLineSize)
    return make_error("x86: command line is 0x{:x} bytes; COMMAND_LINE_SIZE allows 0x{:x} plus the NUL",
                      cmdline.size(), X86BootProtocol::kCommandLineSize - 1);
  if (cmdline.find('\0') != std::string::npos) return make_error("x86: command line contains a NUL byte");
  return llvm::Error::success();
}

// boot.rst: the identity map must cover the kernel, the zero page and the command line; kdsim
// maps the first 4 GiB (MMIO included) and every RAM range, like kexec's identity map, but
// nothing at or above the CPU's MAXPHYADDR (the kernel ignores that RAM, see head_64.S).
uint64_t identity_map_end(std::span<const PhysRange> ram) {
  uint64_t end = k4GiB;
  for (const PhysRange& r : ram) end = std::max(end, r.last() + 1);
  return std::min<uint64_t>(end, 1ull << x86::kMaxPhysAddrBits);
}

llvm::Error check_boot_area(const X86BootConfig& c, PhysRange area) {
  if (area.base.value() + area.size > x86::kLowMemoryEnd)
    return make_error("x86: boot area {} runs past the usable low memory end P0x{:x}", area, x86::kLowMemoryEnd);
  bool in_ram = false;
  for (const PhysRange& r : c.ram) in_ram = in_ram || r.contains(area.base, area.size);
  if (!in_ram) return make_error("x86: boot area {} is not inside RAM (RAM: {})", area, ranges_text(c.ram));
  for (const PhysRange& k : c.kernel_footprint)
    if (k.overlaps(area))
      return make_error("x86: kernel at {} overlaps the boot area {} (GDT, boot_params, command line, page tables)",
                        k, area);
  return llvm::Error::success();
}

}  // namespace

llvm::Expected<X86BootProtocol> X86BootProtocol::create(X86BootConfig config) {
  if (config.ram.empty()) return make_error("x86: no RAM ranges given");
  if (config.cpus < 1 || config.cpus > 255) return make_error("x86: {} CPUs: the MADT describes 1 to 255", config.cpus);
  std::sort(config.ram.begin(), config.ram.end(), [](auto& a, auto& b) { return a.base < b.base; });
  if (auto err = check_cmdline(config.cmdline)) return err;

  X86BootProtocol p;
  p.m_e820 = x86::build_e820(config.ram);
  if (p.m_e820.size() > x86::kE820MaxEntriesZeropage)
    return make_error("x86: the e820 map has {} entries; boot_params holds {}", p.m_e820.size(),
                      x86::kE820MaxEntriesZeropage);
  auto tables = x86::build_identity_page_tables(kPageTablesAddress, identity_map_end(config.ram));
  if (!tables) return tables.takeError();
  p.m_tables = {tables->area, std::move(tables->bytes)};
  p.m_mapped = tables->mapped;
  if (auto err = check_boot_area(config, p.boot_area())) return err;
  p.m_config = std::move(config);
  return p;
}

std::vector<uint8_t> x86::build_boot_params(std::span<const E820Entry> e820, PhysAddr cmdline_at,
                                            PhysAddr acpi_rsdp) {
  KDSIM_ASSERT(e820.size() <= kE820MaxEntriesZeropage, "{} e820 entries", e820.size());
  BootParams bp;
  std::memset(&bp, 0, sizeof bp);
  bp.acpi_rsdp_addr = acpi_rsdp.value();
  bp.hdr.boot_flag = kBootFlag;
  bp.hdr.header = kHdrSMagic;
  bp.hdr.version = kBootProtocolVersion;
  bp.hdr.type_of_loader = kLoaderUndefined;
  bp.hdr.loadflags = kLoadedHigh;
  bp.hdr.cmd_line_ptr = static_cast<uint32_t>(cmdline_at.value());
  bp.ext_cmd_line_ptr = static_cast<uint32_t>(cmdline_at.value() >> 32);
  bp.hdr.cmdline_size = static_cast<uint32_t>(X86BootProtocol::kCommandLineSize - 1);  // boot.rst: without the NUL
  bp.e820_entries = static_cast<uint8_t>(e820.size());
  for (size_t i = 0; i < e820.size(); ++i)
    bp.e820_table[i] = {e820[i].range.base.value(), e820[i].range.size, static_cast<uint32_t>(e820[i].type)};
  std::vector<uint8_t> page(sizeof bp);
  std::memcpy(page.data(), &bp, sizeof bp);
  return page;
}

std::vector<uint8_t> X86BootProtocol::boot_params_page() const {
  // <= 128 entries, checked in create()
  return x86::build_boot_params(m_e820, kCmdlineAddress, x86::kAcpiTablesAddress);
}

X86EntryState X86BootProtocol::entry_state() const {
  return {.rip = m_config.kernel_entry.value(),
          .rsi = kBootParamsAddress.value(),
          .rsp = 0,
          .rflags = kRflagsFixed,
          .cr0 = kCr0Pe | kCr0Mp | kCr0Et | kCr0Ne | kCr0Wp | kCr0Pg,
          .cr3 = kPageTablesAddress.value(),
          .cr4 = kCr4Pae,
          .efer = kEferLme | kEferLma,
          .gdtr_base = kGdtAddress.value(),
          .gdtr_limit = static_cast<uint16_t>(sizeof(x86::kBootGdt) - 1),
          .cs = x86::kBootCs,
          .ds = x86::kBootDs,
          .es = x86::kBootDs,
          .ss = x86::kBootDs};
}

llvm::Expected<X86EntryState> X86BootProtocol::install(Ram& ram) const {
  std::vector<uint8_t> gdt_page(kPage, 0);
  std::memcpy(gdt_page.data(), x86::kBootGdt.data(), sizeof(x86::kBootGdt));
  std::vector<uint8_t> cmdline_page(kPage, 0);  // the NUL comes from the zero fill
  std::memcpy(cmdline_page.data(), m_config.cmdline.data(), m_config.cmdline.size());
  const std::vector<uint8_t> zero_page = boot_params_page();
  const std::vector<uint8_t> acpi = x86::build_acpi_tables(x86::kAcpiTablesAddress, m_config.cpus);

  const struct {
    PhysAddr at;
    std::span<const uint8_t> bytes;
  } parts[] = {{kGdtAddress, gdt_page},
               {kBootParamsAddress, zero_page},
               {kCmdlineAddress, cmdline_page},
               {m_tables.area.base, m_tables.bytes},
               {x86::kAcpiTablesAddress, acpi}};
  for (const auto& part : parts)
    if (auto err = ram.write(part.at, part.bytes)) return make_error("x86: {}", llvm::toString(std::move(err)));
  return entry_state();
}

}  // namespace kdsim
