// The arm64 host: booting.rst's entry (x0 = DTB, MMU off), EL names, gdb's aarch64 core.
#include "firmware-less-boot/arm64_boot.h"
#include "firmware-less-boot/kernel_image.h"
#include "machine/cpu_factory.h"
#include "sim/host_arch.h"
#include <array>

namespace kdsim {

namespace {
// pr_reg: struct user_pt_regs (arch/arm64/include/uapi/asm/ptrace.h).
constexpr std::array<const char*, 34> kPrRegNames = {
    "x0",  "x1",  "x2",  "x3",  "x4",  "x5",  "x6",  "x7",  "x8",  "x9",  "x10", "x11",
    "x12", "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x20", "x21", "x22", "x23",
    "x24", "x25", "x26", "x27", "x28", "x29", "x30", "sp",  "pc",  "pstate"};

class Arm64HostArch final : public HostArch {
public:
  llvm::Expected<BootInfo> boot(Machine& m, const KernelImage& image, const std::string& cmdline) const override {
    auto proto = Arm64BootProtocol::create({.ram = m.board().ram,
                                            .cpu_count = m.cpu_count(),
                                            .cmdline = cmdline,
                                            .kernel_footprint = image.footprint(),
                                            .kernel_entry = image.entry_physical()});
    if (!proto) return proto.takeError();
    if (auto err = image.load(m.ram(), {.phys_offset = 0, .reserved = {proto->reserved()}})) return err;
    auto entry = proto->install(m.ram());
    if (!entry) return entry.takeError();
    // booting.rst: EL1 (or EL2), MMU and caches off, DAIF masked; a fresh engine is exactly that.
    arm64_enter_boot_state(m.cpu(0), entry->x, entry->pc);
    return BootInfo{PhysAddr(entry->pc), fmt::format("x0 = DTB at {}, {} bytes", PhysAddr(entry->x[0]),
                                                      proto->dtb().size())};
  }

  std::string_view privilege_label() const override { return "EL"; }
  std::string_view privilege_key() const override { return "el"; }
  std::string_view translation_root_name() const override { return "ttbr1"; }

  std::string_view gdb_architecture() const override { return "aarch64"; }
  std::vector<gdb::RegisterSlot> gdb_registers() const override {
    const std::string core = "org.gnu.gdb.aarch64.core";
    std::vector<gdb::RegisterSlot> slots;
    for (unsigned n = 0; n < 31; ++n) slots.push_back({fmt::format("x{}", n), 64, "int", core});
    slots.push_back({"sp", 64, "data_ptr", core});
    slots.push_back({"pc", 64, "code_ptr", core});
    slots.push_back({"cpsr", 32, "int", core});
    return slots;
  }
  std::string_view gdb_program() const override { return "gdb-multiarch"; }

  std::string_view core_machine_name() const override { return "AArch64"; }
  size_t prstatus_register_count() const override { return kPrRegNames.size(); }
  // arch/arm64/kernel/process.c __show_regs order: pc, lr, sp, then x29..x0.
  std::string show_prstatus(const PrRegs& reg, const KernelImage* kernel, const DumpedMemory& mem) const override {
    std::string out = fmt::format("  pc : {}\n  lr : {}\n  sp : 0x{:016x}  pstate: 0x{:08x}\n",
                                  symbolized(reg(32), kernel), symbolized(reg(30), kernel), reg(31), reg(33));
    for (int i = 29; i >= 0; i -= 3) {
      out += " ";
      for (int j = i; j > i - 3 && j >= 0; --j) out += fmt::format(" {:<3}: {:016x}", kPrRegNames[j], reg(j));
      out += "\n";
    }
    return out + call_trace(reg(32), reg(30), reg(29), mem, kernel);  // pc, lr, x29
  }

  std::optional<std::string> trigger_refusal(std::string_view trigger) const override {
    if (trigger != "divide-by-zero") return std::nullopt;
    return "'divide-by-zero' is x86_64 only: arm64 udiv by zero returns 0 and does not trap (the kernel refuses "
           "DIVIDE_ZERO with EINVAL); use bug, null-dereference, panic or sysrq-c";
  }
  std::optional<std::string> stage_refusal(std::string_view) const override { return std::nullopt; }
};
}  // namespace

const HostArch& host_arch_arm64() {
  static const Arm64HostArch arch;
  return arch;
}

}  // namespace kdsim
