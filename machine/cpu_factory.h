// The one place the machine names the concrete CPU classes.
#pragma once
#include "machine/cpu.h"
#include "machine/cpu/x86_64/x86_boot_state.h"
#include <llvm/Support/Error.h>
#include <array>
#include <memory>

namespace kdsim {

llvm::Expected<std::unique_ptr<Cpu>> create_cpu(Arch arch, const CpuConfig& config);

// SMCCC argument registers x0..x3 of an arm64 CPU, and the result register.
std::array<uint64_t, 4> smccc_arguments(Cpu& cpu);
void set_smccc_result(Cpu& cpu, uint64_t x0);
// Firmware-less boot entry states (docs/boot.md): arm64 x0..x3 and PC on a fresh CPU (EL1, MMU
// off, DAIF masked); x86_64 the long-mode state of X86BootState.
void arm64_enter_boot_state(Cpu& cpu, const std::array<uint64_t, 4>& x, uint64_t pc);
void x86_enter_boot_state(Cpu& cpu, const X86BootState& state);
// PSCI CPU_ON: reset the (never run or turned off) CPU to EL1, MMU off, at `entry` with x0.
void arm64_power_on(Cpu& cpu, uint64_t entry, uint64_t context);
// x86_64 local APIC deliveries: an NMI (false when the IDT cannot take it), and INIT + STARTUP
// (real mode at vector << 12).
bool x86_deliver_nmi(Cpu& cpu);
void x86_start_up(Cpu& cpu, uint8_t vector);
// A new kernel started on this CPU: drop state tied to the previous kernel's address space.
void new_kernel_entered(Cpu& cpu);
// Wires the CPUs to each other where the architecture needs it (arm64 TLBI broadcast).
void connect_peers(Arch arch, std::vector<std::unique_ptr<Cpu>>& cpus);

}  // namespace kdsim
