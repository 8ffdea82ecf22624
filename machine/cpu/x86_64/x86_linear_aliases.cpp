// Linear aliases: Unicorn 2.0.1 on x86 walks the guest page tables (permissions, #PF, CR2) but
// then uses the *virtual* address as the physical one, and before any walk it checks the VA
// against its list of mapped regions (reference 4.1 and section 0). So every VA the guest
// touches under paging must itself be a Unicorn region backed by the memory its PTE points to.
//
// Done lazily from UC_HOOK_MEM_UNMAPPED: the host walks the tables (x86_page_walk.h) and maps
// - a RAM alias covering the whole leaf (4 KiB / 2 MiB / 1 GiB, clipped to the RAM region and
//   to the regions already mapped), or
// - a device window (the 4 KiB page, forwarding to the MMIO bus at the leaf's PA), or
// - when the VA is not mapped, a 4 KiB zero "fault shadow" (not RAM), only so that QEMU's own
//   walk runs and raises the architectural #PF with CR2 and the error code. The shadow is
//   unmapped again when that #PF is delivered, so a handler that maps the page (demand paging)
//   makes the retried access reach the alias logic again instead of the zero page.
// Limitations (also in x86_64_cpu.h): RAM is mapped at its PA, so a low-half VA that is a RAM
// address is used as is (must be identity mapped); an alias keeps the PA it was created with
// until forget_linear_aliases().
#include "machine/assert.h"
#include "machine/bus.h"
#include "machine/cpu/x86_64/x86_64_cpu.h"
#include "machine/cpu/x86_64/x86_page_walk.h"
#include "machine/ram.h"
#include <unicorn/unicorn.h>
#include <algorithm>
#include <cstring>

