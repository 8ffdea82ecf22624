// Unicorn hooks of Arm64Cpu: instruction budget, lazy VA shadows, system-instruction broadcast,
// and the host-answered system registers (generic timer, MPIDR_EL1). No per-instruction hook.
#include "machine/assert.h"
#include "machine/cpu/arm64/arm64_cpu.h"
#include "machine/error.h"
#include "machine/ram.h"
#include <unicorn/unicorn.h>
#include <algorithm>

namespace kdsim {

namespace {
// VA shadows are made per 2 MiB window the guest touches, not per GiB: removing a shadow when
// the MMU goes off costs Unicorn one TLB/jump-cache flush per 1 KiB page (memory_unmap), so
// 1 GiB shadows made every kexec hand-off take over a second.
constexpr uint64_t kShadowWindow = 2ull << 20;

Arm64SysRegEncoding encoding_of(const uc_arm64_cp_reg* r) {
  return {uint8_t(r->op0), uint8_t(r->op1), uint8_t(r->crn), uint8_t(r->crm), uint8_t(r->op2)};
}
}  // namespace

struct Arm64Cpu::Hooks {
  static void block(uc_engine*, uint64_t, uint32_t size, void* user) { static_cast<Arm64Cpu*>(user)->on_block(size); }
  static void interrupt(uc_engine*, uint32_t intno, void* user) { static_cast<Arm64Cpu*>(user)->on_interrupt(intno); }
  static bool unmapped(uc_engine*, uc_mem_type type, uint64_t address, int size, int64_t, void* user) {
    return static_cast<Arm64Cpu*>(user)->on_unmapped(type, address, size);
  }
  static uint32_t sys(uc_engine*, uc_arm64_reg, const uc_arm64_cp_reg* cp, void* user) {
    return static_cast<Arm64Cpu*>(user)->on_sys(encoding_of(cp)) ? 1 : 0;
  }
  static uint32_t mrs(uc_engine* uc, uc_arm64_reg reg, const uc_arm64_cp_reg* cp, void* user) {
    std::optional<uint64_t> v = static_cast<Arm64Cpu*>(user)->on_mrs(encoding_of(cp));
    if (!v) return 0;  // not ours: the access happens as usual
    if (reg != UC_ARM64_REG_XZR) uc_reg_write(uc, reg, &*v);
    return 1;
  }
  static uint32_t msr(uc_engine*, uc_arm64_reg, const uc_arm64_cp_reg* cp, void* user) {
    return static_cast<Arm64Cpu*>(user)->on_msr(encoding_of(cp), cp->val) ? 1 : 0;
  }
};

llvm::Error Arm64Cpu::install_hooks() {
  uc_engine* uc = m_uc.get();
  uc_hook h;
  struct Insn {
    int insn;
    void* callback;
  };
  uc_err err = uc_hook_add(uc, &h, UC_HOOK_BLOCK, reinterpret_cast<void*>(&Hooks::block), this, 1, 0);
  if (err == UC_ERR_OK) err = uc_hook_add(uc, &h, UC_HOOK_INTR, reinterpret_cast<void*>(&Hooks::interrupt), this, 1, 0);
  if (err == UC_ERR_OK)
    err = uc_hook_add(uc, &h, UC_HOOK_MEM_UNMAPPED, reinterpret_cast<void*>(&Hooks::unmapped), this, 1, 0);
  for (Insn i : {Insn{UC_ARM64_INS_SYS, reinterpret_cast<void*>(&Hooks::sys)},
                 Insn{UC_ARM64_INS_MRS, reinterpret_cast<void*>(&Hooks::mrs)},
                 Insn{UC_ARM64_INS_MSR, reinterpret_cast<void*>(&Hooks::msr)}})
    if (err == UC_ERR_OK) err = uc_hook_add(uc, &h, UC_HOOK_INSN, i.callback, this, 1, 0, i.insn);
  if (err != UC_ERR_OK) return make_error("arm64 CPU {}: installing hooks: {}", index(), uc_strerror(err));
  return llvm::Error::success();
}

// Instruction budget (unicorn-2.0.1.md 6 (e)): every A64 instruction is 4 bytes. Re-issuing the
// stop on every block also repairs a stop that an exception entry's PC write cancelled.
//
// A stop issued here takes effect before the block runs (measured: the block is executed, and
// must be counted, by the next slice), so a block is counted only when the slice goes on.
void Arm64Cpu::on_block(uint32_t size) {
  // The hot path is a compare and an add: a stop, a fault or the end of the slice makes
  // m_stop_at 0 or reached, and on_block_slow ends the run.
  if (m_instructions >= m_stop_at) [[unlikely]]
    return on_block_slow();
  m_instructions += size / 4;
}

void Arm64Cpu::on_block_slow() {
  if (m_instructions >= m_slice_end) m_quantum_expired = true;
  m_stop_at = 0;
  uc_emu_stop(m_uc.get());
}

// A VA outside every Unicorn region: with the MMU on, map the shadow over the 1 GiB window's
// holes and let Unicorn retry through the page tables (unicorn-2.0.1.md 2). With the MMU off
// the address is physical and really unmapped.
bool Arm64Cpu::on_unmapped(int type, uint64_t address, int) {
  bool mmu_on = read_cp(sysreg_encoding(Arm64SysReg::SCTLR_EL1)) & kSctlrM;
  if (mmu_on && type == UC_MEM_FETCH_UNMAPPED) {
    // Retrying a *fetch* after mapping the shadow from inside this hook crashes Unicorn 2.0.1
    // (a stale code-page lookup in cpu_ldl_code). Map it, let this run stop with
    // FETCH_UNMAPPED before the target executes anything, and restart at the same PC.
    if (map_shadow(address)) {
      m_refetch_at = address;
      return false;
    }
  } else if (mmu_on && map_shadow(address)) {
    return true;
  }
  m_last_unmapped = UnmappedAccess{type, address};
  return false;
}

bool Arm64Cpu::map_shadow(uint64_t address) {
  uint64_t window = address & ~(kShadowWindow - 1);
  uc_mem_region* regions = nullptr;
  uint32_t count = 0;
  if (uc_mem_regions(m_uc.get(), &regions, &count) != UC_ERR_OK) return false;
  std::vector<std::pair<uint64_t, uint64_t>> used;  // inclusive [begin, end] inside the window
  for (uint32_t i = 0; i < count; ++i)
    if (regions[i].end >= window && regions[i].begin <= window + kShadowWindow - 1)
      used.emplace_back(std::max(regions[i].begin, window), std::min(regions[i].end, window + kShadowWindow - 1));
  uc_free(regions);
  std::sort(used.begin(), used.end());
  bool mapped_address = false;
  const uint64_t window_last = window + kShadowWindow - 1;  // inclusive: no overflow at the top
  // Maps the inclusive gap [first, last] (first <= last) of the window.
  auto map_gap = [&](uint64_t first, uint64_t last) {
    uint64_t size = last - first + 1;
    if (uc_mem_map_ptr(m_uc.get(), first, size, UC_PROT_ALL, m_shadow.get() + (first - window)) != UC_ERR_OK) return;
    m_shadow_ranges.push_back(VaRange{first, size});
    if (address >= first && address <= last) mapped_address = true;
  };
  uint64_t cursor = window;  // next byte that may be unmapped
  bool done = false;         // the window's last byte is covered
  for (auto [first, last] : used) {
    if (first > cursor) map_gap(cursor, first - 1);
    if (last >= window_last) {
      done = true;
      break;
    }
    cursor = std::max(cursor, last + 1);
  }
  if (!done) map_gap(cursor, window_last);
  return mapped_address;
}

void Arm64Cpu::unmap_shadows() {
  for (const VaRange& r : m_shadow_ranges) uc_mem_unmap(m_uc.get(), r.base, r.size);
  m_shadow_ranges.clear();
}

// `tlbi ...is` and `ic` must reach the other engines: Unicorn broadcasts neither
// (unicorn-2.0.1.md 5.2). Returning false lets the instruction run locally as well.
bool Arm64Cpu::on_sys(Arm64SysRegEncoding e) {
  if (e.op0 != 1 || m_peers.empty()) return false;
  bool tlbi_broadcast = e.crn == arm64_enc::kSysTlbiCrn && e.crm == arm64_enc::kSysTlbiInnerShareableCrm;
  // IC IALLUIS (op1 0, CRm 1) and IC IVAU (op1 3, CRm 5, op2 1) reach every PE of the inner
  // shareable domain: a peer's stale translations of code written through this CPU go away.
  // IC IALLU (op1 0, CRm 5, op2 0) is local to the PE (Arm ARM D7.4.5), and this engine already
  // sees its own stores to code (QEMU's page tracking), so it needs nothing: broadcasting it made
  // every CPU's boot (`ic iallu` after the MMU goes on) flush every peer, and a Unicorn 2.0.1
  // flush clears its whole 1 GiB code buffer (1 GiB of RSS and ~2 s of boot per extra CPU).
  bool ic = e.crn == arm64_enc::kSysCacheCrn &&
            ((e.op1 == 0 && e.crm == 1 && e.op2 == 0) || (e.op1 == 3 && e.crm == 5 && e.op2 == 1));
  for (Arm64Cpu* peer : m_peers) {
    if (tlbi_broadcast) peer->write_cp(arm64_enc::TLBI_VMALLE1, 0);
    if (ic) peer->m_tb_flush_pending = true;  // dropping TBs is only safe between slices
  }
  return false;
}

std::optional<uint64_t> Arm64Cpu::on_mrs(Arm64SysRegEncoding e) {
  if (Arm64GenericTimer::handles(e)) return m_timer.read(e, system_counter());
  if (e == sysreg_encoding(Arm64SysReg::MPIDR_EL1)) return 0x80000000u | mpidr();  // bit 31 RES1
  return std::nullopt;
}

bool Arm64Cpu::on_msr(Arm64SysRegEncoding e, uint64_t value) {
  if (!Arm64GenericTimer::handles(e)) return false;
  m_timer.write(e, value, system_counter());
  return true;
}

}  // namespace kdsim
