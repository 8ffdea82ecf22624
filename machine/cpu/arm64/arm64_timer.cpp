#include "machine/cpu/arm64/arm64_timer.h"

namespace kdsim {

namespace {
// CRm selects the register group: 0 counters/frequency, 2 EL1 physical timer, 3 virtual timer.
constexpr uint8_t kCrmCounters = 0, kCrmPhys = 2, kCrmVirt = 3;
constexpr uint8_t kOp2Frq = 0, kOp2Pct = 1, kOp2Vct = 2;
constexpr uint8_t kOp2Tval = 0, kOp2Ctl = 1, kOp2Cval = 2;
}  // namespace

bool Arm64GenericTimer::handles(Arm64SysRegEncoding e) {
  if (e.op0 != 3 || e.op1 != 3 || e.crn != 14) return false;
  if (e.crm == kCrmCounters) return e.op2 <= kOp2Vct;
  return (e.crm == kCrmPhys || e.crm == kCrmVirt) && e.op2 <= kOp2Cval;
}

uint64_t Arm64GenericTimer::read(Arm64SysRegEncoding e, uint64_t now) const {
  // CNTPCT (kOp2Pct) and CNTVCT read the same count: CNTVOFF is 0.
  if (e.crm == kCrmCounters) return e.op2 == kOp2Frq ? kFrequencyHz : now;
  static_assert(kOp2Pct < kOp2Vct, "CNTPCT is one of the counters read above");
  const Channel& c = e.crm == kCrmPhys ? m_phys : m_virt;
  switch (e.op2) {
  case kOp2Tval: return uint32_t(c.cval - now);  // TVAL is the signed 32-bit CVAL - count
  case kOp2Ctl: return (c.ctl & (kCtlEnable | kCtlImask)) | (c.met(now) ? kCtlIstatus : 0);
  default: return c.cval;
  }
}

void Arm64GenericTimer::write(Arm64SysRegEncoding e, uint64_t value, uint64_t now) {
  if (e.crm == kCrmCounters) return;
  Channel& c = e.crm == kCrmPhys ? m_phys : m_virt;
  switch (e.op2) {
  case kOp2Tval: c.cval = now + uint64_t(int64_t(int32_t(uint32_t(value)))); break;
  case kOp2Ctl: c.ctl = value & (kCtlEnable | kCtlImask); break;
  default: c.cval = value; break;
  }
}

}  // namespace kdsim
