// Source lines from an ELF file's DWARF, for naming PCs in transcripts and reports.
//
// One class serves the linked kernels (ET_EXEC: addresses are link-time VAs) and the purgatory
// (ET_REL: addresses are offsets into a section, which is why a query carries the section
// index; LLVM applies the .rela.debug_* relocations when it reads the object). The DWARF is
// parsed on the first query, once, under a lock: images are shared between runs of `kdsim test -j`.
#pragma once
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace llvm {
class DWARFContext;
namespace object {
class ObjectFile;
}
}  // namespace llvm

namespace kdsim {

class DwarfLines {
public:
  // `file` must stay alive as long as this object; `name` is only for LLVM's diagnostics.
  DwarfLines(std::string_view file, std::string name);
  ~DwarfLines();
  DwarfLines(const DwarfLines&) = delete;
  DwarfLines& operator=(const DwarfLines&) = delete;

  // "kernels/arch/arm64/kernel/cpu-reset.S:52": the outermost frame of any inlining (a stage
  // report inlined from a header shows the line of the function that makes it), the path from its
  // last "kernels/" on so it does not depend on where the tree was built. `section` is the
  // section header index for a relocatable object, none for a linked image. none without DWARF.
  std::optional<std::string> line_at(uint64_t address, std::optional<unsigned> section = std::nullopt) const;

private:
  void parse() const;

  std::string_view m_file;
  std::string m_name;
  mutable std::once_flag m_parsed;
  mutable std::unique_ptr<llvm::object::ObjectFile> m_object;
  mutable std::unique_ptr<llvm::DWARFContext> m_dwarf;
};

}  // namespace kdsim
