// PSCI 0.2 as a host-implemented firmware (ARM DEN 0022), called over `hvc #0` with the SMC
// Calling Convention: function id in x0, arguments in x1..x3, result in x0.
// This is the decision logic only; the machine applies the action to its CPUs.
#pragma once
#include <cstdint>
#include <functional>

namespace kdsim::psci {

inline constexpr uint32_t kVersion = 0x84000000;
inline constexpr uint32_t kCpuOff = 0x84000002;
inline constexpr uint32_t kCpuOn32 = 0x84000003;
inline constexpr uint32_t kCpuOn64 = 0xc4000003;
inline constexpr uint32_t kAffinityInfo64 = 0xc4000004;
inline constexpr uint32_t kMigrateInfoType = 0x84000006;
inline constexpr uint32_t kSystemOff = 0x84000008;
inline constexpr uint32_t kSystemReset = 0x84000009;

inline constexpr int64_t kSuccess = 0;
inline constexpr int64_t kNotSupported = -1;
inline constexpr int64_t kInvalidParams = -2;
inline constexpr int64_t kAlreadyOn = -4;

enum class Action { None, SystemOff, SystemReset, CpuOff, CpuOn };
enum class CpuPower { On, Off, NotPresent };

struct Call {
  uint64_t function_id = 0, arg1 = 0, arg2 = 0, arg3 = 0;
};

struct Outcome {
  int64_t result = kNotSupported;  // written to x0 (not for SystemOff/Reset/CpuOff, which do not return)
  Action action = Action::None;
  unsigned target_cpu = 0;  // CpuOn
  uint64_t entry = 0;       // CpuOn: physical entry point
  uint64_t context = 0;     // CpuOn: x0 of the new CPU
};

// `power_of(mpidr)` tells the state of the CPU whose MPIDR affinity is mpidr (Aff0 = index).
Outcome handle(const Call& call, const std::function<CpuPower(uint64_t mpidr)>& power_of);

}  // namespace kdsim::psci
