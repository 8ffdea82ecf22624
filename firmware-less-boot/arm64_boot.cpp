#include "firmware-less-boot/arm64_boot.h"
#include "firmware-less-boot/arm64_dtb.h"
#include "machine/error.h"
#include "machine/ram.h"

namespace kdsim {

namespace {

std::string ranges_text(std::span<const PhysRange> ranges) {
  std::string out;
  for (const PhysRange& r : ranges) out += fmt::format("{}{}", out.empty() ? "" : ", ", r);
  return out;
}

llvm::Error check_config(const Arm64BootConfig& c) {
  if (c.ram.empty()) return make_error("arm64: no RAM ranges given");
  if (c.cpu_count == 0 || c.cpu_count > Arm64BootProtocol::kMaxCpus)
    return make_error("arm64: cpu count {} is outside [1, {}]", c.cpu_count, Arm64BootProtocol::kMaxCpus);
  if (c.cmdline.size() >= Arm64BootProtocol::kCommandLineSize)
    return make_error("arm64: command line is 0x{:x} bytes; COMMAND_LINE_SIZE allows 0x{:x} plus the NUL",
                      c.cmdline.size(), Arm64BootProtocol::kCommandLineSize - 1);
  if (c.cmdline.find('\0') != std::string::npos) return make_error("arm64: command line contains a NUL byte");
  return llvm::Error::success();
}

// booting.rst: the DTB is at most 2 MiB, 8-byte aligned, in RAM, and the kernel must not
// overwrite it.
llvm::Error check_dtb_placement(const Arm64BootConfig& c, PhysRange dtb) {
  if (dtb.size > Arm64BootProtocol::kDtbMaxSize)
    return make_error("arm64: DTB is 0x{:x} bytes, more than the 0x{:x} bytes booting.rst allows", dtb.size,
                      Arm64BootProtocol::kDtbMaxSize);
  bool in_ram = false;
  for (const PhysRange& r : c.ram) in_ram = in_ram || r.contains(dtb.base, dtb.size);
  if (!in_ram) return make_error("arm64: DTB {} is not inside RAM (RAM: {})", dtb, ranges_text(c.ram));
  for (const PhysRange& k : c.kernel_footprint)
    if (k.overlaps(dtb)) return make_error("arm64: DTB {} overlaps the kernel at {}", dtb, k);
  return llvm::Error::success();
}

}  // namespace

static_assert(Arm64BootProtocol::kDtbAddress.is_aligned(8), "booting.rst: the DTB must be 8-byte aligned");

llvm::Expected<Arm64BootProtocol> Arm64BootProtocol::create(Arm64BootConfig config) {
  if (auto err = check_config(config)) return err;
  auto dtb = build_arm64_dtb(config.ram, config.cpu_count, config.cmdline);
  if (!dtb) return dtb.takeError();
  if (auto err = check_dtb_placement(config, {kDtbAddress, dtb->size()})) return err;
  return Arm64BootProtocol(std::move(config), std::move(*dtb));
}

Arm64EntryState Arm64BootProtocol::entry_state() const {
  return {.pc = m_config.kernel_entry.value(), .x = {kDtbAddress.value(), 0, 0, 0}};
}

llvm::Expected<Arm64EntryState> Arm64BootProtocol::install(Ram& ram) const {
  if (auto err = ram.write(kDtbAddress, m_dtb)) return make_error("arm64: DTB: {}", llvm::toString(std::move(err)));
  return entry_state();
}

}  // namespace kdsim
