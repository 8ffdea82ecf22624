// Internal to the kexec planner (kexec_plan.cpp and the per-arch files in kexec/arch/): the
// pieces both the generic part and the architectures use, as kexec-tools' kexec/kexec.c
// (add_buffer, locate_hole) serves its kexec/arch/<arch>/ directories.
#pragma once
#include "firmware-less-boot/kernel_image.h"
#include "firmware-less-boot/kexec/kcore.h"
#include "firmware-less-boot/kexec/kexec_plan.h"
#include <optional>
#include <string_view>

namespace kdsim::kexec_parts {

inline constexpr uint64_t kPage = 4096;
inline constexpr uint64_t k2MiB = 2ull << 20;

inline uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }
inline uint64_t align_down(uint64_t v, uint64_t a) { return v & ~(a - 1); }

// NUMBER(name)=value from a VMCOREINFO text (decimal, or hex with 0x as arm64 prints some).
std::optional<uint64_t> vmcoreinfo_number(std::string_view text, std::string_view name);

// /proc/kcore as the planner sees it: its parsed header, or why there is none.
struct KcoreRead {
  std::optional<Kcore> kcore;
  std::string unreadable;  // the read failed: strerror's words, as kexec-tools prints them
  std::string malformed;   // the bytes are not a kcore header: kdsim's explanation
};
KcoreRead read_kcore(const KexecPlanConfig& config, uint16_t elf_machine);

// The running kernel's symbol kexec-tools looks up in /proc/kallsyms (get_kernel_sym). The toy
// kernel has no /proc/kallsyms; its ELF symbol table holds the same value.
std::optional<VirtAddr> kallsyms_symbol(const KexecPlanConfig& config, std::string_view name);

// Hands out memory inside the crash region: low addresses upwards, the top downwards, as
// kexec-tools' add_buffer (bottom-up for the kernel, top-down for the core header).
class RegionAllocator {
public:
  explicit RegionAllocator(PhysRange r) : m_low(r.base.value()), m_high(r.base.value() + r.size) {}
  std::optional<PhysAddr> low(uint64_t size, uint64_t align);
  std::optional<PhysAddr> high(uint64_t size, uint64_t align);

private:
  uint64_t m_low, m_high;
};

// Why a buffer did not fit, in kdsim's words (the plan's region, or the RAM after the kernel).
std::string no_room_why(const KexecPlan& plan, std::string_view what, uint64_t size);

// A buffer that does not fit: kexec-tools' add_buffer_phys_virt() (kexec/kexec.c) asks
// locate_hole() for a page-rounded hole, which prints "Could not find a free area of memory of
// 0x%lx bytes...", and then dies with "locate_hole failed" (die(): exit status 1).
llvm::Error no_room(const KexecPlan& plan, std::string_view what, uint64_t size);

}  // namespace kdsim::kexec_parts
