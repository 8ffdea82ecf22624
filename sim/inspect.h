// `kdsim inspect VMCORE [--kernel ELF]`: what a saved dump holds, decoded the way crash(8) or
// gdb would show its first screen — the program headers, each CPU's NT_PRSTATUS registers in
// the arch's pr_reg layout (PC symbolized against the first kernel's ELF) with a frame-pointer
// call trace walked through the dumped memory, and VMCOREINFO.
#pragma once
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Error.h>
#include <filesystem>
#include <optional>
#include <string>

namespace kdsim {

class KernelImage;

llvm::Expected<std::string> inspect_vmcore(const std::filesystem::path& vmcore,
                                           const std::optional<std::filesystem::path>& kernel);

// The same over bytes in memory (the fuzz target, tests); `name` prefixes every error. The
// kernel, when given, must be of the vmcore's arch.
llvm::Expected<std::string> inspect_vmcore_bytes(const std::string& name, llvm::StringRef bytes,
                                                 const KernelImage* kernel);

}  // namespace kdsim
