// Checks a saved vmcore the way /proc/vmcore promises it (fs/proc/vmcore.c): an ELF64 ET_CORE
// whose first program header is the one merged PT_NOTE — one CORE/NT_PRSTATUS note per CPU,
// then VMCOREINFO — followed by PT_LOADs that leave the crash region out; and, given a RAM
// snapshot taken at the hand-off (kdsim run --ram-snapshot), that every byte of every PT_LOAD
// equals guest RAM at that moment. Only the extents that hold data in either file are compared
// (SEEK_DATA/SEEK_HOLE; holes read as zeros in both), so a 1 TiB machine's sparse vmcore costs
// what was touched, not its size.
//
//   vmcore_check VMCORE ARCH CPUS [SNAPSHOT CRASH_START CRASH_SIZE]
#include <llvm/Object/ELF.h>
#include <llvm/Support/MemoryBuffer.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <fcntl.h>
#include <string>
#include <utility>
#include <vector>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace llvm;
using ELFT = object::ELF64LE;

namespace {

int failures = 0;
void check(bool ok, const std::string& what) {
  std::printf("%s %s\n", ok ? "ok  " : "FAIL", what.c_str());
  failures += !ok;
}

struct Snapshot {
  const uint8_t* data = nullptr;
  uint64_t size = 0;
  int fd = -1;  // kept open for SEEK_DATA
};

Snapshot map_snapshot(const char* path) {
  int fd = ::open(path, O_RDONLY);
  struct stat st {};
  if (fd < 0 || ::fstat(fd, &st) != 0) return {};
  void* p = ::mmap(nullptr, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  return p == MAP_FAILED ? Snapshot{} : Snapshot{static_cast<const uint8_t*>(p), uint64_t(st.st_size), fd};
}

// The parts of [lo, lo + len) of `fd` that hold data, relative to lo (SEEK_DATA/SEEK_HOLE).
using Extents = std::vector<std::pair<uint64_t, uint64_t>>;  // [begin, end)
void add_data_extents(int fd, uint64_t lo, uint64_t len, Extents& out) {
  off_t pos = static_cast<off_t>(lo);
  const off_t end = static_cast<off_t>(lo + len);
  while (pos < end) {
    off_t data = ::lseek(fd, pos, SEEK_DATA);
    if (data < 0 || data >= end) break;  // ENXIO: no more data
    off_t hole = ::lseek(fd, data, SEEK_HOLE);
    if (hole < 0 || hole > end) hole = end;
    out.push_back({uint64_t(data) - lo, uint64_t(hole) - lo});
    pos = hole;
  }
}

// Union of the extents, widened to 4 KiB pages and clipped to len.
Extents merge_pages(Extents e, uint64_t len) {
  for (auto& [b, x] : e) b &= ~0xfffull, x = std::min<uint64_t>(len, (x + 0xfff) & ~0xfffull);
  std::sort(e.begin(), e.end());
  Extents out;
  for (const auto& r : e)
    if (!out.empty() && r.first <= out.back().second) out.back().second = std::max(out.back().second, r.second);
    else out.push_back(r);
  return out;
}

void check_notes(const object::ELFFile<ELFT>& elf, const ELFT::Phdr& note, unsigned cpus) {
  Error err = Error::success();
  unsigned prstatus = 0, vmcoreinfo = 0, index = 0;
  bool order_ok = true;
  for (const auto& n : elf.notes(note, err)) {
    bool is_prstatus = n.getName() == "CORE" && n.getType() == 1;
    bool is_vmcoreinfo = n.getName() == "VMCOREINFO" && n.getType() == 0;
    if (is_prstatus && (vmcoreinfo || index != prstatus)) order_ok = false;
    prstatus += is_prstatus;
    vmcoreinfo += is_vmcoreinfo;
    ++index;
  }
  check(!err, "the merged PT_NOTE parses");
  consumeError(std::move(err));
  check(prstatus == cpus, "one CORE/NT_PRSTATUS note per CPU: " + std::to_string(prstatus) + " of " + std::to_string(cpus));
  check(vmcoreinfo == 1, "one VMCOREINFO note");
  check(order_ok, "the NT_PRSTATUS notes come first, in CPU order, then VMCOREINFO");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4 && argc != 7) {
    std::fprintf(stderr, "usage: vmcore_check VMCORE ARCH CPUS [SNAPSHOT CRASH_START CRASH_SIZE]\n");
    return 2;
  }
  auto buf = MemoryBuffer::getFile(argv[1], false, false);
  if (!buf) return std::fprintf(stderr, "%s: %s\n", argv[1], buf.getError().message().c_str()), 1;
  auto elf = object::ELFFile<ELFT>::create((*buf)->getBuffer());
  if (!elf) return std::fprintf(stderr, "%s: %s\n", argv[1], toString(elf.takeError()).c_str()), 1;
  const bool arm64 = std::string(argv[2]) == "arm64";
  const unsigned cpus = static_cast<unsigned>(std::atoi(argv[3]));
  const auto& eh = elf->getHeader();
  check(eh.e_type == ELF::ET_CORE, "ET_CORE");
  check(eh.e_machine == (arm64 ? ELF::EM_AARCH64 : ELF::EM_X86_64), "e_machine matches the arch");
  auto phdrs = elf->program_headers();
  if (!phdrs) return std::fprintf(stderr, "%s\n", toString(phdrs.takeError()).c_str()), 1;
  check(!phdrs->empty() && (*phdrs)[0].p_type == ELF::PT_NOTE, "program header 0 is the merged PT_NOTE");
  unsigned notes = 0, loads = 0;
  for (const auto& ph : *phdrs) notes += ph.p_type == ELF::PT_NOTE, loads += ph.p_type == ELF::PT_LOAD;
  check(notes == 1, "exactly one PT_NOTE (merge_note_headers_elf64)");
  check(loads >= 2, "PT_LOADs for the kernel text and System RAM: " + std::to_string(loads));
  if (!phdrs->empty() && (*phdrs)[0].p_type == ELF::PT_NOTE) check_notes(*elf, (*phdrs)[0], cpus);
  if (argc == 4) return failures ? 1 : 0;

  Snapshot snap = map_snapshot(argv[4]);
  check(snap.data != nullptr, std::string("RAM snapshot ") + argv[4] + " readable");
  uint64_t crash_start = std::strtoull(argv[5], nullptr, 0), crash_size = std::strtoull(argv[6], nullptr, 0);
  const uint8_t* core = reinterpret_cast<const uint8_t*>((*buf)->getBufferStart());
  const int core_fd = ::open(argv[1], O_RDONLY);
  check(core_fd >= 0, std::string(argv[1]) + " opens for SEEK_DATA");
  uint64_t compared = 0;
  for (const auto& ph : *phdrs) {
    if (ph.p_type != ELF::PT_LOAD) continue;
    char what[160];
    std::snprintf(what, sizeof what, "PT_LOAD paddr 0x%llx size 0x%llx", (unsigned long long)ph.p_paddr,
                  (unsigned long long)ph.p_filesz);
    bool outside = ph.p_paddr + ph.p_memsz <= crash_start || ph.p_paddr >= crash_start + crash_size;
    check(outside, std::string(what) + " lies outside the crash region");
    bool in_file = ph.p_offset + ph.p_filesz <= (*buf)->getBufferSize();
    bool in_snap = snap.data && ph.p_paddr + ph.p_filesz <= snap.size;
    uint64_t first_diff = ~0ull;
    Extents data;
    if (in_file && in_snap) {
      add_data_extents(core_fd, ph.p_offset, ph.p_filesz, data);
      add_data_extents(snap.fd, ph.p_paddr, ph.p_filesz, data);
    }
    for (const auto& [begin, end] : merge_pages(std::move(data), ph.p_filesz))
      for (uint64_t i = begin; i < end && first_diff == ~0ull; i += 4096) {
        uint64_t n = std::min<uint64_t>(4096, end - i);
        if (std::memcmp(core + ph.p_offset + i, snap.data + ph.p_paddr + i, n) != 0)
          for (uint64_t j = 0; j < n; ++j)
            if (core[ph.p_offset + i + j] != snap.data[ph.p_paddr + i + j]) { first_diff = ph.p_paddr + i + j; break; }
      }
    char at[64] = "";
    if (first_diff != ~0ull) std::snprintf(at, sizeof at, " (first difference at 0x%llx)", (unsigned long long)first_diff);
    check(in_file && in_snap && first_diff == ~0ull, std::string(what) + " equals guest RAM at the hand-off" + at);
    compared += ph.p_filesz;
  }
  std::printf("compared %llu bytes of PT_LOAD data\n", (unsigned long long)compared);
  return failures ? 1 : 0;
}
