// A vmcore's memory by kernel virtual address, through its PT_LOADs' p_vaddr (what gdb, crash
// and vmcore-dmesg do). Reads are bounds-checked against the file: a hostile vmcore gives
// std::nullopt, never an out-of-bounds access.
#pragma once
#include <cstdint>
#include <cstring>
#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Object/ELFTypes.h>
#include <optional>
#include <vector>

namespace kdsim {

class DumpedMemory {
public:
  using Phdr = llvm::object::ELF64LE::Phdr;
  DumpedMemory(llvm::StringRef file, llvm::ArrayRef<Phdr> phdrs) : m_file(file) {
    for (const auto& ph : phdrs)
      if (ph.p_type == llvm::ELF::PT_LOAD && ph.p_offset <= file.size() &&
          ph.p_filesz <= file.size() - ph.p_offset)
        m_loads.push_back({ph.p_vaddr, ph.p_offset, ph.p_filesz});
  }
  // len bytes at va, all inside one PT_LOAD; false if any byte is not in the dump.
  bool read(uint64_t va, void* out, uint64_t len) const {
    for (const Load& l : m_loads)
      if (va >= l.vaddr && l.size >= len && va - l.vaddr <= l.size - len) {
        std::memcpy(out, m_file.data() + l.offset + (va - l.vaddr), len);
        return true;
      }
    return false;
  }
  template <typename T> std::optional<T> read_as(uint64_t va) const {
    T v;
    if (!read(va, &v, sizeof(v))) return std::nullopt;
    return v;
  }
  std::optional<uint64_t> read_u64(uint64_t va) const { return read_as<uint64_t>(va); }

private:
  struct Load {
    uint64_t vaddr, offset, size;
  };
  llvm::StringRef m_file;
  std::vector<Load> m_loads;
};

} // namespace kdsim
