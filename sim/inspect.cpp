#include "machine/host_file.h"
#include "sim/inspect.h"
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
constexpr size_t kPrPid = 32, kPrReg = 112;  // include/linux/elfcore.h, both arches (LP64)

// pr_reg layouts: arm64 struct user_pt_regs; x86_64 struct user_regs_struct (ELF_CORE_COPY_REGS).
constexpr std::array<const char*, 34> kArm64Regs = {
    "x0",  "x1",  "x2",  "x3",  "x4",  "x5",  "x6",  "x7",  "x8",  "x9",  "x10", "x11",
    "x12", "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x20", "x21", "x22", "x23",
    "x24", "x25", "x26", "x27", "x28", "x29", "x30", "sp",  "pc",  "pstate"};
constexpr std::array<const char*, 27> kX86Regs = {
    "r15", "r14", "r13", "r12", "rbp", "rbx", "r11",     "r10",     "r9", "r8", "rax", "rcx", "rdx", "rsi",
    "rdi", "orig_rax", "rip", "cs", "eflags", "rsp", "ss", "fs_base", "gs_base", "ds", "es", "fs", "gs"};

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string symbolized(uint64_t value, const KernelImage* kernel) {
  auto sym = kernel ? kernel->symbolize(VirtAddr(value)) : std::nullopt;
  return sym ? fmt::format("{} (0x{:016x})", *sym, value) : fmt::format("0x{:016x}", value);
}

// A frame-pointer walk from the saved registers, as Linux's unwinders do with frame records
// (arm64: {x29, x30} pairs at x29; x86_64: {rbp, return address} at rbp): the PC, then every
// return address, until a record is missing, out of the dump, or not further up the stack.
std::string call_trace(uint64_t pc, uint64_t lr, uint64_t fp, const DumpedMemory& mem, const KernelImage* kernel,
                       bool arm64) {
  constexpr unsigned kMaxFrames = 16;
  std::vector<uint64_t> frames{pc};
  auto first_ret = mem.read_u64(fp + 8);
  // A leaf function on arm64 need not have stored its own record: its caller is only in lr.
  if (arm64 && lr && (!first_ret || *first_ret != lr)) frames.push_back(lr);
  while (frames.size() < kMaxFrames && fp) {
    auto next = mem.read_u64(fp), ret = mem.read_u64(fp + 8);
    if (!next || !ret || *ret == 0) break;
    frames.push_back(*ret);
    if (*next <= fp) break;  // records go up the stack
    fp = *next;
  }
  std::string out = "  Call trace:\n";
  for (size_t i = 0; i < frames.size(); ++i) {
    const uint64_t f = frames[i];
    // The first frame is where the CPU was; every other one is a return address (%pB).
    auto sym = !kernel ? std::nullopt : i == 0 ? kernel->symbolize(VirtAddr(f)) : kernel->symbolize_return(VirtAddr(f));
    out += sym ? fmt::format("   {}\n", *sym) : fmt::format("   0x{:016x}\n", f);
  }
  return out;
}

std::string prstatus(unsigned cpu, llvm::ArrayRef<uint8_t> desc, bool arm64, const KernelImage* kernel,
                     const DumpedMemory& mem) {
  const size_t nregs = arm64 ? kArm64Regs.size() : kX86Regs.size();
  if (desc.size() < kPrReg + 8 * nregs) return fmt::format("CPU {}: NT_PRSTATUS too short ({} bytes)\n", cpu, desc.size());
  int32_t pid;
  std::memcpy(&pid, desc.data() + kPrPid, 4);
  auto reg = [&](size_t i) {
    uint64_t v;
    std::memcpy(&v, desc.data() + kPrReg + 8 * i, 8);
    return v;
  };
  std::string out = fmt::format("CPU {} (NT_PRSTATUS, pid {}):\n", cpu, pid);
  if (arm64) {  // arch/arm64/kernel/process.c __show_regs order: pc, lr, sp, then x29..x0
    out += fmt::format("  pc : {}\n  lr : {}\n  sp : 0x{:016x}  pstate: 0x{:08x}\n", symbolized(reg(32), kernel),
                       symbolized(reg(30), kernel), reg(31), reg(33));
    for (int i = 29; i >= 0; i -= 3) {
      out += " ";
      for (int j = i; j > i - 3 && j >= 0; --j) out += fmt::format(" {:<3}: {:016x}", kArm64Regs[j], reg(j));
      out += "\n";
    }
    out += call_trace(reg(32), reg(30), reg(29), mem, kernel, true);
  } else {  // arch/x86/kernel/process_64.c __show_regs order
    out += fmt::format("  RIP: {}\n  RSP: {:016x} EFLAGS: {:08x}\n", symbolized(reg(16), kernel), reg(19), reg(18));
    const size_t order[] = {10, 5, 11, 12, 13, 14, 4, 9, 8, 7, 6, 3, 2, 1, 0};  // RAX RBX RCX ... R15
    for (size_t k = 0; k < std::size(order); ++k)
      out += fmt::format("{}{:>3}: {:016x}{}", k % 3 == 0 ? "  " : " ", upper(kX86Regs[order[k]]), reg(order[k]),
                         k % 3 == 2 ? "\n" : "");
    out += call_trace(reg(16), 0, reg(4), mem, kernel, false);  // rip, -, rbp
  }
  return out;
}