namespace kdsim {

bool X86_64Cpu::region_free(uint64_t begin, uint64_t end) const {
  auto it = m_regions.lower_bound(end);  // first region starting at or after end
  if (it == m_regions.begin()) return true;
  --it;  // the last region starting before end
  return it->second <= begin;
}

// Shrinks [begin, end) to the free gap around `around` (which lies in no region).
void X86_64Cpu::clip_to_free(uint64_t around, uint64_t& begin, uint64_t& end) const {
  auto next = m_regions.upper_bound(around);
  if (next != m_regions.end()) end = std::min(end, next->first);
  if (next != m_regions.begin()) begin = std::max(begin, std::prev(next)->second);
}

bool X86_64Cpu::on_unmapped(int type, uint64_t address, int size) {
  m_last_unmapped = UnmappedAccess{type, address};
  if (m_fault) return false;
  if (!(reg(X86Reg::Cr0) & x86::kCr0Pg)) return false;  // no paging: a real unmapped PA
  // An access straddling into an unmapped page may report its (mapped) start.
  uint64_t va = address;
  if (!region_free(va & ~(x86::kPageSize - 1), (va & ~(x86::kPageSize - 1)) + x86::kPageSize) && size > 0)
    va = address + static_cast<uint64_t>(size) - 1;
  return map_linear_for(va);
}

bool X86_64Cpu::map_linear_for(uint64_t va) {
  const uint64_t page = va & ~(x86::kPageSize - 1);
  if (!region_free(page, page + x86::kPageSize)) return false;  // mapped, yet reported: give up
  auto leaf = x86::walk_page_tables(*m_ram, reg(X86Reg::Cr3), va);
  if (!leaf) {
    if (uc_mem_map(m_uc, page, x86::kPageSize, UC_PROT_ALL) != UC_ERR_OK) return false;
    m_regions[page] = page + x86::kPageSize;
    m_linear.push_back({VirtAddr(page), x86::kPageSize, X86LinearKind::FaultShadow, PhysAddr()});
    ++m_linear_stats.fault_shadows;
    return true;
  }
  const uint64_t pa = leaf->translate(va);
  for (const Ram::Region& r : m_ram->regions()) {
    if (!r.range.contains(PhysAddr(pa))) continue;
    // The leaf's VA range, cut to the part whose PAs are in this RAM region, then to the gap.
    uint64_t lo = leaf->va_base, hi = leaf->va_base + leaf->size;
    if (r.range.base.value() > leaf->pa_base) lo += r.range.base.value() - leaf->pa_base;
    if (r.range.last() < leaf->translate(hi - 1)) hi -= leaf->translate(hi - 1) - r.range.last();
    clip_to_free(va, lo, hi);
    uint8_t* host = m_ram->region_host_base(r) + (leaf->translate(lo) - r.range.base.value());
    if (uc_mem_map_ptr(m_uc, lo, hi - lo, UC_PROT_ALL, host) != UC_ERR_OK) return false;
    m_regions[lo] = hi;
    m_linear.push_back({VirtAddr(lo), hi - lo, X86LinearKind::Ram, PhysAddr(leaf->translate(lo))});
    ++m_linear_stats.ram_aliases;
    return true;
  }
  const Bus::Mapping* m = m_mmio ? m_mmio->find(pa) : nullptr;
  if (m && m->device) {
    const uint64_t pa_page = pa & ~(x86::kPageSize - 1);
    if (!map_mmio_window(page, x86::kPageSize, pa_page)) return false;
    m_linear.push_back({VirtAddr(page), x86::kPageSize, X86LinearKind::Device, PhysAddr(pa_page)});
    ++m_linear_stats.device_aliases;
    return true;
  }
  if (!m_fault)
    m_fault = fmt::format("{} maps to {}, which is neither RAM nor a device (RIP {})", VirtAddr(va), PhysAddr(pa),
                          VirtAddr(reg(X86Reg::Rip)));
  return false;
}

// Called when a #PF is delivered: its shadow (if any) has done its job.
void X86_64Cpu::drop_fault_shadow(uint64_t cr2) {
  const uint64_t page = cr2 & ~(x86::kPageSize - 1);
  auto it = std::find_if(m_linear.begin(), m_linear.end(), [&](const X86LinearMapping& l) {
    return l.kind == X86LinearKind::FaultShadow && l.va.value() == page;
  });
  if (it == m_linear.end()) return;
  KDSIM_ASSERT(uc_mem_unmap(m_uc, page, x86::kPageSize) == UC_ERR_OK, "unmapping the fault shadow at 0x{:x}", page);
  m_regions.erase(page);
  m_linear.erase(it);
}

void X86_64Cpu::forget_linear_aliases() {
  for (const X86LinearMapping& l : m_linear) {
    KDSIM_ASSERT(uc_mem_unmap(m_uc, l.va.value(), l.size) == UC_ERR_OK, "unmapping the alias at {}", l.va);
    m_regions.erase(l.va.value());
  }
  // Device aliases' windows are gone with their regions; the physical ones stay.
  std::erase_if(m_windows, [&](const std::unique_ptr<MmioWindow>& w) { return !m_regions.contains(w->at); });
  m_linear.clear();
  // No uc_ctl_flush_tlb here: in 2.0.1 a TB flush faults in Unicorn's whole 1 GiB translation
  // buffer (RSS 12 MB -> 1 GB). It is not needed: uc_mem_unmap already flushed the TLB and the
  // jump cache of every unmapped page, and a later alias at the same VA is a new RAM block, so
  // blocks translated through the old one can never be looked up again.
  forget_blocks();
}

std::optional<uint64_t> X86_64Cpu::physical_address(uint64_t va) {
  if (!(reg(X86Reg::Cr0) & x86::kCr0Pg)) return va;
  auto leaf = x86::walk_page_tables(*m_ram, reg(X86Reg::Cr3), va);
  if (!leaf) return std::nullopt;
  return leaf->translate(va);
}

uint8_t* X86_64Cpu::linear_host_ptr(uint64_t va, uint64_t len) {
  auto pa = physical_address(va);
  return pa ? m_ram->host_ptr(PhysAddr(*pa), len) : nullptr;
}

bool X86_64Cpu::read_linear(uint64_t va, void* out, uint64_t len) {
  auto* dst = static_cast<uint8_t*>(out);
  while (len > 0) {
    const uint64_t chunk = std::min(len, x86::kPageSize - (va & (x86::kPageSize - 1)));
    const uint8_t* p = linear_host_ptr(va, chunk);
    if (!p) return false;
    std::memcpy(dst, p, chunk);
    dst += chunk, va += chunk, len -= chunk;
  }
  return true;
}

bool X86_64Cpu::write_linear(uint64_t va, const void* in, uint64_t len) {
  auto* src = static_cast<const uint8_t*>(in);
  while (len > 0) {
    const uint64_t chunk = std::min(len, x86::kPageSize - (va & (x86::kPageSize - 1)));
    uint8_t* p = linear_host_ptr(va, chunk);
    if (!p) return false;
    std::memcpy(p, src, chunk);
    src += chunk, va += chunk, len -= chunk;
  }
  return true;
}

}  // namespace kdsim
