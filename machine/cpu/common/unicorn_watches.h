// What both CPU classes watch the same way through Unicorn, without a per-instruction hook:
// - block watches: a UC_HOOK_BLOCK bounded to a PC range. Unicorn decides at translation time
//   whether a block gets the call, so code outside every watched range pays nothing;
// - a store watch: a UC_HOOK_MEM_WRITE that counts stores, armed
//   only for the short window in which a suspected spin is verified;
// - a store observer: a UC_HOOK_MEM_WRITE that hands each store's virtual address to a
//   callback (the CPU filters by physical range), armed only between a crash load and the
//   hand-off, to name the guest code that changes a loaded segment.
// Part of the CPU classes (the only code that calls uc_*); the machine reaches it through Cpu.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <vector>

struct uc_struct;

namespace kdsim {

class UnicornWatches {
public:
  // Called on entry to a watched block, with the watch's tag and the block's PC.
  using BlockCallback = std::function<void(unsigned tag, uint64_t pc)>;

  explicit UnicornWatches(uc_struct* uc, BlockCallback on_block) : m_uc(uc), m_on_block(std::move(on_block)) {}
  ~UnicornWatches();
  UnicornWatches(const UnicornWatches&) = delete;
  UnicornWatches& operator=(const UnicornWatches&) = delete;

  // [first, last] inclusive. Blocks already translated there keep running without the call
  // (see Cpu::watch_blocks for why that does not matter for kexec's fresh segments).
  bool watch_blocks(uint64_t first, uint64_t last, unsigned tag);
  // Removes the watches with this tag; callable from inside their own callback.
  void unwatch_blocks(unsigned tag);

  // Counts every store until stop_store_watch().
  bool start_store_watch();
  void stop_store_watch();
  uint64_t stores() const { return m_stores; }

  // Debugger support (kdsim run --gdb): one unbounded UC_HOOK_CODE, installed before the first
  // block is translated (a hook added later misses blocks already translated). It costs a call
  // per instruction, so only a machine created for a debugger has it. `on_stop(pc)` is called,
  // before the instruction runs, at a breakpoint PC or at the instruction after a single step.
  using DebugStop = std::function<void(uint64_t pc)>;
  bool enable_debug(DebugStop on_stop);
  void set_breakpoints(const std::set<uint64_t>* pcs) { m_breakpoints = pcs; }
  // The next run starts at `pc`: that instruction runs even if it is a breakpoint (the debugger
  // resumes from it); with `step`, the one after it stops.
  void resume(uint64_t pc, bool step) { m_resume_pc = pc, m_first_after_resume = true, m_step = step; }

  // Calls `on_store(virtual address, size)` before every store until unobserve_stores().
  using StoreCallback = std::function<void(uint64_t address, int size)>;
  bool observe_stores(StoreCallback on_store);
  void unobserve_stores();

private:
  struct BlockWatch {
    UnicornWatches* owner;
    unsigned tag;
    size_t hook;  // uc_hook
  };
  static void block_hook(uc_struct*, uint64_t address, uint32_t size, void* user);
  static void store_hook(uc_struct*, int type, uint64_t address, int size, int64_t value, void* user);
  static void observe_hook(uc_struct*, int type, uint64_t address, int size, int64_t value, void* user);
  static void debug_hook(uc_struct*, uint64_t address, uint32_t size, void* user);

  uc_struct* m_uc;
  BlockCallback m_on_block;
  std::vector<std::unique_ptr<BlockWatch>> m_block_watches;
  // Removed from inside a callback: Unicorn may still hold the pointer until its run ends.
  std::vector<std::unique_ptr<BlockWatch>> m_retired;
  size_t m_store_hook = 0;
  bool m_store_watch_on = false;
  uint64_t m_stores = 0;
  StoreCallback m_on_store;
  DebugStop m_debug_stop;
  const std::set<uint64_t>* m_breakpoints = nullptr;
  uint64_t m_resume_pc = 0;
  bool m_first_after_resume = false;
  bool m_step = false;
  size_t m_observe_hook = 0;
  bool m_observing = false;
};

}  // namespace kdsim
