#include "machine/host_file.h"
#include "firmware-less-boot/kexec/purgatory_extract.h"
#include "firmware-less-boot/elf_names.h"
#include "firmware-less-boot/kexec/purgatory_abi.h"
#include "machine/error.h"
#include <llvm/BinaryFormat/ELF.h>
#include <llvm/Support/MemoryBuffer.h>
#include <algorithm>
#include <array>
#include <cstring>

namespace kdsim {

char PurgatoryExtractError::ID = 0;

void PurgatoryExtractError::log(llvm::raw_ostream& os) const { os << m_message; }

std::error_code PurgatoryExtractError::convertToErrorCode() const { return llvm::inconvertibleErrorCode(); }

namespace {

namespace ELF = llvm::ELF;
using Failure = PurgatoryExtractFailure;

// Field offsets in Elf64_Ehdr and Elf64_Shdr (System V gABI, "ELF Header", "Sections").
constexpr uint64_t kEhdrSize = 64;
constexpr uint64_t kShdrSize = 64;
constexpr uint64_t kEType = 16;
constexpr uint64_t kEMachine = 18;
constexpr uint64_t kEVersion = 20;
constexpr uint64_t kEShoff = 40;
constexpr uint64_t kEEhsize = 52;
constexpr uint64_t kEShentsize = 58;
constexpr uint64_t kEShnum = 60;
constexpr uint64_t kShType = 4;
constexpr uint64_t kShOffset = 24;
constexpr uint64_t kShSize = 32;

template <typename... Args>
llvm::Error fail(Failure failure, fmt::format_string<Args...> f, Args&&... args) {
  return llvm::make_error<PurgatoryExtractError>(failure, fmt::format(f, std::forward<Args>(args)...));
}

// Little-endian unsigned of `n` bytes at `at` (the caller has checked the bounds).
uint64_t le(std::span<const uint8_t> b, uint64_t at, unsigned n) {
  uint64_t v = 0;
  for (unsigned i = 0; i < n; ++i) v |= uint64_t(b[at + i]) << (8 * i);
  return v;
}

std::optional<Arch> arch_of_machine(uint64_t e_machine) {
  return e_machine > 0xffff ? std::nullopt : arch_of_elf_machine(static_cast<uint16_t>(e_machine));
}

// The first 20 bytes decide whether "\x7fELF" at `at` starts an object worth looking at: ELF64,
// little-endian, EV_CURRENT, ET_REL. Anything else is data that happens to hold the magic.
bool looks_like_rel64(std::span<const uint8_t> file, uint64_t at) {
  if (file.size() - at < kEVersion) return false;
  return file[at + ELF::EI_CLASS] == ELF::ELFCLASS64 && file[at + ELF::EI_DATA] == ELF::ELFDATA2LSB &&
         file[at + ELF::EI_VERSION] == ELF::EV_CURRENT && le(file, at + kEType, 2) == ELF::ET_REL;
}

// The object's size: the header fields a purgatory.ro has, then the section header table and
// every section with file contents must fit in what is left of the file. Offsets in messages
// are from the object's start.
llvm::Expected<uint64_t> object_extent(const std::string& label, std::span<const uint8_t> file, uint64_t at) {
  const uint64_t left = file.size() - at;
  if (left < kEhdrSize)
    return make_error("{}: truncated: the ELF header needs 0x{:x} bytes, the file has 0x{:x} left", label, kEhdrSize,
                      left);
  const std::span<const uint8_t> obj = file.subspan(at);
  const uint64_t ehsize = le(obj, kEEhsize, 2), shentsize = le(obj, kEShentsize, 2);
  const uint64_t shnum = le(obj, kEShnum, 2), shoff = le(obj, kEShoff, 8);
  if (ehsize != kEhdrSize) return make_error("{}: e_ehsize is 0x{:x}, not 0x{:x}", label, ehsize, kEhdrSize);
  if (shentsize != kShdrSize) return make_error("{}: e_shentsize is 0x{:x}, not 0x{:x}", label, shentsize, kShdrSize);
  if (shoff == 0 || shnum == 0)
    return make_error("{}: no section headers (e_shoff 0x{:x}, e_shnum {})", label, shoff, shnum);
  if (shoff > left || (left - shoff) / kShdrSize < shnum)
    return make_error("{}: truncated: the section header table [0x{:x}, +0x{:x}) runs past the end of the file "
                      "(0x{:x} bytes from the object's start)",
                      label, shoff, shnum * kShdrSize, left);
  uint64_t extent = shoff + shnum * kShdrSize;
  for (uint64_t i = 0; i < shnum; ++i) {
    const uint64_t sh = shoff + i * kShdrSize;
    const uint64_t type = le(obj, sh + kShType, 4);
    if (type == ELF::SHT_NULL || type == ELF::SHT_NOBITS) continue;
    const uint64_t offset = le(obj, sh + kShOffset, 8), size = le(obj, sh + kShSize, 8);
    if (offset > left || left - offset < size)
      return make_error("{}: truncated: section {} [0x{:x}, +0x{:x}) runs past the end of the file (0x{:x} bytes "
                        "from the object's start)",
                        label, i, offset, size, left);
    extent = std::max(extent, offset + size);
  }
  return extent;
}

// One candidate of the right machine, checked completely.
llvm::Expected<EmbeddedPurgatory> take_candidate(const std::string& name, std::span<const uint8_t> file, uint64_t at,
                                                 Arch arch) {
  std::string label = fmt::format("{}+0x{:x}", name, at);
  auto extent = object_extent(label, file, at);
  if (!extent) return extent.takeError();
  std::vector<uint8_t> bytes(file.begin() + at, file.begin() + at + *extent);
  auto image = PurgatoryImage::create_from_bytes(label, bytes, arch);
  if (!image) return image.takeError();
  if (auto err = check_purgatory_abi(*image)) return err;
  return EmbeddedPurgatory{.offset = at, .bytes = std::move(bytes), .image = std::move(*image)};
}

llvm::Expected<Arch> arch_of_file(const std::string& name, std::span<const uint8_t> file) {
  if (file.size() < kEMachine + 2)
    return fail(Failure::NotElf, "{}: file is 0x{:x} bytes, too short for an ELF header", name, file.size());
  const bool big_endian = file[ELF::EI_DATA] == ELF::ELFDATA2MSB;
  const uint64_t machine = big_endian ? uint64_t(file[kEMachine]) << 8 | file[kEMachine + 1] : le(file, kEMachine, 2);
  if (auto arch = arch_of_machine(machine)) return *arch;
  return fail(Failure::UnknownArch, "{}: e_machine is {}, not arm64 or x86_64: pass --arch", name,
              elf::machine_name(static_cast<uint16_t>(machine)));
}

}  // namespace

llvm::Expected<EmbeddedPurgatory> extract_purgatory(const std::string& name, std::span<const uint8_t> file,
                                                    std::optional<Arch> arch) {
  if (file.size() < 4 || std::memcmp(file.data(), ELF::ElfMagic, 4) != 0)
    return fail(Failure::NotElf, "{}: not an ELF file", name);
  if (!arch) {
    auto own = arch_of_file(name, file);
    if (!own) return own.takeError();
    arch = *own;
  }
  const uint16_t want = elf::machine_for(*arch);
  constexpr std::array<uint8_t, 4> kMagic = {0x7f, 'E', 'L', 'F'};
  std::vector<std::string> other_machines;
  std::string first_refusal;
  unsigned refused = 0;
  for (auto it = file.begin(); (it = std::search(it, file.end(), kMagic.begin(), kMagic.end())) != file.end(); ++it) {
    const uint64_t at = static_cast<uint64_t>(it - file.begin());
    if (!looks_like_rel64(file, at)) continue;
    const uint64_t machine = le(file, at + kEMachine, 2);
    if (machine != want) {
      other_machines.push_back(fmt::format("{} at 0x{:x}", elf::machine_name(static_cast<uint16_t>(machine)), at));
      continue;
    }
    auto found = take_candidate(name, file, at, *arch);
    if (found) return found;
    std::string why = error_text(found.takeError());
    if (refused++ == 0) first_refusal = std::move(why);
  }
  if (refused != 0)
    return fail(Failure::Invalid, "{}: the embedded {} purgatory is unusable: {}{}", name, arch_name(*arch),
                first_refusal,
                refused > 1 ? fmt::format(" (and {} more {} candidates were refused)", refused - 1, arch_name(*arch))
                            : std::string());
  if (other_machines.empty())
    return fail(Failure::NotFound, "{}: no embedded purgatory: no ELF64 little-endian ET_REL object in its 0x{:x} bytes",
                name, file.size());
  std::string others;
  for (const std::string& o : other_machines) others += (others.empty() ? "" : ", ") + o;
  return fail(Failure::NotFound, "{}: no embedded {} purgatory ({} ET_REL object); found only: {}", name,
              arch_name(*arch), elf::machine_name(want), others);
}

llvm::Expected<EmbeddedPurgatory> extract_purgatory_file(const std::string& path, std::optional<Arch> arch) {
  if (auto err = check_input_file(path, kMaxKexecBinaryBytes, "kexec binary"))
    return fail(Failure::Unreadable, "{}", toString(std::move(err)));
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!buffer) return fail(Failure::Unreadable, "{}: cannot read: {}", path, buffer.getError().message());
  const auto* begin = reinterpret_cast<const uint8_t*>((*buffer)->getBufferStart());
  return extract_purgatory(path, std::span<const uint8_t>(begin, (*buffer)->getBufferSize()), arch);
}

}  // namespace kdsim
