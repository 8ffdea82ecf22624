// The x86 instruction behind a port access. Unicorn 2.0.1 calls the IN/OUT hook without writing
// RIP back: QEMU's translator syncs EIP before port I/O only for the I/O-permission check, which
// CPL 0 skips, so the CPU's RIP is still the start of the translated block. The machine reports
// that PC; this finds the instruction in the block's code (kernel text, from the ELF).
#pragma once
#include <cstdint>
#include <optional>
#include <span>

namespace kdsim {

struct PortIoAccess {
  uint32_t port = 0;
  unsigned width = 1;  // bytes
  bool is_write = false;
};

// The address of the first `in`/`out` in `code` (which starts at `block_pc`) that performs
// `access`: the same direction and width, and the same port when the port is an immediate (a
// DX port is taken to match). The search stops at the block's end (the first jump, call, return
// or interrupt) and after 64 instructions. String forms (ins/outs) are not matched.
std::optional<uint64_t> find_port_io_instruction(std::span<const uint8_t> code, uint64_t block_pc,
                                                 const PortIoAccess& access);

}  // namespace kdsim
