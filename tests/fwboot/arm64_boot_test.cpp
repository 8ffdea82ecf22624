#include "firmware-less-boot/arm64_boot.h"
#include "machine/ram.h"
#include <doctest/doctest.h>
#include <string>
#include <vector>

extern "C" {
#include <libfdt.h>
}

using namespace kdsim;

namespace {

constexpr uint64_t kRamBase = 0x40000000, kRamSize = 128ull << 20;

Arm64BootConfig config(unsigned cpus = 2, std::string cmdline = "console=ttyAMA0 crashkernel=64M") {
  return {.ram = {{PhysAddr(kRamBase), kRamSize}},
          .cpu_count = cpus,
          .cmdline = std::move(cmdline),
          .kernel_footprint = {{PhysAddr(0x40200000), 0x100000}},
          .kernel_entry = PhysAddr(0x40200040)};
}

// A property as a string (first string of a string list); "" when missing.
std::string prop_string(const void* fdt, const char* path, const char* name) {
  int node = fdt_path_offset(fdt, path);
  if (node < 0) return "<no node>";
  int len = 0;
  auto* p = static_cast<const char*>(fdt_getprop(fdt, node, name, &len));
  return p ? std::string(p) : "<no property>";
}

// A property as big-endian 32-bit cells.
std::vector<uint32_t> prop_cells(const void* fdt, const char* path, const char* name) {
  int node = fdt_path_offset(fdt, path);
  if (node < 0) return {};
  int len = 0;
  auto* p = static_cast<const fdt32_t*>(fdt_getprop(fdt, node, name, &len));
  std::vector<uint32_t> out;
  for (int i = 0; p && i < len / 4; ++i) out.push_back(fdt32_to_cpu(p[i]));
  return out;
}

}  // namespace

TEST_CASE("arm64 boot: the DTB parses back with the promised nodes") {
  auto boot = Arm64BootProtocol::create(config(2));
  REQUIRE_MESSAGE(bool(boot), llvm::toString(boot.takeError()));
  const void* fdt = boot->dtb().data();
  REQUIRE(fdt_check_header(fdt) == 0);
  CHECK(fdt_totalsize(fdt) == boot->dtb().size());
  CHECK(prop_cells(fdt, "/", "#address-cells") == std::vector<uint32_t>{2});
  CHECK(prop_cells(fdt, "/", "#size-cells") == std::vector<uint32_t>{2});
  CHECK(prop_string(fdt, "/memory@40000000", "device_type") == "memory");
  CHECK(prop_cells(fdt, "/memory@40000000", "reg") == std::vector<uint32_t>{0, 0x40000000, 0, 0x08000000});
  CHECK(prop_string(fdt, "/chosen", "bootargs") == "console=ttyAMA0 crashkernel=64M");
  CHECK(prop_string(fdt, "/chosen", "stdout-path") == "/pl011@9000000");
  CHECK(prop_string(fdt, "/psci", "compatible") == "arm,psci-0.2");
  CHECK(prop_string(fdt, "/psci", "method") == "hvc");
  CHECK(prop_string(fdt, "/pl011@9000000", "compatible") == "arm,pl011");
  CHECK(prop_cells(fdt, "/pl011@9000000", "reg") == std::vector<uint32_t>{0, 0x09000000, 0, 0x1000});

  int cpus = fdt_path_offset(fdt, "/cpus");
  REQUIRE(cpus >= 0);
  CHECK(prop_cells(fdt, "/cpus", "#address-cells") == std::vector<uint32_t>{1});
  CHECK(prop_cells(fdt, "/cpus", "#size-cells") == std::vector<uint32_t>{0});
  int count = 0, node = 0;
  fdt_for_each_subnode(node, fdt, cpus) {
    std::string path = "/cpus/" + std::string(fdt_get_name(fdt, node, nullptr));
    CAPTURE(path);
    CHECK(path == fmt::format("/cpus/cpu@{}", count));
    CHECK(prop_string(fdt, path.c_str(), "device_type") == "cpu");
    CHECK(prop_string(fdt, path.c_str(), "compatible") == "arm,cortex-a57");
    CHECK(prop_string(fdt, path.c_str(), "enable-method") == "psci");
    CHECK(prop_cells(fdt, path.c_str(), "reg") == std::vector<uint32_t>{static_cast<uint32_t>(count)});
    ++count;
  }
  CHECK(count == 2);
}

TEST_CASE("arm64 boot: /memory lists every RAM range and the CPU count follows the config") {
  Arm64BootConfig c = config(4);
  c.ram.push_back({PhysAddr(0x100000000), 0x40000000});
  auto boot = Arm64BootProtocol::create(c);
  REQUIRE(bool(boot));
  const void* fdt = boot->dtb().data();
  CHECK(prop_cells(fdt, "/memory@40000000", "reg") ==
        std::vector<uint32_t>{0, 0x40000000, 0, 0x08000000, 1, 0, 0, 0x40000000});
  CHECK(fdt_path_offset(fdt, "/cpus/cpu@3") >= 0);
  CHECK(fdt_path_offset(fdt, "/cpus/cpu@4") == -FDT_ERR_NOTFOUND);
}

TEST_CASE("arm64 boot: install writes the DTB at the start of RAM and returns the entry state") {
  auto boot = Arm64BootProtocol::create(config());
  REQUIRE(bool(boot));
  auto ram = Ram::create({{PhysAddr(kRamBase), kRamSize}});
  REQUIRE(bool(ram));
  auto state = boot->install(**ram);
  REQUIRE(bool(state));
  CHECK(state->pc == 0x40200040);
  CHECK(state->x == std::array<uint64_t, 4>{0x40000000, 0, 0, 0});
  std::vector<uint8_t> back(boot->dtb().size());
  REQUIRE(!(*ram)->read(PhysAddr(kRamBase), back));
  CHECK(std::equal(back.begin(), back.end(), boot->dtb().begin()));
  CHECK(fdt_check_header(back.data()) == 0);
  CHECK(boot->reserved().what == "DTB");
  CHECK(boot->reserved().range.base == PhysAddr(0x40000000));
  CHECK(boot->reserved().range.size == boot->dtb().size());
}

TEST_CASE("arm64 boot: bad configurations are refused with exact messages") {
  auto error = [](Arm64BootConfig c) {
    auto boot = Arm64BootProtocol::create(std::move(c));
    return boot ? std::string("(built)") : llvm::toString(boot.takeError());
  };
  CHECK(error(config(1, std::string(2047, 'a'))) == "(built)");
  CHECK(error(config(1, std::string(2048, 'a'))) ==
        "arm64: command line is 0x800 bytes; COMMAND_LINE_SIZE allows 0x7ff plus the NUL");
  CHECK(error(config(0)) == "arm64: cpu count 0 is outside [1, 256]");
  Arm64BootConfig low = config();
  low.kernel_footprint = {{PhysAddr(0x40000000), 0x100000}};
  std::string overlap = error(low);
  CHECK(overlap.starts_with("arm64: DTB [P0x40000000, P0x400"));
  CHECK(overlap.ends_with(") overlaps the kernel at [P0x40000000, P0x40100000)"));
  Arm64BootConfig no_ram = config();
  no_ram.ram = {{PhysAddr(0x80000000), 0x100000}};
  CHECK(error(no_ram).ends_with(" is not inside RAM (RAM: [P0x80000000, P0x80100000))"));
  Arm64BootConfig none = config();
  none.ram.clear();
  CHECK(error(none) == "arm64: no RAM ranges given");
}
