// The arm64 generic timer as the guest sees it (Arm ARM D11), driven by instruction counts so a
// run is deterministic: the counter is the machine's instruction count (all CPUs), at a
// nominal CNTFRQ of 62.5 MHz (QEMU virt's value). Unicorn's own counter is the host clock
// (unicorn-2.0.1.md 7), so every CNT* access is intercepted and answered from here.
#pragma once
#include "machine/cpu/arm64/arm64_sysregs.h"
#include <cstdint>
#include <optional>

namespace kdsim {

class Arm64GenericTimer {
public:
  static constexpr uint64_t kFrequencyHz = 62'500'000;
  static constexpr uint64_t kCtlEnable = 1, kCtlImask = 2, kCtlIstatus = 4;

  // True for the CNT* encodings this class answers (op0=3, op1=3, CRn=14).
  static bool handles(Arm64SysRegEncoding e);
  // MRS: the value the guest reads at counter value `now`.
  uint64_t read(Arm64SysRegEncoding e, uint64_t now) const;
  // MSR: CTL/CVAL/TVAL writes; writes to read-only counter registers are ignored.
  void write(Arm64SysRegEncoding e, uint64_t value, uint64_t now);

  // Timer condition met, enabled and not masked: the interrupt line would be high.
  bool virtual_pending(uint64_t now) const { return m_virt.pending(now); }
  bool physical_pending(uint64_t now) const { return m_phys.pending(now); }

private:
  struct Channel {
    uint64_t ctl = 0, cval = 0;
    bool met(uint64_t now) const { return (ctl & kCtlEnable) && now >= cval; }
    bool pending(uint64_t now) const { return met(now) && !(ctl & kCtlImask); }
  };
  Channel m_phys, m_virt;
};

}  // namespace kdsim
