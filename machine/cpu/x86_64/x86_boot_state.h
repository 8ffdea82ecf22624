// The entry state of an x86_64 CPU at a firmware-less boot (docs/boot.md), as the host sets it.
#pragma once
#include <cstdint>

namespace kdsim {

struct X86TableReg {
  uint64_t base = 0;
  uint16_t limit = 0;
};

// The state docs/boot.md promises a kernel, established by the host before the first run.
struct X86BootState {
  X86TableReg gdtr;           // GDT at 0x6000 with __BOOT_CS / __BOOT_DS
  uint64_t cr3 = 0;           // identity tables at 0x9000
  uint16_t code_selector = 0x10;
  uint16_t data_selector = 0x18;  // DS, ES, SS
  uint64_t rip = 0;           // kernel entry (physical)
  uint64_t rsi = 0;           // boot_params PA
};

}  // namespace kdsim