const char* phdr_type(uint32_t t) {
  switch (t) {
  case llvm::ELF::PT_LOAD: return "LOAD";
  case llvm::ELF::PT_NOTE: return "NOTE";
  default: return "OTHER";
  }
}

// The ELF header checks, in the order a user meets them; true for arm64, false for x86_64.
llvm::Expected<bool> check_core_header(const std::string& name, llvm::StringRef bytes) {
  if (!bytes.startswith("\x7f" "ELF")) return make_error("{}: not an ELF file", name);
  if (bytes.size() < 16 || bytes[4] != llvm::ELF::ELFCLASS64 || bytes[5] != llvm::ELF::ELFDATA2LSB)
    return make_error("{}: not an ELF64 little-endian file", name);
  auto elf = llvm::object::ELFFile<ELFT>::create(bytes);
  if (!elf) return make_error("{}: not an ELF64 little-endian file: {}", name, toString(elf.takeError()));
  const auto& eh = elf->getHeader();
  if (eh.e_type != llvm::ELF::ET_CORE) return make_error("{}: e_type is {}, not ET_CORE (4)", name, eh.e_type);
  if (eh.e_machine != llvm::ELF::EM_AARCH64 && eh.e_machine != llvm::ELF::EM_X86_64)
    return make_error("{}: e_machine {} is neither EM_AARCH64 (183) nor EM_X86_64 (62)", name, eh.e_machine);
  return eh.e_machine == llvm::ELF::EM_AARCH64;
}

}  // namespace

llvm::Expected<std::string> inspect_vmcore(const std::filesystem::path& vmcore,
                                           const std::optional<std::filesystem::path>& kernel_path) {
  if (auto err = check_input_file(vmcore, kMaxVmcoreBytes, "vmcore")) return err;
  auto buf = llvm::MemoryBuffer::getFile(vmcore.string(), /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!buf) return make_error("{}: cannot read: {}", vmcore.string(), buf.getError().message());
  const llvm::StringRef bytes = (*buf)->getBuffer();
  auto arm64 = check_core_header(vmcore.string(), bytes);
  if (!arm64) return arm64.takeError();
  std::optional<KernelImage> kernel;
  if (kernel_path) {
    auto k = KernelImage::create(kernel_path->string(), *arm64 ? Arch::Arm64 : Arch::X86_64);
    if (!k) return k.takeError();
    kernel = std::move(*k);
  }
  return inspect_vmcore_bytes(vmcore.string(), bytes, kernel ? &*kernel : nullptr);
}

llvm::Expected<std::string> inspect_vmcore_bytes(const std::string& name, llvm::StringRef bytes,
                                                 const KernelImage* kernel) {
  auto is_arm64 = check_core_header(name, bytes);
  if (!is_arm64) return is_arm64.takeError();
  const bool arm64 = *is_arm64;
  auto elf = llvm::object::ELFFile<ELFT>::create(bytes);
  if (!elf) return make_error("{}: {}", name, toString(elf.takeError()));  // checked above
  if (kernel && kernel->arch() != (arm64 ? Arch::Arm64 : Arch::X86_64))
    return make_error("{}: the kernel {} is not of the vmcore's arch", name, kernel->name());
  auto phdrs = elf->program_headers();
  if (!phdrs) return make_error("{}: program headers: {}", name, toString(phdrs.takeError()));

  std::string out = fmt::format("vmcore {}: ELF64 ET_CORE, {}, {} bytes, {} program headers\n", name,
                                arm64 ? "AArch64" : "x86-64", bytes.size(), phdrs->size());
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
        out += prstatus(cpu++, note.getDesc(), arm64, kernel, memory);
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
