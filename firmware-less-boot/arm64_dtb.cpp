#include "firmware-less-boot/arm64_dtb.h"
#include "machine/error.h"
#include <string>

extern "C" {
#include <libfdt.h>
}

namespace kdsim {

namespace {

// One pass of the sequential writer; returns the first libfdt error (negative) or 0.
int emit(void* fdt, int size, std::span<const PhysRange> ram, unsigned cpu_count, const std::string& cmdline,
         const Arm64KdumpChosen* kdump) {
  int err = 0;
  auto ok = [&](int r) {
    if (err == 0 && r < 0) err = r;
    return err == 0;
  };
  auto reg64 = [&](const char* name, std::span<const PhysRange> ranges) {
    std::vector<fdt64_t> cells;
    for (const PhysRange& r : ranges) {
      cells.push_back(cpu_to_fdt64(r.base.value()));
      cells.push_back(cpu_to_fdt64(r.size));
    }
    return ok(fdt_property(fdt, name, cells.data(), static_cast<int>(cells.size() * sizeof(fdt64_t))));
  };

  ok(fdt_create(fdt, size));
  ok(fdt_finish_reservemap(fdt));
  ok(fdt_begin_node(fdt, ""));
  ok(fdt_property_cell(fdt, "#address-cells", 2));
  ok(fdt_property_cell(fdt, "#size-cells", 2));
  ok(fdt_property_string(fdt, "compatible", "linux,dummy-virt"));
  ok(fdt_property_string(fdt, "model", "kdsim arm64"));

  ok(fdt_begin_node(fdt, "chosen"));
  ok(fdt_property_string(fdt, "bootargs", cmdline.c_str()));
  ok(fdt_property_string(fdt, "stdout-path", std::string(kArm64Pl011Path).c_str()));
  if (kdump) {
    reg64("linux,elfcorehdr", {&kdump->elfcorehdr, 1});
    reg64("linux,usable-memory-range", kdump->usable_memory);
  }
  ok(fdt_end_node(fdt));

  ok(fdt_begin_node(fdt, fmt::format("memory@{:x}", ram.front().base.value()).c_str()));
  ok(fdt_property_string(fdt, "device_type", "memory"));
  reg64("reg", ram);
  ok(fdt_end_node(fdt));

  ok(fdt_begin_node(fdt, "cpus"));
  ok(fdt_property_cell(fdt, "#address-cells", 1));
  ok(fdt_property_cell(fdt, "#size-cells", 0));
  for (unsigned n = 0; n < cpu_count; ++n) {
    ok(fdt_begin_node(fdt, fmt::format("cpu@{:x}", n).c_str()));
    ok(fdt_property_string(fdt, "device_type", "cpu"));
    ok(fdt_property_string(fdt, "compatible", "arm,cortex-a57"));
    ok(fdt_property_cell(fdt, "reg", n));  // MPIDR_EL1 affinity: Aff0 = n
    ok(fdt_property_string(fdt, "enable-method", "psci"));
    ok(fdt_end_node(fdt));
  }
  ok(fdt_end_node(fdt));

  ok(fdt_begin_node(fdt, "psci"));
  ok(fdt_property_string(fdt, "compatible", "arm,psci-0.2"));
  ok(fdt_property_string(fdt, "method", "hvc"));
  ok(fdt_end_node(fdt));

  ok(fdt_begin_node(fdt, std::string(kArm64Pl011Path.substr(1)).c_str()));
  ok(fdt_property_string(fdt, "compatible", "arm,pl011"));
  PhysRange uart{PhysAddr(kArm64Pl011Base), kArm64Pl011Size};
  reg64("reg", {&uart, 1});
  ok(fdt_end_node(fdt));

  ok(fdt_end_node(fdt));
  ok(fdt_finish(fdt));
  return err;
}

}  // namespace

llvm::Expected<std::vector<uint8_t>> build_arm64_dtb(std::span<const PhysRange> ram, unsigned cpu_count,
                                                     std::string_view cmdline, const Arm64KdumpChosen* kdump) {
  const std::string bootargs(cmdline);
  // Grow the buffer until the tree fits; 16 MiB is far beyond any tree this code can emit.
  for (int size = 16 << 10; size <= (16 << 20); size *= 2) {
    std::vector<uint8_t> buf(static_cast<size_t>(size));
    int err = emit(buf.data(), size, ram, cpu_count, bootargs, kdump);
    if (err == -FDT_ERR_NOSPACE) continue;
    if (err < 0) return make_error("arm64: building the DTB failed: {}", fdt_strerror(err));
    buf.resize(fdt_totalsize(buf.data()));
    return buf;
  }
  return make_error("arm64: the DTB does not fit in 16 MiB");
}

}  // namespace kdsim
