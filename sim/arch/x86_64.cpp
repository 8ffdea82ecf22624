// The x86_64 host: the 64-bit boot protocol (boot_params in RSI, identity tables), CPL names,
// gdb's i386 core and SSE features.
#include "firmware-less-boot/kernel_image.h"
#include "firmware-less-boot/x86_boot.h"
#include "machine/cpu_factory.h"
#include "sim/host_arch.h"
#include <array>
#include <cctype>

namespace kdsim {

namespace {
// pr_reg: struct user_regs_struct (arch/x86/include/asm/user_64.h, ELF_CORE_COPY_REGS).
constexpr std::array<const char*, 27> kPrRegNames = {
    "r15", "r14", "r13", "r12", "rbp", "rbx", "r11",     "r10",     "r9", "r8", "rax", "rcx", "rdx", "rsi",
    "rdi", "orig_rax", "rip", "cs", "eflags", "rsp", "ss", "fs_base", "gs_base", "ds", "es", "fs", "gs"};

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

class X86_64HostArch final : public HostArch {
public:
  llvm::Expected<BootInfo> boot(Machine& m, const KernelImage& image, const std::string& cmdline) const override {
    auto proto = X86BootProtocol::create({.ram = m.board().ram,
                                          .cmdline = cmdline,
                                          .kernel_footprint = image.footprint(),
                                          .kernel_entry = image.entry_physical(),
                                          .cpus = m.config().cpus});
    if (!proto) return proto.takeError();
    if (auto err = image.load(m.ram(), {.phys_offset = 0, .reserved = {proto->reserved()}})) return err;
    auto entry = proto->install(m.ram());
    if (!entry) return entry.takeError();
    x86_enter_boot_state(m.cpu(0), {.gdtr = {entry->gdtr_base, entry->gdtr_limit},
                                    .cr3 = entry->cr3,
                                    .code_selector = entry->cs,
                                    .data_selector = entry->ds,
                                    .rip = entry->rip,
                                    .rsi = entry->rsi});
    return BootInfo{PhysAddr(entry->rip), fmt::format("rsi = boot_params at {}, CR3 = {}", PhysAddr(entry->rsi),
                                                       PhysAddr(entry->cr3))};
  }

  std::string_view privilege_label() const override { return "CPL"; }
  std::string_view privilege_key() const override { return "cpl"; }
  std::string_view translation_root_name() const override { return "cr3"; }

  std::string_view gdb_architecture() const override { return "i386:x86-64"; }
  std::vector<gdb::RegisterSlot> gdb_registers() const override {
    const std::string core = "org.gnu.gdb.i386.core", sse = "org.gnu.gdb.i386.sse";
    std::vector<gdb::RegisterSlot> slots;
    for (const char* r : {"rax", "rbx", "rcx", "rdx", "rsi", "rdi"}) slots.push_back({r, 64, "int64", core});
    slots.push_back({"rbp", 64, "data_ptr", core});
    slots.push_back({"rsp", 64, "data_ptr", core});
    for (unsigned n = 8; n < 16; ++n) slots.push_back({fmt::format("r{}", n), 64, "int64", core});
    slots.push_back({"rip", 64, "code_ptr", core});
    slots.push_back({"eflags", 32, "int32", core});
    for (const char* r : {"cs", "ss", "ds", "es", "fs", "gs"}) slots.push_back({r, 32, "int32", core});
    for (unsigned n = 0; n < 8; ++n) slots.push_back({fmt::format("st{}", n), 80, "i387_ext", core});
    for (const char* r : {"fctrl", "fstat", "ftag", "fiseg", "fioff", "foseg", "fooff", "fop"})
      slots.push_back({r, 32, "int", core});
    for (unsigned n = 0; n < 16; ++n) slots.push_back({fmt::format("xmm{}", n), 128, "vec128", sse});
    slots.push_back({"mxcsr", 32, "int", sse});
    return slots;
  }
  std::string_view gdb_program() const override { return "gdb"; }

  std::string_view core_machine_name() const override { return "x86-64"; }
  size_t prstatus_register_count() const override { return kPrRegNames.size(); }
  // arch/x86/kernel/process_64.c __show_regs order.
  std::string show_prstatus(const PrRegs& reg, const KernelImage* kernel, const DumpedMemory& mem) const override {
    std::string out =
        fmt::format("  RIP: {}\n  RSP: {:016x} EFLAGS: {:08x}\n", symbolized(reg(16), kernel), reg(19), reg(18));
    const size_t order[] = {10, 5, 11, 12, 13, 14, 4, 9, 8, 7, 6, 3, 2, 1, 0};  // RAX RBX RCX ... R15
    for (size_t k = 0; k < std::size(order); ++k)
      out += fmt::format("{}{:>3}: {:016x}{}", k % 3 == 0 ? "  " : " ", upper(kPrRegNames[order[k]]), reg(order[k]),
                         k % 3 == 2 ? "\n" : "");
    return out + call_trace(reg(16), 0, reg(4), mem, kernel);  // rip, no leaf lr, rbp
  }

  std::optional<std::string> trigger_refusal(std::string_view) const override { return std::nullopt; }
  std::optional<std::string> stage_refusal(std::string_view stage) const override {
    if (stage != "mmu_off") return std::nullopt;
    return "'mmu_off' is arm64's stage: x86_64 keeps paging on in long mode and relocate_kernel runs on "
           "identity-mapped page tables; the stage is 'identity_mapped'";
  }
};
}  // namespace

const HostArch& host_arch_x86_64() {
  static const X86_64HostArch arch;
  return arch;
}

}  // namespace kdsim
