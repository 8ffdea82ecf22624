#include "firmware-less-boot/dwarf_lines.h"
#include <fmt/format.h>
#include <llvm/DebugInfo/DWARF/DWARFContext.h>
#include <llvm/Object/ObjectFile.h>
#include <llvm/Support/MemoryBuffer.h>

namespace kdsim {

DwarfLines::DwarfLines(std::string_view file, std::string name) : m_file(file), m_name(std::move(name)) {}

DwarfLines::~DwarfLines() = default;

void DwarfLines::parse() const {
  llvm::MemoryBufferRef ref(llvm::StringRef(m_file.data(), m_file.size()), m_name);
  auto object = llvm::object::ObjectFile::createObjectFile(ref);
  if (!object) {
    llvm::consumeError(object.takeError());  // images are checked when loaded; no lines then
    return;
  }
  m_object = std::move(*object);
  // Debug-info problems are not the user's concern here: a PC just goes without a line.
  m_dwarf = llvm::DWARFContext::create(*m_object, llvm::DWARFContext::ProcessDebugRelocations::Process, nullptr,
                                       "", [](llvm::Error e) { llvm::consumeError(std::move(e)); },
                                       [](llvm::Error e) { llvm::consumeError(std::move(e)); });
}

std::optional<std::string> DwarfLines::line_at(uint64_t address, std::optional<unsigned> section) const {
  std::call_once(m_parsed, [this] { parse(); });
  if (!m_dwarf) return std::nullopt;
  // Read as a value: LLVM 14 declares UndefSection without defining it, so binding it to a
  // reference (value_or) needs a definition the library does not have.
  const uint64_t undefined = llvm::object::SectionedAddress::UndefSection;
  const llvm::object::SectionedAddress where{address, section ? uint64_t(*section) : undefined};
  const llvm::DIInliningInfo frames = m_dwarf->getInliningInfoForAddress(where);
  if (frames.getNumberOfFrames() == 0) return std::nullopt;
  const llvm::DILineInfo info = frames.getFrame(frames.getNumberOfFrames() - 1);
  if (info.Line == 0 || info.FileName == llvm::DILineInfo::BadString) return std::nullopt;
  std::string_view file = info.FileName;
  const size_t at = file.rfind("kernels/");
  if (at != std::string_view::npos) file.remove_prefix(at);
  else if (const size_t slash = file.rfind('/'); slash != std::string_view::npos) file.remove_prefix(slash + 1);
  return fmt::format("{}:{}", file, info.Line);
}

}  // namespace kdsim
