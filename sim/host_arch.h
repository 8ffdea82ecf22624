// Everything sim/ does differently per architecture, behind one interface with one
// implementation per arch (sim/arch/arm64.cpp, sim/arch/x86_64.cpp). host_arch() is the only
// place that picks one; the kexec planner's half is KexecArch (firmware-less-boot/kexec/kexec_arch.h).
#pragma once
#include "sim/boot.h"
#include "sim/gdb_protocol.h"
#include "sim/prstatus_regs.h"
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kdsim {

class HostArch {
public:
  virtual ~HostArch() = default;

  // The firmware-less boot protocol (docs/boot.md): the boot data, the kernel loaded around
  // it, CPU 0's entry state.
  virtual llvm::Expected<BootInfo> boot(Machine& m, const KernelImage& image, const std::string& cmdline) const = 0;

  // How reports name a CPU's state: the privilege level ("EL" / "CPL"), its JSON key, and the
  // register holding the kernel's translation root.
  virtual std::string_view privilege_label() const = 0;
  virtual std::string_view privilege_key() const = 0;
  virtual std::string_view translation_root_name() const = 0;

  // gdb: the target description's <architecture>, the register layout of 'g' packets, and the
  // debugger to run.
  virtual std::string_view gdb_architecture() const = 0;
  virtual std::vector<gdb::RegisterSlot> gdb_registers() const = 0;
  virtual std::string_view gdb_program() const = 0;

  // kdsim inspect: the vmcore's e_machine as readelf names it, how many registers pr_reg holds,
  // and the registers in the arch's __show_regs order with a call trace.
  virtual std::string_view core_machine_name() const = 0;
  virtual size_t prstatus_register_count() const = 0;
  virtual std::string show_prstatus(const PrRegs& reg, const KernelImage* kernel, const DumpedMemory& mem) const = 0;

  // Scenario rules: why an LKDTM trigger or an expected stage cannot happen on this arch (none:
  // it can).
  virtual std::optional<std::string> trigger_refusal(std::string_view trigger) const = 0;
  virtual std::optional<std::string> stage_refusal(std::string_view stage) const = 0;
};

const HostArch& host_arch_arm64();
const HostArch& host_arch_x86_64();
// The selection point.
const HostArch& host_arch(Arch arch);

}  // namespace kdsim
