// Fuzz target: a vmcore (ELF64 ET_CORE: the elfcorehdr's program headers, PT_NOTEs with
// NT_PRSTATUS and VMCOREINFO, PT_LOADs walked for the call trace) decoded as `kdsim inspect`
// does, from memory. Without a kernel ELF: symbolizing is the kernel_image target's business.
// Seeds: vmcores the fuzz script saves with `kdsim run` (kdump-sysrq of both arches), cut to
// their headers and notes. The same bytes go through parse_kcore, as the head of a /proc/kcore
// (the same ELF core shape) of either machine.
#include "firmware-less-boot/kexec/kcore.h"
#include "sim/inspect.h"
#include "tests/fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const llvm::StringRef bytes(reinterpret_cast<const char*>(data), size);
  auto text = kdsim::inspect_vmcore_bytes("fuzz.vmcore", bytes, nullptr);
  kdsim::fuzz::consume(text);
  for (uint16_t machine : {uint16_t(183), uint16_t(62)}) {
    auto kcore = kdsim::parse_kcore(std::string_view(bytes.data(), bytes.size()), machine);
    kdsim::fuzz::consume(kcore);
  }
  return 0;
}
