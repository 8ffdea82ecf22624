#include "machine/cpu_factory.h"
#include "machine/assert.h"
#include "machine/cpu/arm64/arm64_cpu.h"
#include "machine/cpu/x86_64/x86_64_cpu.h"

namespace kdsim {

namespace {
Arm64Cpu& as_arm64(Cpu& cpu) {
  KDSIM_ASSERT(cpu.arch() == Arch::Arm64, "cpu{} is not an arm64 CPU", cpu.index());
  return static_cast<Arm64Cpu&>(cpu);
}
X86_64Cpu& as_x86(Cpu& cpu) {
  KDSIM_ASSERT(cpu.arch() == Arch::X86_64, "cpu{} is not an x86_64 CPU", cpu.index());
  return static_cast<X86_64Cpu&>(cpu);
}
}  // namespace

llvm::Expected<std::unique_ptr<Cpu>> create_cpu(Arch arch, const CpuConfig& config) {
  switch (arch) {
  case Arch::Arm64: {
    auto cpu = Arm64Cpu::create(config);
    if (!cpu) return cpu.takeError();
    return std::unique_ptr<Cpu>(std::move(*cpu));
  }
  case Arch::X86_64: {
    auto cpu = X86_64Cpu::create(config);
    if (!cpu) return cpu.takeError();
    return std::unique_ptr<Cpu>(std::move(*cpu));
  }
  }
  KDSIM_ASSERT(false, "unknown arch");
  return nullptr;
}

std::array<uint64_t, 4> smccc_arguments(Cpu& cpu) {
  Arm64Cpu& a = as_arm64(cpu);
  return {a.x(0), a.x(1), a.x(2), a.x(3)};
}

void set_smccc_result(Cpu& cpu, uint64_t x0) { as_arm64(cpu).set_x(0, x0); }

void arm64_enter_boot_state(Cpu& cpu, const std::array<uint64_t, 4>& x, uint64_t pc) {
  Arm64Cpu& a = as_arm64(cpu);
  for (unsigned i = 0; i < x.size(); ++i) a.set_x(i, x[i]);
  a.set_pc(pc);
}

void x86_enter_boot_state(Cpu& cpu, const X86BootState& state) { as_x86(cpu).enter_boot_state(state); }

void arm64_power_on(Cpu& cpu, uint64_t entry, uint64_t context) { as_arm64(cpu).power_on(entry, context); }

bool x86_deliver_nmi(Cpu& cpu) { return as_x86(cpu).deliver_nmi(); }

void x86_start_up(Cpu& cpu, uint8_t vector) { as_x86(cpu).start_up(vector); }

void new_kernel_entered(Cpu& cpu) {
  switch (cpu.arch()) {
  case Arch::Arm64: return;  // VA shadows hold no data; they are dropped when the MMU goes off
  case Arch::X86_64: return static_cast<X86_64Cpu&>(cpu).forget_linear_aliases();
  }
}

void connect_peers(Arch arch, std::vector<std::unique_ptr<Cpu>>& cpus) {
  if (arch != Arch::Arm64) return;
  for (auto& self : cpus) {
    std::vector<Arm64Cpu*> peers;
    for (auto& other : cpus)
      if (other != self) peers.push_back(&as_arm64(*other));
    as_arm64(*self).set_peers(std::move(peers));
  }
}

}  // namespace kdsim
