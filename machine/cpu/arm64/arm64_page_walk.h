// Host-side walk of the guest's AArch64 stage-1 tables for the EL1&0 regime with a 4 KiB granule
// (Arm ARM D8.2: VMSAv8-64 translation), reading the descriptors straight from RAM. Used where
// the machine must name the physical address behind a virtual one (store watches); QEMU's own
// walk still decides every guest access, so permissions and faults are not modelled here.
#pragma once
#include <cstdint>
#include <optional>

namespace kdsim {
class Ram;
}

namespace kdsim::arm64 {

struct TranslationRegs {
  uint64_t sctlr = 0;  // SCTLR_EL1: M (bit 0) turns stage 1 on
  uint64_t tcr = 0;    // TCR_EL1: T0SZ/T1SZ, EPD0/EPD1, TG0/TG1
  uint64_t ttbr0 = 0;
  uint64_t ttbr1 = 0;
};

// The PA for `va`; with the MMU off the VA itself (flat mapping). nullopt when the VA lies
// outside both halves' ranges, a walk is disabled (EPDn), the granule is not 4 KiB, a
// descriptor is invalid or a table lies outside RAM.
std::optional<uint64_t> translate(const Ram& ram, const TranslationRegs& regs, uint64_t va);

}  // namespace kdsim::arm64
