// The start of a /proc/kcore, built in memory the way Linux's read_kcore lays it out: ELF
// header, PT_NOTE, PT_LOADs, then the notes (CORE NT_PRSTATUS and a VMCOREINFO note).
#pragma once
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace kdsim::test {

struct KcoreSpec {
  uint16_t machine = 183;  // EM_AARCH64
  struct Load {
    uint64_t vaddr, paddr, size;
  };
  std::vector<Load> loads;
  std::optional<std::string> vmcoreinfo;
};

inline void put_bytes(std::string& b, size_t at, const void* v, size_t n) {
  if (b.size() < at + n) b.resize(at + n, '\0');
  std::memcpy(b.data() + at, v, n);
}
template <typename T> void put(std::string& b, size_t at, T v) { put_bytes(b, at, &v, sizeof v); }

inline std::string kcore_note(const std::string& name, uint32_t type, const std::string& desc) {
  std::string n;
  put<uint32_t>(n, 0, static_cast<uint32_t>(name.size() + 1));
  put<uint32_t>(n, 4, static_cast<uint32_t>(desc.size()));
  put<uint32_t>(n, 8, type);
  put_bytes(n, 12, name.c_str(), name.size() + 1);
  n.resize(12 + ((name.size() + 1 + 3) & ~size_t(3)), '\0');
  const size_t d = n.size();
  put_bytes(n, d, desc.data(), desc.size());
  n.resize(d + ((desc.size() + 3) & ~size_t(3)), '\0');
  return n;
}

inline std::string build_kcore(const KcoreSpec& spec) {
  std::string notes = kcore_note("CORE", 1, std::string(392, '\0'));
  if (spec.vmcoreinfo) notes += kcore_note("VMCOREINFO", 0, *spec.vmcoreinfo);
  const uint16_t phnum = static_cast<uint16_t>(1 + spec.loads.size());
  const size_t notes_at = 64 + 56 * phnum;
  std::string b;
  put_bytes(b, 0, "\177ELF\2\1\1", 7);
  put<uint16_t>(b, 16, 4);  // ET_CORE
  put<uint16_t>(b, 18, spec.machine);
  put<uint32_t>(b, 20, 1);
  put<uint64_t>(b, 32, 64);
  put<uint16_t>(b, 52, 64);
  put<uint16_t>(b, 54, 56);
  put<uint16_t>(b, 56, phnum);
  put<uint32_t>(b, 64, 4);  // PT_NOTE
  put<uint64_t>(b, 64 + 8, notes_at);
  put<uint64_t>(b, 64 + 32, notes.size());
  for (size_t i = 0; i < spec.loads.size(); ++i) {
    const size_t p = 64 + 56 * (i + 1);
    put<uint32_t>(b, p, 1);  // PT_LOAD
    put<uint32_t>(b, p + 4, 7);
    put<uint64_t>(b, p + 16, spec.loads[i].vaddr);
    put<uint64_t>(b, p + 24, spec.loads[i].paddr);
    put<uint64_t>(b, p + 32, spec.loads[i].size);
    put<uint64_t>(b, p + 40, spec.loads[i].size);
  }
  put_bytes(b, notes_at, notes.data(), notes.size());
  return b;
}

}  // namespace kdsim::test
