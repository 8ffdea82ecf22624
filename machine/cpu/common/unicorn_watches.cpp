#include "machine/cpu/common/unicorn_watches.h"
#include "machine/cpu.h"
#include "machine/ram.h"
#include <cstring>
#include <unicorn/unicorn.h>
#include <algorithm>

namespace kdsim {

// The hooks go with the engine (uc_close frees them); the engine may already be closed here,
// as the CPU classes own it and this object lives in their base class.
UnicornWatches::~UnicornWatches() = default;

void UnicornWatches::block_hook(uc_struct*, uint64_t address, uint32_t, void* user) {
  auto* w = static_cast<BlockWatch*>(user);
  w->owner->m_on_block(w->tag, address);
}

bool UnicornWatches::watch_blocks(uint64_t first, uint64_t last, unsigned tag) {
  m_retired.clear();  // between runs: Unicorn no longer refers to them
  auto w = std::make_unique<BlockWatch>(BlockWatch{this, tag, 0});
  uc_hook h = 0;
  if (uc_hook_add(m_uc, &h, UC_HOOK_BLOCK, reinterpret_cast<void*>(&block_hook), w.get(), first, last) != UC_ERR_OK)
    return false;
  w->hook = h;
  m_block_watches.push_back(std::move(w));
  return true;
}

void UnicornWatches::unwatch_blocks(unsigned tag) {
  for (auto it = m_block_watches.begin(); it != m_block_watches.end();) {
    if ((*it)->tag != tag) {
      ++it;
      continue;
    }
    uc_hook_del(m_uc, (*it)->hook);
    m_retired.push_back(std::move(*it));
    it = m_block_watches.erase(it);
  }
}

void UnicornWatches::store_hook(uc_struct*, int, uint64_t, int, int64_t, void* user) {
  ++static_cast<UnicornWatches*>(user)->m_stores;
}

bool UnicornWatches::start_store_watch() {
  stop_store_watch();
  m_stores = 0;
  uc_hook h = 0;
  if (uc_hook_add(m_uc, &h, UC_HOOK_MEM_WRITE, reinterpret_cast<void*>(&store_hook), this, 1, 0) != UC_ERR_OK)
    return false;
  m_store_hook = h;
  m_store_watch_on = true;
  return true;
}

void UnicornWatches::stop_store_watch() {
  if (!m_store_watch_on) return;
  uc_hook_del(m_uc, m_store_hook);
  m_store_watch_on = false;
}

void UnicornWatches::observe_hook(uc_struct*, int, uint64_t address, int size, int64_t, void* user) {
  static_cast<UnicornWatches*>(user)->m_on_store(address, size);
}

bool UnicornWatches::observe_stores(StoreCallback on_store) {
  unobserve_stores();
  m_on_store = std::move(on_store);
  uc_hook h = 0;
  if (uc_hook_add(m_uc, &h, UC_HOOK_MEM_WRITE, reinterpret_cast<void*>(&observe_hook), this, 1, 0) != UC_ERR_OK)
    return false;
  m_observe_hook = h;
  m_observing = true;
  return true;
}

void UnicornWatches::unobserve_stores() {
  if (!m_observing) return;
  uc_hook_del(m_uc, m_observe_hook);
  m_observing = false;
}

void UnicornWatches::debug_hook(uc_struct*, uint64_t address, uint32_t, void* user) {
  auto* w = static_cast<UnicornWatches*>(user);
  if (w->m_first_after_resume) {
    w->m_first_after_resume = false;
    if (address == w->m_resume_pc) return;  // the instruction the debugger resumes from
  }
  if (w->m_step || (w->m_breakpoints && w->m_breakpoints->contains(address))) {
    w->m_step = false;
    w->m_debug_stop(address);
  }
}

bool UnicornWatches::enable_debug(DebugStop on_stop) {
  m_debug_stop = std::move(on_stop);
  uc_hook h = 0;
  return uc_hook_add(m_uc, &h, UC_HOOK_CODE, reinterpret_cast<void*>(&debug_hook), this, 1, 0) == UC_ERR_OK;
}

Cpu::~Cpu() = default;

void Cpu::init_watches(uc_struct* uc, CpuHost* host, Ram* ram) {
  m_watch_host = host;
  m_watch_ram = ram;
  m_watches = std::make_unique<UnicornWatches>(uc, [this, host](unsigned tag, uint64_t pc) {
    if (host) host->block_watched(*this, tag, VirtAddr(pc));
  });
}

bool Cpu::watch_stores_to(std::vector<PhysRange> ranges) {
  return m_watches->observe_stores([this, ranges = std::move(ranges)](uint64_t va, int size) {
    auto pa = physical_address(va);
    if (!pa || !m_watch_host) return;
    for (const PhysRange& r : ranges)
      if (r.overlaps({PhysAddr(*pa), static_cast<uint64_t>(size)})) {
        m_watch_host->store_watched(*this, PhysAddr(*pa), static_cast<unsigned>(size), VirtAddr(pc()));
        return;
      }
  });
}

void Cpu::unwatch_stores_to() { m_watches->unobserve_stores(); }

bool Cpu::read_virtual(uint64_t va, std::span<uint8_t> out) {
  constexpr uint64_t kPage = 0x1000;
  size_t done = 0;
  while (done < out.size()) {
    const uint64_t at = va + done;
    const size_t chunk = std::min<uint64_t>(out.size() - done, kPage - (at & (kPage - 1)));
    auto pa = physical_address(at);
    const uint8_t* p = pa && m_watch_ram ? m_watch_ram->host_ptr(PhysAddr(*pa), chunk) : nullptr;
    if (!p) return false;
    std::memcpy(out.data() + done, p, chunk);
    done += chunk;
  }
  return true;
}

bool Cpu::enable_debug() {
  return m_watches->enable_debug([this](uint64_t pc) {
    stop_for_debugger();
    if (m_watch_host) m_watch_host->debug_stopped(*this, VirtAddr(pc));
  });
}

}  // namespace kdsim
