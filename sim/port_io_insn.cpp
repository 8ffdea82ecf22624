#include "sim/port_io_insn.h"
#include <capstone/capstone.h>
#include <memory>

namespace kdsim {

namespace {
constexpr unsigned kMaxInstructions = 64;

struct CapstoneHandle {
  csh handle = 0;
  bool open = false;
  CapstoneHandle() {
    open = cs_open(CS_ARCH_X86, CS_MODE_64, &handle) == CS_ERR_OK &&
           cs_option(handle, CS_OPT_DETAIL, CS_OPT_ON) == CS_ERR_OK;
  }
  ~CapstoneHandle() {
    if (open) cs_close(&handle);
  }
  CapstoneHandle(const CapstoneHandle&) = delete;
  CapstoneHandle& operator=(const CapstoneHandle&) = delete;
};

bool ends_block(csh h, const cs_insn& insn) {
  for (int group : {CS_GRP_JUMP, CS_GRP_CALL, CS_GRP_RET, CS_GRP_INT, CS_GRP_IRET})
    if (cs_insn_group(h, &insn, group)) return true;
  return false;
}

// `in acc, port` has the accumulator first; `out port, acc` second.
bool performs(const cs_insn& insn, const PortIoAccess& access) {
  const bool is_in = insn.id == X86_INS_IN, is_out = insn.id == X86_INS_OUT;
  if (!(is_in || is_out) || is_out != access.is_write) return false;
  const cs_x86& x86 = insn.detail->x86;
  if (x86.op_count != 2) return false;
  const cs_x86_op& acc = x86.operands[is_in ? 0 : 1];
  const cs_x86_op& port = x86.operands[is_in ? 1 : 0];
  if (acc.type != X86_OP_REG || acc.size != access.width) return false;
  return port.type != X86_OP_IMM || static_cast<uint32_t>(port.imm) == access.port;
}
}  // namespace

std::optional<uint64_t> find_port_io_instruction(std::span<const uint8_t> code, uint64_t block_pc,
                                                 const PortIoAccess& access) {
  CapstoneHandle cs;
  if (!cs.open) return std::nullopt;
  std::unique_ptr<cs_insn, void (*)(cs_insn*)> insn(cs_malloc(cs.handle), [](cs_insn* p) { cs_free(p, 1); });
  const uint8_t* bytes = code.data();
  size_t left = code.size();
  uint64_t address = block_pc;
  for (unsigned n = 0; n < kMaxInstructions && cs_disasm_iter(cs.handle, &bytes, &left, &address, insn.get()); ++n) {
    if (performs(*insn, access)) return insn->address;
    if (ends_block(cs.handle, *insn)) break;
  }
  return std::nullopt;
}

}  // namespace kdsim
