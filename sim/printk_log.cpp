#include "sim/printk_log.h"
#include <charconv>
#include <fmt/format.h>
#include <map>

namespace kdsim {

namespace {

// VMCOREINFO's "KEY=VALUE" lines (kernel/vmcore_info.c): SYMBOL() values are hex without 0x,
// SIZE()/OFFSET()/LENGTH() decimal.
class VmcoreInfo {
public:
  explicit VmcoreInfo(llvm::StringRef text) {
    while (!text.empty()) {
      auto [line, rest] = text.split('\n');
      auto [key, value] = line.split('=');
      if (!value.empty()) m_values[key.str()] = value.str();
      text = rest;
    }
  }
  std::optional<uint64_t> symbol(const std::string& name) const { return number("SYMBOL(" + name + ")", 16); }
  std::optional<uint64_t> offset(const std::string& member) const {
    return number("OFFSET(" + member + ")", 10);
  }
  std::optional<uint64_t> size(const std::string& type) const { return number("SIZE(" + type + ")", 10); }

private:
  std::optional<uint64_t> number(const std::string& key, int base) const {
    auto it = m_values.find(key);
    if (it == m_values.end()) return std::nullopt;
    uint64_t v = 0;
    const std::string& s = it->second;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return v;
  }
  std::map<std::string, std::string> m_values;
};

// The ring's geometry, every address and offset from VMCOREINFO.
struct Ring {
  uint64_t descs = 0, infos = 0, data = 0;
  uint64_t desc_count = 0, data_size = 0;
  uint64_t head_id = 0, tail_id = 0;
  uint64_t desc_size = 0, state_var = 0, blk_begin = 0, blk_next = 0;
  uint64_t info_size = 0, info_seq = 0, info_ts = 0, info_text_len = 0;
};

// kernel/printk/printk_ringbuffer.h: the state sits in the top two bits of state_var.
constexpr unsigned kDescFlagsShift = 62;
constexpr uint64_t kDescIdMask = ~(uint64_t(3) << kDescFlagsShift);
constexpr uint64_t kDescCommitted = 1, kDescFinalized = 2;
constexpr unsigned kMaxCountBits = 24, kMaxSizeBits = 32; // far beyond any real log_buf_len

std::optional<Ring> locate_ring(const VmcoreInfo& info, const DumpedMemory& mem, std::string& problem) {
  auto prb_var = info.symbol("prb");
  auto rb = prb_var ? mem.read_u64(*prb_var) : std::nullopt;
  if (!rb) {
    problem = fmt::format("prb (at 0x{:x}) is not in the dump", prb_var.value_or(0));
    return std::nullopt;
  }
  auto need = [&](std::optional<uint64_t> v, const char* what) {
    if (!v && problem.empty()) problem = fmt::format("VMCOREINFO has no {}", what);
    return v.value_or(0);
  };
  const uint64_t desc_ring =
      *rb + need(info.offset("printk_ringbuffer.desc_ring"), "OFFSET(printk_ringbuffer.desc_ring)");
  const uint64_t data_ring =
      *rb + need(info.offset("printk_ringbuffer.text_data_ring"), "OFFSET(printk_ringbuffer.text_data_ring)");
  const uint64_t counter = info.offset("atomic_long_t.counter").value_or(0);
  Ring r;
  r.desc_size = need(info.size("prb_desc"), "SIZE(prb_desc)");
  r.state_var = need(info.offset("prb_desc.state_var"), "OFFSET(prb_desc.state_var)");
  const uint64_t lpos = need(info.offset("prb_desc.text_blk_lpos"), "OFFSET(prb_desc.text_blk_lpos)");
  r.blk_begin = lpos + need(info.offset("prb_data_blk_lpos.begin"), "OFFSET(prb_data_blk_lpos.begin)");
  r.blk_next = lpos + need(info.offset("prb_data_blk_lpos.next"), "OFFSET(prb_data_blk_lpos.next)");
  r.info_size = need(info.size("printk_info"), "SIZE(printk_info)");
  r.info_seq = need(info.offset("printk_info.seq"), "OFFSET(printk_info.seq)");
  r.info_ts = need(info.offset("printk_info.ts_nsec"), "OFFSET(printk_info.ts_nsec)");
  r.info_text_len = need(info.offset("printk_info.text_len"), "OFFSET(printk_info.text_len)");
  auto count_bits =
      mem.read_as<uint32_t>(desc_ring + need(info.offset("prb_desc_ring.count_bits"), "count_bits"));
  auto descs =
      mem.read_u64(desc_ring + need(info.offset("prb_desc_ring.descs"), "OFFSET(prb_desc_ring.descs)"));
  auto infos =
      mem.read_u64(desc_ring + need(info.offset("prb_desc_ring.infos"), "OFFSET(prb_desc_ring.infos)"));
  auto head = mem.read_u64(desc_ring + need(info.offset("prb_desc_ring.head_id"), "head_id") + counter);
  auto tail = mem.read_u64(desc_ring + need(info.offset("prb_desc_ring.tail_id"), "tail_id") + counter);
  auto size_bits =
      mem.read_as<uint32_t>(data_ring + need(info.offset("prb_data_ring.size_bits"), "size_bits"));
  auto data = mem.read_u64(data_ring + need(info.offset("prb_data_ring.data"), "OFFSET(prb_data_ring.data)"));
  if (!problem.empty()) return std::nullopt;
  if (!count_bits || !descs || !infos || !head || !tail || !size_bits || !data) {
    problem = fmt::format("the ring buffer at 0x{:x} is not in the dump", *rb);
    return std::nullopt;
  }
  if (*count_bits > kMaxCountBits || *size_bits > kMaxSizeBits || *size_bits < 3) {
    problem = fmt::format("implausible ring geometry: count_bits {}, size_bits {}", *count_bits, *size_bits);
    return std::nullopt;
  }
  r.descs = *descs, r.infos = *infos, r.data = *data;
  r.desc_count = uint64_t(1) << *count_bits, r.data_size = uint64_t(1) << *size_bits;
  r.head_id = *head & kDescIdMask, r.tail_id = *tail & kDescIdMask;
  return r;
}

// One descriptor's record; std::nullopt for a descriptor that holds none (reserved, reusable,
// data-less); an error text in problem when the dump is inconsistent.
std::optional<LogRecord> read_record(const Ring& r, const DumpedMemory& mem, uint64_t id,
                                     std::string& problem) {
  const uint64_t index = id % r.desc_count;
  const uint64_t desc = r.descs + index * r.desc_size;
  auto sv = mem.read_u64(desc + r.state_var);
  auto begin = mem.read_u64(desc + r.blk_begin), next = mem.read_u64(desc + r.blk_next);
  const uint64_t info = r.infos + index * r.info_size;
  auto seq = mem.read_u64(info + r.info_seq), ts = mem.read_u64(info + r.info_ts);
  auto text_len = mem.read_as<uint16_t>(info + r.info_text_len);
  if (!sv || !begin || !next || !seq || !ts || !text_len) {
    problem = fmt::format("descriptor {} is not in the dump", id);
    return std::nullopt;
  }
  const uint64_t state = *sv >> kDescFlagsShift;
  if ((*sv & kDescIdMask) != id || (state != kDescCommitted && state != kDescFinalized)) return std::nullopt;
  if ((*begin & 1) || *begin == *next) return std::nullopt; // data-less (BLK0_LPOS / FAILED_LPOS)
  // A block that wraps is stored whole at the ring's start (get_data()); either way it spans
  // at most the ring once, and only to the next lap.
  const bool fits = *next > *begin && *next - *begin <= r.data_size;
  uint64_t at = *begin % r.data_size, len = *next - *begin;
  if (fits && *begin / r.data_size != *next / r.data_size) at = 0, len = *next % r.data_size;
  if (!fits || len < 8 || at > r.data_size - len) {
    problem =
        fmt::format("descriptor {}: text block [0x{:x}, 0x{:x}) does not fit the ring", id, *begin, *next);
    return std::nullopt;
  }
  LogRecord rec{*seq, *ts, std::string(std::min<uint64_t>(*text_len, len - 8), '\0')};
  if (!mem.read(r.data + at + 8, rec.text.data(), rec.text.size())) { // after the block's id
    problem = fmt::format("descriptor {}: its text is not in the dump", id);
    return std::nullopt;
  }
  return rec;
}

} // namespace

std::optional<PrintkLog> read_printk_log(llvm::StringRef vmcoreinfo, const DumpedMemory& memory) {
  const VmcoreInfo info(vmcoreinfo);
  if (!info.symbol("prb")) return std::nullopt;
  PrintkLog log;
  auto ring = locate_ring(info, memory, log.problem);
  if (!ring) return log;
  // From the tail to the head, at most one lap of the descriptor ring.
  for (uint64_t id = ring->tail_id, n = 0; n < ring->desc_count; id = (id + 1) & kDescIdMask, ++n) {
    if (auto rec = read_record(*ring, memory, id, log.problem)) log.records.push_back(std::move(*rec));
    if (!log.problem.empty() || id == ring->head_id) break;
  }
  return log;
}

std::string format_printk_log(const PrintkLog& log, const std::string& indent) {
  std::string out;
  for (const LogRecord& r : log.records)
    out += fmt::format("{}[{:5}.{:06}] {}\n", indent, r.ts_nsec / 1000000000, r.ts_nsec % 1000000000 / 1000,
                       r.text);
  if (!log.problem.empty()) out += fmt::format("{}(log incomplete: {})\n", indent, log.problem);
  return out;
}

} // namespace kdsim
