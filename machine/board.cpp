#include "machine/board.h"
#include "machine/error.h"

namespace kdsim {

namespace {
constexpr uint64_t kMiB = 1ull << 20, kGiB = 1ull << 30;
constexpr uint64_t kMaxRam = 1024 * kGiB;  // sparse, so only address-space bounded

Board arm64_virt(uint64_t ram_size) {
  // QEMU virt: RAM at 1 GiB, PL011 at 0x0900_0000, virtio-mmio window at 0x0a00_0000.
  return Board{.arch = Arch::Arm64,
               .ram = {{PhysAddr(kArm64RamBase), ram_size}},
               .uart = PhysAddr(0x0900'0000),
               .agent = PhysAddr(0x0a00'0000),
               .stage_port = PhysAddr(0x0a00'0200),
               .dump_disk = PhysAddr(0x0a00'0400),
               .kdsim_window = {PhysAddr(0x0a00'0000), 0x4000},
               .gic_distributor = PhysAddr(0x0800'0000),
               .gic_cpu_interface = PhysAddr(0x0801'0000),
               .rtc = PhysAddr(0x0901'0000),
               .device_window = {PhysAddr(0x0800'0000), 0x0220'0000}};
}

Board x86_pc(uint64_t ram_size) {
  Board b{.arch = Arch::X86_64,
          .ram = {},
          .uart_port = IoPort(0x3f8),
          .agent = PhysAddr(0xfeb0'0000),
          .stage_port = PhysAddr(0xfeb0'0200),
          .dump_disk = PhysAddr(0xfeb0'0400),
          .kdsim_window = {PhysAddr(0xfeb0'0000), 0x4000},
          .local_apic = PhysAddr(0xfee0'0000),
          .rtc_port = IoPort(0x70),
          .acpi_pm1a_control = IoPort(0x604),
          .reset_control = IoPort(0xcf9),
          .hpet = PhysAddr(0xfed0'0000)};
  uint64_t low = std::min(ram_size, kX86LowRamLimit);
  b.ram.push_back({PhysAddr(0), low});
  if (ram_size > low) b.ram.push_back({PhysAddr(kX86HighRamBase), ram_size - low});
  return b;
}
}  // namespace

llvm::Expected<Board> make_board(Arch arch, uint64_t ram_size) {
  if (ram_size < 16 * kMiB || ram_size % (2 * kMiB) != 0 || ram_size > kMaxRam)
    return make_error("machine.memory: 0x{:x} bytes is not a multiple of 2 MiB between 16 MiB and 1 TiB",
                      ram_size);
  switch (arch) {
  case Arch::Arm64: return arm64_virt(ram_size);
  case Arch::X86_64: return x86_pc(ram_size);
  }
  return make_error("unknown architecture");
}

}  // namespace kdsim
