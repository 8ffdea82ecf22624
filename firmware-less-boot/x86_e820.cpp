#include "firmware-less-boot/x86_e820.h"
#include <algorithm>

namespace kdsim::x86 {

namespace {

struct Band {
  uint64_t begin, end;  // [begin, end); end 0 means 2^64
  E820Type type;
};

constexpr Band kBands[] = {
    {0, kLowMemoryEnd, E820Type::Ram},
    {kLowMemoryEnd, kLegacyAreaEnd, E820Type::Reserved},
    {kLegacyAreaEnd, 0, E820Type::Ram},
};

}  // namespace

std::vector<E820Entry> build_e820(std::span<const PhysRange> ram) {
  std::vector<E820Entry> out;
  for (const PhysRange& r : ram) {
    if (r.size == 0) continue;
    const uint64_t last = r.last();  // inclusive, so a range ending at 2^64 is fine
    for (const Band& b : kBands) {
      const uint64_t band_last = b.end == 0 ? UINT64_MAX : b.end - 1;
      const uint64_t lo = std::max(r.base.value(), b.begin);
      const uint64_t hi = std::min(last, band_last);
      if (lo <= hi) out.push_back({{PhysAddr(lo), hi - lo + 1}, b.type});
    }
  }
  return out;
}

}  // namespace kdsim::x86
