#include "firmware-less-boot/kexec/iomem.h"
#include "machine/error.h"
#include <algorithm>

namespace kdsim {

namespace {

// Lower- or upper-case hex digits, 1 to 16 of them.
std::optional<uint64_t> parse_hex(std::string_view s) {
  if (s.empty() || s.size() > 16) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    unsigned d;
    if (c >= '0' && c <= '9')
      d = unsigned(c - '0');
    else if (c >= 'a' && c <= 'f')
      d = unsigned(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      d = unsigned(c - 'A' + 10);
    else
      return std::nullopt;
    v = (v << 4) | d;
  }
  return v;
}

std::string quoted(std::string_view line) { return fmt::format("\"{}\"", line); }

}  // namespace

llvm::Expected<Iomem> Iomem::parse(std::string_view text, std::string name) {
  Iomem out;
  std::vector<size_t> stack;  // open ancestors: resource indices by depth
  unsigned line_no = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    if (line.empty()) continue;
    auto fail = [&](std::string what) {
      return make_error("{}:{}: {} in {}", name, line_no, what, quoted(line));
    };
    size_t indent = line.find_first_not_of(' ');
    if (indent == std::string_view::npos) continue;  // blank line
    std::string_view rest = line.substr(indent);
    size_t dash = rest.find('-');
    size_t colon = rest.find(" : ");
    if (dash == std::string_view::npos || colon == std::string_view::npos || dash > colon)
      return fail("expected '<start>-<end> : <name>'");
    auto start = parse_hex(rest.substr(0, dash));
    auto end = parse_hex(rest.substr(dash + 1, colon - dash - 1));
    if (!start || !end) return fail("expected '<start>-<end> : <name>'");
    if (indent % 2 != 0) return fail(fmt::format("odd indentation ({} spaces)", indent));
    unsigned depth = unsigned(indent / 2);
    if (depth > stack.size())
      return fail(fmt::format("indented {} levels deeper than the line before", depth - stack.size()));
    if (*start > *end) return fail(fmt::format("start 0x{:x} is above end 0x{:x}", *start, *end));
    if (*start == 0 && *end == UINT64_MAX) return fail("the range covers the whole 64-bit address space");

    IomemResource r{.start = *start, .end = *end, .name = std::string(rest.substr(colon + 3)), .depth = depth,
                    .line = line_no};
    // The previous sibling is the resource that was open at this depth; close deeper ones.
    std::optional<size_t> sibling;
    if (depth < stack.size()) sibling = stack[depth];
    stack.resize(depth);
    if (!stack.empty()) {
      const IomemResource& parent = out.m_resources[stack.back()];
      if (r.start < parent.start || r.end > parent.end)
        return fail(fmt::format("[0x{:x}, 0x{:x}] is not inside its parent [0x{:x}, 0x{:x}] (line {})", r.start,
                                r.end, parent.start, parent.end, parent.line));
      r.parent = stack.back();
    }
    if (sibling) {
      const IomemResource& prev = out.m_resources[*sibling];
      if (r.start <= prev.end && prev.start <= r.end)
        return fail(fmt::format("[0x{:x}, 0x{:x}] overlaps its sibling [0x{:x}, 0x{:x}] (line {})", r.start, r.end,
                                prev.start, prev.end, prev.line));
    }
    stack.push_back(out.m_resources.size());
    out.m_resources.push_back(std::move(r));
  }
  return out;
}

std::vector<PhysRange> Iomem::ranges(std::string_view name, IomemNameMatch match) const {
  std::vector<PhysRange> out;
  for (const IomemResource& r : m_resources) {
    bool hit = false;
    switch (match) {
      case IomemNameMatch::Exact: hit = r.name == name; break;
      case IomemNameMatch::Contains: hit = r.name.find(name) != std::string::npos; break;
    }
    if (hit) out.push_back(r.range());
  }
  return out;
}

std::vector<PhysRange> subtract_ranges(std::vector<PhysRange> ranges, const std::vector<PhysRange>& holes) {
  for (const PhysRange& hole : holes) {
    if (hole.size == 0) continue;
    std::vector<PhysRange> next;
    for (const PhysRange& r : ranges) {
      if (!r.overlaps(hole)) {
        next.push_back(r);
        continue;
      }
      if (hole.base > r.base) next.push_back({r.base, hole.base - r.base});
      if (hole.last() < r.last()) next.push_back({PhysAddr(hole.last() + 1), r.last() - hole.last()});
    }
    ranges = std::move(next);
  }
  std::sort(ranges.begin(), ranges.end(), [](const PhysRange& a, const PhysRange& b) { return a.base < b.base; });
  return ranges;
}

}  // namespace kdsim
