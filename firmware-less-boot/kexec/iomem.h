// /proc/iomem, parsed (linux-kexec.md 2.3). The kernel prints each resource as
// "%*s%0*llx-%0*llx : %s\n" (kernel/resource.c r_show): 2 spaces of indentation per nesting
// level, start and end in lower-case hex (at least 8 digits), the end inclusive, then " : " and
// the name. kexec-tools reads it with sscanf("%llx-%llx : %n") and compares names exactly
// ("System RAM", "Crash kernel", "Kernel code", "Kernel data"; kexec/kexec-iomem.c), except x86
// crash code, which takes any name containing "System RAM" (crashdump-x86.c).
//
// The parser is stricter than sscanf, so that a simulated kernel printing a broken table is
// caught: every error names the line number and quotes the line:
//   "/proc/iomem:3: expected '<start>-<end> : <name>' in \"...\""
//   "/proc/iomem:3: odd indentation (3 spaces) in \"...\""
//   "/proc/iomem:3: indented 2 levels deeper than the line before in \"...\""
//   "/proc/iomem:3: start 0x.. is above end 0x.. in \"...\""
//   "/proc/iomem:3: [0x.., 0x..] is not inside its parent [0x.., 0x..] (line 1) in \"...\""
//   "/proc/iomem:3: [0x.., 0x..] overlaps its sibling [0x.., 0x..] (line 2) in \"...\""
// (the kernel's insert_resource refuses partial overlaps, so a real table has none.)
#pragma once
#include "machine/addr.h"
#include <llvm/Support/Error.h>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kdsim {

struct IomemResource {
  uint64_t start = 0;
  uint64_t end = 0;  // inclusive, as printed
  std::string name;
  unsigned depth = 0;  // indentation / 2
  unsigned line = 0;   // 1-based
  std::optional<size_t> parent;  // index into Iomem::resources()

  // [start, end] as a half-open range (a resource never spans all 2^64 bytes: create() refuses).
  PhysRange range() const { return {PhysAddr(start), end - start + 1}; }
};

enum class IomemNameMatch {
  Exact,     // kexec-tools' memcmp on "<name>\n"
  Contains,  // x86 crashdump: strstr(name, "System RAM") (e.g. "System RAM (kmem)")
};

class Iomem {
public:
  static llvm::Expected<Iomem> parse(std::string_view text, std::string name = "/proc/iomem");

  // Every resource in file order (a pre-order walk of the tree).
  const std::vector<IomemResource>& resources() const { return m_resources; }

  // Ranges of the resources with that name, in file order, at any depth.
  std::vector<PhysRange> ranges(std::string_view name, IomemNameMatch match = IomemNameMatch::Exact) const;
  std::vector<PhysRange> system_ram(IomemNameMatch match = IomemNameMatch::Exact) const {
    return ranges("System RAM", match);
  }
  std::vector<PhysRange> crash_kernel() const { return ranges("Crash kernel"); }
  std::vector<PhysRange> kernel_code() const { return ranges("Kernel code"); }
  std::vector<PhysRange> kernel_data() const { return ranges("Kernel data"); }

private:
  Iomem() = default;
  std::vector<IomemResource> m_resources;
};

// `ranges` minus every range of `holes`, sorted by address; the pieces that remain (kexec-tools
// removes the crash regions from System RAM this way before building the ELF core header).
std::vector<PhysRange> subtract_ranges(std::vector<PhysRange> ranges, const std::vector<PhysRange>& holes);

}  // namespace kdsim
