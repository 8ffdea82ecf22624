#include "machine/stage.h"

namespace kdsim {

std::optional<std::string_view> stage_name(uint32_t code) {
  switch (static_cast<StageCode>(code)) {
  case StageCode::KernelEntry: return "kernel_entry";
  case StageCode::MmuOn: return "mmu_on";
  case StageCode::VectorsInstalled: return "vectors_installed";
  case StageCode::InitStart: return "init_start";
  case StageCode::Oops: return "oops";
  case StageCode::Panic: return "panic";
  }
  return std::nullopt;
}

}  // namespace kdsim
