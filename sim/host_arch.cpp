#include "sim/host_arch.h"

namespace kdsim {

const HostArch& host_arch(Arch arch) { return arch == Arch::Arm64 ? host_arch_arm64() : host_arch_x86_64(); }

}  // namespace kdsim
