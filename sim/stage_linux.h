// The Linux (and kexec-tools purgatory) code each stage of the timeline mirrors, for people
// reading a transcript or report next to the kernel sources.
#pragma once
#include "machine/cpu.h"
#include <optional>
#include <string_view>

namespace kdsim {

std::optional<std::string_view> stage_linux_code(std::string_view stage, Arch arch);

}  // namespace kdsim
