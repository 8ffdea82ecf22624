// Offsets into Unicorn's saved-context blob (a raw copy of QEMU's CPUARMState) for the state
// 2.0.1 keeps hidden: the pending exception's syndrome/vaddress (what ESR/FAR would be) and the
// cached translation flags (hflags) that decide which EL the translator assumes.
//
// Nothing here is hard-coded: the layout is found once per process in a scratch engine, by
// provoking known events and searching the blob, and then verified by behaviour
// (unicorn-2.0.1.md 3.1, 3.2). A build whose layout differs is refused with an error.
#pragma once
#include <llvm/Support/Error.h>
#include <cstddef>
#include <cstdint>
#include <cstring>

struct uc_context;

namespace kdsim {

struct Arm64ContextLayout {
  size_t blob_size = 0;  // bytes of CPU state after the uc_context header
  size_t pc = 0;         // u64 env->pc
  size_t pstate = 0;     // u32 env->pstate (EL and SPSel only; NZCV and DAIF live elsewhere)
  size_t hflags = 0;     // u32 env->hflags
  size_t syndrome = 0;   // u32 env->exception.syndrome
  size_t vaddress = 0;   // u64 env->exception.vaddress
};

// The calibrated layout, computed on first use and cached for the process. The error says which
// check failed.
llvm::Expected<const Arm64ContextLayout*> arm64_context_layout();

// The CPU-state bytes of a uc_context (after Unicorn 2.0.1's {size, mode, arch} header).
uint8_t* arm64_context_data(uc_context* ctx);

template <typename T> T context_get(uc_context* ctx, size_t offset) {
  T v;
  std::memcpy(&v, arm64_context_data(ctx) + offset, sizeof v);
  return v;
}
template <typename T> void context_put(uc_context* ctx, size_t offset, T v) {
  std::memcpy(arm64_context_data(ctx) + offset, &v, sizeof v);
}

}  // namespace kdsim
