#include "firmware-less-boot/kexec/kcore.h"
#include "machine/error.h"
#include <cstring>

namespace kdsim {

namespace {

constexpr uint16_t kEtCore = 4;
constexpr uint32_t kPtLoad = 1, kPtNote = 4;
constexpr size_t kEhdrSize = 64, kPhdrSize = 56, kNhdrSize = 12;

template <typename T> T get(std::string_view b, uint64_t at) {
  T v;
  std::memcpy(&v, b.data() + at, sizeof v);
  return v;
}

uint64_t align4(uint64_t v) { return (v + 3) & ~uint64_t(3); }

// True when [at, at + len) lies inside b (overflow-safe).
bool inside(std::string_view b, uint64_t at, uint64_t len) { return at <= b.size() && len <= b.size() - at; }

llvm::Error check_ident(std::string_view head, uint16_t machine) {
  if (!inside(head, 0, kEhdrSize))
    return make_error("/proc/kcore: {} bytes, shorter than an ELF header ({} bytes)", head.size(), kEhdrSize);
  if (std::memcmp(head.data(), "\177ELF", 4) != 0) return make_error("/proc/kcore: no ELF magic at offset 0");
  if (head[4] != 2 || head[5] != 1)
    return make_error("/proc/kcore: e_ident class {} data {}, want ELFCLASS64 (2) little-endian (1)",
                      static_cast<int>(head[4]), static_cast<int>(head[5]));
  if (get<uint16_t>(head, 16) != kEtCore)
    return make_error("/proc/kcore: e_type {}, want ET_CORE (4)", get<uint16_t>(head, 16));
  if (get<uint16_t>(head, 18) != machine)
    return make_error("/proc/kcore: e_machine {}, want {}", get<uint16_t>(head, 18), machine);
  if (get<uint16_t>(head, 54) != kPhdrSize)
    return make_error("/proc/kcore: e_phentsize {}, want {}", get<uint16_t>(head, 54), kPhdrSize);
  return llvm::Error::success();
}

// The notes of one PT_NOTE: keep the VMCOREINFO text (kexec-tools read_elf, then
// arch_scan_vmcoreinfo on the note called "VMCOREINFO").
llvm::Error scan_notes(std::string_view head, uint64_t offset, uint64_t size, Kcore& out) {
  if (!inside(head, offset, size))
    return make_error("/proc/kcore: PT_NOTE [0x{:x}, +0x{:x}) lies past the {} bytes read", offset, size, head.size());
  std::string_view notes = head.substr(offset, size);
  for (uint64_t at = 0; at + kNhdrSize <= notes.size();) {
    const uint32_t namesz = get<uint32_t>(notes, at), descsz = get<uint32_t>(notes, at + 4);
    const uint64_t name_at = at + kNhdrSize, desc_at = name_at + align4(namesz);
    if (namesz == 0 && descsz == 0) break;  // final_note()
    if (!inside(notes, name_at, align4(namesz)) || !inside(notes, desc_at, align4(descsz)))
      return make_error("/proc/kcore: the note at offset 0x{:x} (namesz {}, descsz {}) overruns its PT_NOTE of {} bytes",
                        offset + at, namesz, descsz, size);
    std::string_view name = notes.substr(name_at, namesz);
    if (!name.empty() && name.back() == '\0') name.remove_suffix(1);
    if (name == "VMCOREINFO") out.vmcoreinfo = std::string(notes.substr(desc_at, descsz));
    at = desc_at + align4(descsz);
  }
  return llvm::Error::success();
}

}  // namespace

llvm::Expected<Kcore> parse_kcore(std::string_view head, uint16_t machine) {
  if (llvm::Error e = check_ident(head, machine)) return e;
  const uint64_t phoff = get<uint64_t>(head, 32);
  const uint16_t phnum = get<uint16_t>(head, 56);
  if (!inside(head, phoff, uint64_t(phnum) * kPhdrSize))
    return make_error("/proc/kcore: {} program headers at offset 0x{:x} lie past the {} bytes read", phnum, phoff,
                      head.size());
  Kcore out;
  for (uint16_t i = 0; i < phnum; ++i) {
    const uint64_t p = phoff + uint64_t(i) * kPhdrSize;
    const uint32_t type = get<uint32_t>(head, p);
    if (type == kPtLoad)
      out.loads.push_back({VirtAddr(get<uint64_t>(head, p + 16)), get<uint64_t>(head, p + 24), get<uint64_t>(head, p + 40)});
    else if (type == kPtNote)
      if (llvm::Error e = scan_notes(head, get<uint64_t>(head, p + 8), get<uint64_t>(head, p + 32), out))
        return e;
  }
  return out;
}

const KcoreLoad* kcore_load_containing(const Kcore& kcore, VirtAddr vaddr) {
  for (const KcoreLoad& l : kcore.loads)
    if (vaddr >= l.vaddr && vaddr - l.vaddr < l.memsz) return &l;
  return nullptr;
}

}  // namespace kdsim
