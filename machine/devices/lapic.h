// A local APIC subset in xAPIC mode (Intel SDM Vol. 3A chapter 10), one per CPU at the same
// physical address 0xfee0_0000: the bus decodes the page, the device asks which CPU makes the
// access (banking, as the arm64 GIC CPU interface does). What Linux's SMP bring-up and crash
// stop use: ID, version, TPR, EOI, LDR/DFR, SVR, ESR and the interrupt command register with
// the fixed, NMI, INIT and STARTUP delivery modes (arch/x86/kernel/smpboot.c
// wakeup_secondary_cpu_via_init(), arch/x86/kernel/apic/ipi.c, nmi_shootdown_cpus() through
// apic->send_IPI_allbutself(NMI_VECTOR)).
//
// An IPI is accepted at once (ICR delivery status always reads idle) and left pending in the
// target's LapicCpu; the machine delivers it between slices (an NMI through the CPU model, INIT
// and STARTUP as CPU state changes, a fixed vector once RFLAGS.IF is set). An IPI nobody can
// accept (an APIC ID no CPU has, an illegal vector, cluster logical mode) sets the sender's ESR
// bits and is counted: a guest's mistake is a result, never a host abort.
// Not modelled: the timer and the LVT entries (read 0x10000, masked), ISR/IRR priorities beyond
// TPR, the APIC base MSR (the page never moves), x2APIC.
#pragma once
#include "machine/device.h"
#include <bitset>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace kdsim {

// The registers (SDM Table 10-1), offsets in the 4 KiB page.
namespace lapic {
inline constexpr uint64_t kId = 0x020, kVersion = 0x030, kTpr = 0x080, kEoi = 0x0b0, kLdr = 0x0d0, kDfr = 0x0e0,
                          kSvr = 0x0f0, kEsr = 0x280, kIcrLow = 0x300, kIcrHigh = 0x310;
// Version register of an integrated xAPIC as QEMU reports it: version 0x14, 6 LVT entries.
inline constexpr uint32_t kVersionValue = 0x0005'0014;
// ICR fields (SDM 10.6.1).
inline constexpr uint32_t kDeliveryModeShift = 8, kDeliveryModeMask = 7u << 8;
inline constexpr uint32_t kDestLogical = 1u << 11, kLevelAssert = 1u << 14, kTriggerLevel = 1u << 15;
inline constexpr uint32_t kShorthandShift = 18;
// ESR bits (SDM 10.5.3).
inline constexpr uint32_t kEsrSendAccept = 1u << 2, kEsrSendIllegalVector = 1u << 5;
inline constexpr uint8_t kBroadcastId = 0xff;
}  // namespace lapic

enum class DeliveryMode : uint8_t { Fixed = 0, LowestPriority = 1, Smi = 2, Nmi = 4, Init = 5, Startup = 6 };
enum class Shorthand : uint8_t { None = 0, Self = 1, AllIncludingSelf = 2, AllExcludingSelf = 3 };

// One CPU's local APIC: its registers and what was sent to it and not yet delivered.
struct LapicCpu {
  uint8_t apic_id = 0;
  uint32_t tpr = 0, ldr = 0, dfr = 0xffff'ffff, svr = 0xff;
  uint32_t icr_low = 0, icr_high = 0;
  uint32_t esr = 0, esr_accumulated = 0;  // ESR reads the value latched by the last ESR write
  // Pending deliveries, taken by the machine.
  bool nmi = false;
  bool init = false;
  std::optional<uint8_t> startup_vector;  // SIPI: the AP starts at vector << 12 (real mode)
  std::bitset<256> irr;                   // fixed-mode vectors
};

class LapicState {
public:
  explicit LapicState(unsigned cpus);
  unsigned cpu_count() const { return static_cast<unsigned>(m_cpus.size()); }
  LapicCpu& cpu(unsigned index) { return m_cpus.at(index); }
  const LapicCpu& cpu(unsigned index) const { return m_cpus.at(index); }
  // Sends the IPI the ICR of `from` now holds (a write to ICR low). Returns how many CPUs
  // accepted it.
  unsigned send_ipi(unsigned from);
  // A fixed vector `index` may take now: the highest pending one above the TPR's class.
  std::optional<uint8_t> deliverable_vector(unsigned index) const;
  bool has_pending(unsigned index) const;
  // IPIs that no CPU accepted since power-on (ESR set on the sender).
  uint64_t undeliverable() const { return m_undeliverable; }

private:
  std::vector<unsigned> targets(unsigned from, Shorthand shorthand, bool logical, uint8_t dest) const;
  void reject(unsigned from, uint32_t esr_bits);
  std::vector<LapicCpu> m_cpus;
  uint64_t m_undeliverable = 0;
};

class LocalApic final : public Device {
public:
  // `sent` is called after each ICR write that sent an IPI somewhere.
  LocalApic(LapicState& s, std::function<unsigned()> current_cpu, std::function<void()> sent = {})
      : m_s(s), m_current(std::move(current_cpu)), m_sent(std::move(sent)) {}
  std::string_view name() const override { return "local-apic"; }
  uint64_t size() const override { return 0x1000; }
  uint64_t read(uint64_t offset, unsigned width) override;
  void write(uint64_t offset, unsigned width, uint64_t value) override;

private:
  LapicState& m_s;
  std::function<unsigned()> m_current;
  std::function<void()> m_sent;
};

}  // namespace kdsim
