#include "machine/devices/psci.h"

namespace kdsim::psci {

namespace {
constexpr uint64_t kMpidrAffinityMask = 0xff00ffffffull;  // Aff3..Aff0
constexpr int64_t kMigrateNotRequired = 2;               // "trusted OS not present"

Outcome cpu_on(const Call& call, const std::function<CpuPower(uint64_t)>& power_of) {
  uint64_t mpidr = call.arg1 & kMpidrAffinityMask;
  switch (power_of(mpidr)) {
  case CpuPower::NotPresent: return {.result = kInvalidParams};
  case CpuPower::On: return {.result = kAlreadyOn};
  case CpuPower::Off: break;
  }
  return {.result = kSuccess, .action = Action::CpuOn, .target_cpu = static_cast<unsigned>(mpidr & 0xff),
          .entry = call.arg2, .context = call.arg3};
}

Outcome affinity_info(const Call& call, const std::function<CpuPower(uint64_t)>& power_of) {
  switch (power_of(call.arg1 & kMpidrAffinityMask)) {
  case CpuPower::On: return {.result = 0};
  case CpuPower::Off: return {.result = 1};
  case CpuPower::NotPresent: return {.result = kInvalidParams};
  }
  return {.result = kInvalidParams};
}
}  // namespace

Outcome handle(const Call& call, const std::function<CpuPower(uint64_t)>& power_of) {
  switch (static_cast<uint32_t>(call.function_id)) {
  case kVersion: return {.result = 0x2};  // major 0, minor 2
  case kCpuOff: return {.result = kSuccess, .action = Action::CpuOff};
  case kCpuOn32:
  case kCpuOn64: return cpu_on(call, power_of);
  case kAffinityInfo64: return affinity_info(call, power_of);
  case kMigrateInfoType: return {.result = kMigrateNotRequired};
  case kSystemOff: return {.result = kSuccess, .action = Action::SystemOff};
  case kSystemReset: return {.result = kSuccess, .action = Action::SystemReset};
  default: return {.result = kNotSupported};
  }
}

}  // namespace kdsim::psci
