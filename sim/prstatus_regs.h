// One CPU's registers as an NT_PRSTATUS note holds them (pr_reg, include/linux/elfcore.h), and
// what `kdsim inspect` prints them with on every arch: symbols and a frame-pointer call trace.
// The layouts and the __show_regs order are each arch's (the HostArch's show_prstatus).
#pragma once
#include "sim/dumped_memory.h"
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

namespace kdsim {

class KernelImage;

inline constexpr size_t kPrPid = 32, kPrReg = 112;  // offsets in struct elf_prstatus (LP64, both arches)

// pr_reg's registers, 8 bytes each; the caller checked the note holds `count` of them.
class PrRegs {
public:
  explicit PrRegs(llvm::ArrayRef<uint8_t> desc) : m_desc(desc) {}
  uint64_t operator()(size_t i) const {
    uint64_t v;
    std::memcpy(&v, m_desc.data() + kPrReg + 8 * i, 8);
    return v;
  }

private:
  llvm::ArrayRef<uint8_t> m_desc;
};

// "function+0xoff/0xsize (0x...)" when the kernel has a symbol there, else the hex value.
std::string symbolized(uint64_t value, const KernelImage* kernel);

// A frame-pointer walk from the saved registers, as Linux's unwinders do with frame records
// ({fp, return address} pairs at fp): the PC, then every return address, until a record is
// missing, out of the dump, or not further up the stack. `leaf_lr` (arm64's lr, else 0) is the
// caller of a leaf function that did not store its own record.
std::string call_trace(uint64_t pc, uint64_t leaf_lr, uint64_t fp, const DumpedMemory& mem, const KernelImage* kernel);

}  // namespace kdsim
