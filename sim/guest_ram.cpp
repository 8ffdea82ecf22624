#include "sim/guest_ram.h"
#include "machine/error.h"
#include "machine/host_file.h"
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
#include <algorithm>
#include <vector>

namespace kdsim {

// Written under a temporary name beside `path` (nothing there is followed; a signal removes it)
// and renamed over it once complete, like the vmcore.
llvm::Error write_ram_snapshot(const Ram& ram, const std::filesystem::path& path) {
  std::filesystem::path tmp = path;
  tmp.replace_filename(".kdsim-tmp-" + path.filename().string());
  auto created = create_fresh_file(tmp);
  if (!created) return make_error("cannot create the RAM snapshot: {}", toString(created.takeError()));
  const int fd = *created;
  uint64_t end = 0;
  for (const Ram::Region& region : ram.regions()) {
    end = std::max(end, region.range.base.value() + region.range.size);
    for (const PhysRange& data : ram.data_ranges(region.range)) {
      const uint8_t* src = ram.host_ptr(data.base, data.size);
      for (uint64_t done = 0; done < data.size;) {
        ssize_t n = ::pwrite(fd, src + done, data.size - done, static_cast<off_t>(data.base.value() + done));
        if (n <= 0) {
          const int err = n < 0 ? errno : ENOSPC;
          ::close(fd);
          remove_partial_file(tmp);
          return make_error("{}: writing the RAM snapshot: {}", tmp.string(), std::strerror(err));
        }
        done += static_cast<uint64_t>(n);
      }
    }
  }
  const int err = ::ftruncate(fd, static_cast<off_t>(end)) == 0 ? 0 : errno;
  ::close(fd);
  if (err) {
    remove_partial_file(tmp);
    return make_error("{}: sizing the RAM snapshot: {}", tmp.string(), std::strerror(err));
  }
  return rename_into_place(tmp, path);
}

namespace {
constexpr uint64_t kPage = 4096;
constexpr uint64_t kPatternWords = 8192;  // 64 KiB of pattern; a page's window may start at any word

// xorshift64* output, made once: the fill copies windows of it instead of computing a
// generator per word, so it runs at memcpy speed.
const std::vector<uint64_t>& fill_pattern() {
  static const std::vector<uint64_t> pattern = [] {
    std::vector<uint64_t> words(kPatternWords + kPage / 8);
    uint64_t x = 0x6b64736964756d70ull;  // "kdsidump"
    for (uint64_t& w : words) {
      x ^= x >> 12, x ^= x << 25, x ^= x >> 27;
      w = x * 0x2545f4914f6cdd1dull;
    }
    return words;
  }();
  return pattern;
}
}  // namespace

// Each 4 KiB page gets a window of the pattern chosen by its frame number and carries its own
// physical address in its first 8 bytes: pages differ from each other, none is all zero, and
// the same scenario always writes the same bytes.
llvm::Error touch_memory(Ram& ram, PhysAddr base, uint64_t offset, uint64_t size) {
  PhysAddr at = base.offset(offset);
  if (!ram.host_ptr(at, size)) return make_error("[{}, +0x{:x}) is not inside one RAM region", at, size);
  const std::vector<uint64_t>& pattern = fill_pattern();
  // Written through the RAM's file, a batch of pages per call, each page two pieces (its stamp,
  // then its window of the pattern), so no byte is copied twice and no page is zeroed first.
  constexpr size_t kBatchPages = 512;
  std::vector<uint64_t> stamps(kBatchPages);
  std::vector<struct iovec> pieces;
  pieces.reserve(2 * kBatchPages);
  for (uint64_t done = 0; done < size;) {
    const PhysAddr batch_at(at.value() + done);
    pieces.clear();
    uint64_t batch = 0;
    for (size_t page = 0; page < kBatchPages && done + batch < size; ++page) {
      const uint64_t pa = at.value() + done + batch;
      const uint64_t n = std::min(kPage - pa % kPage, size - done - batch);
      const uint64_t window = ((pa / kPage) * 0x9e3779b97f4a7c15ull >> 32) % kPatternWords;
      stamps[page] = pa | 1;  // never zero, even for the page at physical 0
      const uint64_t head = std::min<uint64_t>(n, 8);
      pieces.push_back({&stamps[page], head});
      if (n > head)
        pieces.push_back({const_cast<uint8_t*>(reinterpret_cast<const uint8_t*>(&pattern[window]) + head), n - head});
      batch += n;
    }
    auto written = ram.write_vectored(batch_at, pieces);
    if (!written) return written.takeError();
    done += batch;
  }
  return llvm::Error::success();
}

}  // namespace kdsim
