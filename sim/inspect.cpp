#include "machine/host_file.h"
#include "sim/inspect.h"
#include "sim/host_arch.h"
#include "sim/dumped_memory.h"
#include "sim/printk_log.h"
#include "firmware-less-boot/kernel_image.h"
#include "machine/error.h"
#include <llvm/Object/ELF.h>
#include <llvm/Support/MemoryBuffer.h>
#include <array>
#include <cctype>
#include <cstring>

namespace kdsim {

namespace {

using ELFT = llvm::object::ELF64LE;
constexpr uint32_t kNtPrstatus = 1;

std::string prstatus(unsigned cpu, llvm::ArrayRef<uint8_t> desc, const HostArch& arch, const KernelImage* kernel,
                     const DumpedMemory& mem) {
  if (desc.size() < kPrReg + 8 * arch.prstatus_register_count())
    return fmt::format("CPU {}: NT_PRSTATUS too short ({} bytes)\n", cpu, desc.size());
  int32_t pid;
  std::memcpy(&pid, desc.data() + kPrPid, 4);
  return fmt::format("CPU {} (NT_PRSTATUS, pid {}):\n", cpu, pid) + arch.show_prstatus(PrRegs(desc), kernel, mem);
}

const char* phdr_type(uint32_t t) {
  switch (t) {
  case llvm::ELF::PT_LOAD: return "LOAD";
  case llvm::ELF::PT_NOTE: return "NOTE";
  default: return "OTHER";
  }
}

// The ELF header checks, in the order a user meets them; the vmcore's arch.
llvm::Expected<Arch> check_core_header(const std::string& name, llvm::StringRef bytes) {
  if (!bytes.startswith("\x7f" "ELF")) return make_error("{}: not an ELF file", name);
  if (bytes.size() < 16 || bytes[4] != llvm::ELF::ELFCLASS64 || bytes[5] != llvm::ELF::ELFDATA2LSB)
    return make_error("{}: not an ELF64 little-endian file", name);
  auto elf = llvm::object::ELFFile<ELFT>::create(bytes);
  if (!elf) return make_error("{}: not an ELF64 little-endian file: {}", name, toString(elf.takeError()));
  const auto& eh = elf->getHeader();
  if (eh.e_type != llvm::ELF::ET_CORE) return make_error("{}: e_type is {}, not ET_CORE (4)", name, eh.e_type);
  auto arch = arch_of_elf_machine(eh.e_machine);
  if (!arch) return make_error("{}: e_machine {} is neither EM_AARCH64 (183) nor EM_X86_64 (62)", name, eh.e_machine);
  return *arch;
}

}  // namespace

llvm::Expected<std::string> inspect_vmcore(const std::filesystem::path& vmcore,
                                           const std::optional<std::filesystem::path>& kernel_path) {
  if (auto err = check_input_file(vmcore, kMaxVmcoreBytes, "vmcore")) return err;
  auto buf = llvm::MemoryBuffer::getFile(vmcore.string(), /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!buf) return make_error("{}: cannot read: {}", vmcore.string(), buf.getError().message());
  const llvm::StringRef bytes = (*buf)->getBuffer();
  auto arch = check_core_header(vmcore.string(), bytes);
  if (!arch) return arch.takeError();
  std::optional<KernelImage> kernel;
  if (kernel_path) {
    auto k = KernelImage::create(kernel_path->string(), *arch);
    if (!k) return k.takeError();
    kernel = std::move(*k);
  }
  return inspect_vmcore_bytes(vmcore.string(), bytes, kernel ? &*kernel : nullptr);
}

llvm::Expected<std::string> inspect_vmcore_bytes(const std::string& name, llvm::StringRef bytes,
                                                 const KernelImage* kernel) {
  auto core_arch = check_core_header(name, bytes);
  if (!core_arch) return core_arch.takeError();
  const HostArch& arch = host_arch(*core_arch);
  auto elf = llvm::object::ELFFile<ELFT>::create(bytes);
  if (!elf) return make_error("{}: {}", name, toString(elf.takeError()));  // checked above
  if (kernel && kernel->arch() != *core_arch)
    return make_error("{}: the kernel {} is not of the vmcore's arch", name, kernel->name());
  auto phdrs = elf->program_headers();
  if (!phdrs) return make_error("{}: program headers: {}", name, toString(phdrs.takeError()));

  std::string out = fmt::format("vmcore {}: ELF64 ET_CORE, {}, {} bytes, {} program headers\n", name,
                                arch.core_machine_name(), bytes.size(), phdrs->size());
  for (const auto& ph : *phdrs)
    out += fmt::format("  {:<5} offset 0x{:08x}  vaddr 0x{:016x}  paddr 0x{:010x}  size 0x{:x}\n", phdr_type(ph.p_type),
                       uint64_t(ph.p_offset), uint64_t(ph.p_vaddr), uint64_t(ph.p_paddr), uint64_t(ph.p_filesz));
  const DumpedMemory memory(bytes, *phdrs);
  unsigned cpu = 0;
  std::string vmcoreinfo;
  for (const auto& ph : *phdrs) {
    if (ph.p_type != llvm::ELF::PT_NOTE) continue;
    // Checked here, overflow-safe: LLVM 14's note iterator trusts p_offset + p_filesz.
    if (ph.p_offset > bytes.size() || ph.p_filesz > bytes.size() - ph.p_offset)
      return make_error("{}: PT_NOTE at offset 0x{:x}, 0x{:x} bytes, runs past the end of the file (0x{:x} bytes)",
                        name, uint64_t(ph.p_offset), uint64_t(ph.p_filesz), bytes.size());
    llvm::Error err = llvm::Error::success();
    for (const auto& note : elf->notes(ph, err)) {
      if (note.getName() == "CORE" && note.getType() == kNtPrstatus)
        out += prstatus(cpu++, note.getDesc(), arch, kernel, memory);
      else if (note.getName() == "VMCOREINFO") {
        auto d = note.getDesc();
        out += "VMCOREINFO:\n";
        std::string text(reinterpret_cast<const char*>(d.data()), d.size());
        vmcoreinfo += text;
        for (size_t at = 0; at < text.size();) {
          size_t nl = text.find('\n', at);
          std::string line = text.substr(at, nl == std::string::npos ? std::string::npos : nl - at);
          if (!line.empty() && line[0] != '\0') out += "  " + line + "\n";
          if (nl == std::string::npos) break;
          at = nl + 1;
        }
      }
    }
    if (err) return make_error("{}: notes: {}", name, toString(std::move(err)));
  }
  if (cpu == 0) out += "no NT_PRSTATUS notes\n";
  if (auto log = read_printk_log(vmcoreinfo, memory))
    out += fmt::format("Kernel log (printk ring buffer, {} records):\n", log->records.size()) +
           format_printk_log(*log, "  ");
  return out;
}

}  // namespace kdsim
