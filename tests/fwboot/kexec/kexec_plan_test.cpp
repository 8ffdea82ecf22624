// plan_kexec (kexec -p and -l) with the real arm64 kernel and purgatory of this build tree.
#include "firmware-less-boot/kexec/kexec_plan.h"
#include "firmware-less-boot/kexec/kexec_tools_exit.h"
#include "firmware-less-boot/kexec/sha256_regions.h"
#include "firmware-less-boot/x86_e820.h"
#include "tests/fwboot/kexec/kcore_builder.h"
#include <fmt/ranges.h>
#include <doctest/doctest.h>
#include <algorithm>
#include <cstring>

extern "C" {
#include <libfdt.h>
}

using namespace kdsim;

namespace {

// A 1 GiB arm64 machine with crashkernel=256M, in Linux's /proc/iomem format.
constexpr std::string_view kIomem =
    "09000000-09000fff : pl011@9000000\n"
    "40000000-7fffffff : System RAM\n"
    "  40200000-4021ffff : Kernel code\n"
    "  40220000-4022cfff : Kernel data\n"
    "  6fe00000-7fdfffff : Crash kernel\n";

// An arm64 /proc/kcore start whose VMCOREINFO note holds `vmcoreinfo`.
std::string kcore_with(std::string vmcoreinfo) {
  return test::build_kcore({.machine = 183,
                            .loads = {{0xffff800008000000, 0x40200000, 0x80000}, {0xffff000000000000, 0x40000000, 1ull << 30}},
                            .vmcoreinfo = std::move(vmcoreinfo)});
}

// What a kernel under lockdown=confidentiality leaves kexec-tools: /proc/kcore cannot be opened.
KexecPlanConfig locked_down(KexecPlanConfig c) {
  c.kcore_head.reset();
  c.kcore_error = "Operation not permitted";
  return c;
}

struct Fixture {
  KernelImage kernel = std::move(*KernelImage::create(KDSIM_KERNEL_ARM64, Arch::Arm64));
  PurgatoryImage purgatory = std::move(*PurgatoryImage::create(KDSIM_PURGATORY_ARM64, Arch::Arm64));
  KexecPlanConfig config() const {
    return {.arch = Arch::Arm64,
            .running_kernel = &kernel,
            .capture_kernel = &kernel,
            .purgatory = &purgatory,
            .board_ram = {{PhysAddr(0x40000000), 1ull << 30}},
            .cpu_count = 2,
            .cmdline = "console=ttyAMA0",
            .iomem_text = std::string(kIomem),
            .cpu_notes = {{PhysAddr(0x40230000), 424}, {PhysAddr(0x402301a8), 424}},
            .vmcoreinfo = CrashNoteBuffer{PhysAddr(0x40240000), 4132},
            .kcore_head = kcore_with("OSRELEASE=6.1.0-kdsim\nNUMBER(VA_BITS)=39\nNUMBER(PHYS_OFFSET)=0x40000000\n"),
            .checks = PurgatoryChecks::Verify,
            .purgatory_uart = 0x09000000,
            .stage_port = 0x0a000200};
  }
};

const KexecSegment& find(const KexecPlan& p, std::string_view what) {
  for (const KexecSegment& s : p.segments)
    if (s.what.starts_with(what)) return s;
  FAIL("no segment " << what);
  return p.segments.front();
}

uint64_t read_u64(const std::vector<uint8_t>& b, size_t at) {
  uint64_t v;
  std::memcpy(&v, b.data() + at, 8);
  return v;
}

}  // namespace

TEST_CASE("kexec crash load (arm64): every segment inside the crash region, page aligned, sorted") {
  Fixture f;
  auto plan = plan_kexec(f.config(), KexecMode::Crash);
  REQUIRE_MESSAGE(bool(plan), toString(plan.takeError()));
  PhysRange region{PhysAddr(0x6fe00000), 0x10000000};
  CHECK(plan->crash_region->base == region.base);
  CHECK(plan->flags == (kKexecOnCrash | kKexecArchAarch64));
  REQUIRE(plan->segments.size() >= 4);
  for (size_t i = 0; i < plan->segments.size(); ++i) {
    const KexecSegment& s = plan->segments[i];
    CAPTURE(s.what);
    CHECK(region.contains(s.mem, s.memsz));
    CHECK(s.mem.is_aligned(4096));
    CHECK(s.memsz % 4096 == 0);
    if (i) CHECK(plan->segments[i - 1].mem < s.mem);
  }
  // The kernel moves to the region's first 2 MiB boundary; its entry moves with it.
  CHECK(find(*plan, "kernel").mem == PhysAddr(0x6fe00000));
  CHECK(plan->kernel_entry == PhysAddr(0x6fe00000));
  CHECK(plan->entry == plan->purgatory.base);  // purgatory_start is .text+0
  CHECK(find(*plan, "elfcorehdr").mem.value() + find(*plan, "elfcorehdr").memsz == 0x7fe00000);  // top-down
}

TEST_CASE("kexec crash load (arm64): the DTB tells the capture kernel its core header and memory") {
  Fixture f;
  auto plan = plan_kexec(f.config(), KexecMode::Crash);
  REQUIRE(bool(plan));
  const KexecSegment& dtb = find(*plan, "dtb");
  REQUIRE(fdt_check_header(dtb.buf.data()) == 0);
  int chosen = fdt_path_offset(dtb.buf.data(), "/chosen");
  REQUIRE(chosen >= 0);
  int len = 0;
  // Property data is only 4-byte aligned: read the cells with libfdt's unaligned loader.
  auto* hdr = static_cast<const fdt64_t*>(fdt_getprop(dtb.buf.data(), chosen, "linux,elfcorehdr", &len));
  REQUIRE(len == 16);
  CHECK(fdt64_ld(&hdr[0]) == plan->elfcorehdr.base.value());
  CHECK(fdt64_ld(&hdr[1]) == plan->elfcorehdr.size);
  auto* usable = static_cast<const fdt64_t*>(fdt_getprop(dtb.buf.data(), chosen, "linux,usable-memory-range", &len));
  REQUIRE(len == 16);
  CHECK(fdt64_ld(&usable[0]) == 0x6fe00000);
  CHECK(fdt64_ld(&usable[1]) == 0x10000000);
  CHECK(std::string(static_cast<const char*>(fdt_getprop(dtb.buf.data(), chosen, "bootargs", &len))) == "console=ttyAMA0");
}

// p_vaddr of the core header's first System RAM PT_LOAD (the one at paddr 0x40000000).
uint64_t ram_load_vaddr(const KexecPlan& plan) {
  const KexecSegment& hdr = find(plan, "elfcorehdr");
  const uint64_t phoff = read_u64(hdr.buf, 0x20);
  const uint16_t phnum = static_cast<uint16_t>(hdr.buf[0x38] | hdr.buf[0x39] << 8);
  for (uint16_t i = 0; i < phnum; ++i) {
    const size_t ph = phoff + 56ull * i;
    if (hdr.buf[ph] == 1 && read_u64(hdr.buf, ph + 24) == 0x40000000) return read_u64(hdr.buf, ph + 16);
  }
  FAIL("no PT_LOAD at paddr 0x40000000");
  return 0;
}

TEST_CASE("kexec crash load (arm64): the linear map base follows kcore's VA_BITS, else kexec-tools' _stext guess") {
  Fixture f;
  KexecPlanConfig c = f.config();
  auto plan39 = plan_kexec(c, KexecMode::Crash);
  REQUIRE(bool(plan39));
  CHECK(ram_load_vaddr(*plan39) == 0xffffff8000000000);  // PAGE_OFFSET = -(1 << 39)
  c.kcore_head = kcore_with("OSRELEASE=6.1.0-kdsim\nNUMBER(VA_BITS)=48\nNUMBER(PHYS_OFFSET)=0x40000000\n");
  auto plan48 = plan_kexec(c, KexecMode::Crash);
  REQUIRE(bool(plan48));
  CHECK(ram_load_vaddr(*plan48) == 0xffff000000000000);
  // No VA_BITS in the note: kexec-arm64.c get_va_bits tests _stext (0xffff8000_08xx_xxxx)
  // against the 36-, 39-, 42- then 47-bit PAGE_OFFSET masks, and the 47-bit one already matches.
  c.kcore_head = kcore_with("OSRELEASE=6.1.0-kdsim\n");
  auto guessed = plan_kexec(c, KexecMode::Crash);
  REQUIRE(bool(guessed));
  CHECK(ram_load_vaddr(*guessed) == 0xffff800000000000);
}

TEST_CASE("kexec crash load (arm64): an unreadable /proc/kcore leaves PHYS_OFFSET to /proc/iomem, and the log says so") {
  Fixture f;
  auto plan = plan_kexec(locked_down(f.config()), KexecMode::Crash);
  REQUIRE_MESSAGE(bool(plan), toString(plan.takeError()));
  CHECK(ram_load_vaddr(*plan) == 0xffff800000000000);  // 0x40000000 - PHYS_OFFSET + page_offset(47)
  const std::string log = fmt::format("{}", fmt::join(plan->log, "\n"));
  CHECK(log.find("kexec-tools: \"Can't open (/proc/kcore).\" (Operation not permitted): PHYS_OFFSET from /proc/iomem") !=
        std::string::npos);
  CHECK(log.find("kexec-tools: \"Warning, can't get the VA_BITS from kcore\": VA_BITS from _stext") != std::string::npos);
  CHECK(log.find("kexec-tools: VA_BITS 47 (page_offset 0xffff800000000000), PHYS_OFFSET 0x40000000 from /proc/iomem") !=
        std::string::npos);
}

TEST_CASE("kexec crash load (arm64): purgatory symbols and a digest over every other segment") {
  Fixture f;
  auto plan = plan_kexec(f.config(), KexecMode::Crash);
  REQUIRE(bool(plan));
  const KexecSegment& purg = find(*plan, "purgatory");
  auto placed = f.purgatory.place(purg.mem);
  REQUIRE(bool(placed));
  auto offset_of = [&](const char* name) { return placed->symbol_address(name)->value() - purg.mem.value(); };
  CHECK(read_u64(purg.buf, offset_of("arm64_kernel_entry")) == plan->kernel_entry.value());
  CHECK(read_u64(purg.buf, offset_of("arm64_dtb_addr")) == find(*plan, "dtb").mem.value());
  CHECK(read_u64(purg.buf, offset_of("arm64_sink")) == 0x09000000);
  CHECK(read_u64(purg.buf, offset_of("kdsim_stage_port")) == 0x0a000200);
  auto digest = compute_sha256_regions(plan->segments, purg.mem);
  REQUIRE(bool(digest));
  CHECK(std::memcmp(purg.buf.data() + offset_of("sha256_digest"), digest->digest.data(), 32) == 0);
  CHECK(digest->regions[plan->segments.size() - 1].len == 0);  // the purgatory is not hashed
}

TEST_CASE("kexec crash load: no Crash kernel in /proc/iomem still plans (the kernel refuses it)") {
  Fixture f;
  KexecPlanConfig c = f.config();
  c.iomem_text = "40000000-7fffffff : System RAM\n";
  auto plan = plan_kexec(c, KexecMode::Crash);
  REQUIRE(bool(plan));
  CHECK(plan->log.front().starts_with("Memory for crashkernel is not reserved"));
}

TEST_CASE("kexec crash load: a region too small is an error naming it") {
  Fixture f;
  KexecPlanConfig c = f.config();
  c.iomem_text = "40000000-7fffffff : System RAM\n  7ff00000-7fffffff : Crash kernel\n";
  auto plan = plan_kexec(c, KexecMode::Crash);
  REQUIRE(!plan);
  uint64_t lowest = ~0ull, highest = 0;  // the image's span from its 2 MiB-aligned base, page-rounded
  for (const PhysRange& r : f.kernel.footprint()) {
    lowest = std::min(lowest, r.base.value());
    highest = std::max(highest, r.base.value() + r.size);
  }
  uint64_t size = (highest - (lowest & ~0x1fffffull) + 0xfff) & ~0xfffull;
  // kexec-tools' own failure (arm64_locate_kernel_segment, elf_arm64_load, my_load): exit 255.
  bool handled = false;
  llvm::Error rest = llvm::handleErrors(plan.takeError(), [&](const KexecToolsExit& e) {
    handled = true;
    CHECK(e.status() == 255);
    CHECK(e.output() == fmt::format("kexec: Bad elf image file, load failed.\nCannot load {}\n", f.kernel.name()));
    CHECK(e.why() == fmt::format("kexec: the crash kernel region [P0x7ff00000, P0x80000000) has no room for the "
                                 "capture kernel (0x{:x} bytes)", size));
  });
  CHECK(!rest);
  CHECK(handled);
}

TEST_CASE("kexec crash load: a buffer with no hole fails as locate_hole does (exit 1)") {
  Fixture f;
  KexecPlanConfig c = f.config();
  // Room for the kernel at the region's 2 MiB boundary and nothing else: the core header has no hole.
  uint64_t lowest = ~0ull, highest = 0;
  for (const PhysRange& r : f.kernel.footprint()) {
    lowest = std::min(lowest, r.base.value());
    highest = std::max(highest, r.base.value() + r.size);
  }
  const uint64_t size = (highest - (lowest & ~0x1fffffull) + 0xfff) & ~0xfffull;
  c.iomem_text = fmt::format("40000000-7fffffff : System RAM\n  70000000-{:08x} : Crash kernel\n", 0x70000000 + size - 1);
  auto plan = plan_kexec(c, KexecMode::Crash);
  REQUIRE(!plan);
  bool handled = false;
  llvm::Error rest = llvm::handleErrors(plan.takeError(), [&](const KexecToolsExit& e) {
    handled = true;
    CHECK(e.status() == 1);
    CHECK(e.output().starts_with("Could not find a free area of memory of 0x"));
    CHECK(e.output().ends_with(" bytes...\nlocate_hole failed\n"));
    CHECK(e.why().find("has no room for the ELF core header") != std::string::npos);
  });
  CHECK(!rest);
  CHECK(handled);
}

TEST_CASE("kexec-load blob: header, segment table and data in the documented layout") {
  std::vector<KexecSegment> segs = {{{1, 2, 3}, PhysAddr(0x1000), 0x1000, "a"}, {{}, PhysAddr(0x3000), 0x2000, "b"}};
  auto blob = encode_kexec_load_blob(segs, PhysAddr(0x1000), 0xb70001);
  REQUIRE(blob.size() == 24 + 64 + 3);
  uint32_t magic, nr;
  std::memcpy(&magic, blob.data(), 4);
  std::memcpy(&nr, blob.data() + 4, 4);
  CHECK(magic == 0x4758454b);
  CHECK(nr == 2);
  CHECK(read_u64(blob, 8) == 0x1000);
  CHECK(read_u64(blob, 16) == 0xb70001);
  CHECK(read_u64(blob, 24) == 88);  // buf_offset of segment 0
  CHECK(read_u64(blob, 32) == 3);
  CHECK(read_u64(blob, 40) == 0x1000);
  CHECK(read_u64(blob, 48) == 0x1000);
  CHECK(read_u64(blob, 56) == 91);  // segment 1: its (empty) data after segment 0's 3 bytes
  CHECK(read_u64(blob, 64) == 0);   // segment 1: bufsz 0
  CHECK(read_u64(blob, 80) == 0x2000);
  CHECK(blob[88] == 1);
}

namespace {

struct X86Fixture {
  KernelImage kernel = std::move(*KernelImage::create(KDSIM_KERNEL_X86_64, Arch::X86_64));
  PurgatoryImage purgatory = std::move(*PurgatoryImage::create(KDSIM_PURGATORY_X86_64, Arch::X86_64));
  // /proc/kcore as the toy kernel writes it: [_text, _end), then the direct map of RAM at
  // `direct_map` (0xffff888000000000 without KASLR).
  std::string x86_kcore(uint64_t direct_map) const {
    const uint64_t text = kernel.symbol("_text")->value(), end = kernel.symbol("_end")->value();
    return test::build_kcore({.machine = 62,
                              .loads = {{text, 0x1000000, end - text}, {direct_map, 0, 1ull << 30}},
                              .vmcoreinfo = "OSRELEASE=6.1.0-kdsim\n"});
  }
  KexecPlanConfig config() const {
    return {.arch = Arch::X86_64,
            .running_kernel = &kernel,
            .capture_kernel = &kernel,
            .purgatory = &purgatory,
            .board_ram = {{PhysAddr(0), 1ull << 30}},
            .cmdline = "console=ttyS0",
            .iomem_text = "00000000-0009fbff : System RAM\n0009fc00-000fffff : Reserved\n"
                          "00100000-3fffffff : System RAM\n  01000000-0101ffff : Kernel code\n"
                          "  30000000-3fffffff : Crash kernel\n",
            .cpu_notes = {{PhysAddr(0x1030000), 368}},
            .kcore_head = x86_kcore(0xffff888000000000),
            .purgatory_uart = 0x3f8,
            .stage_port = 0xfeb00200};
  }
};

std::vector<x86::E820Entry> e820_of(const KexecSegment& boot_params) {
  // boot_params: e820_entries (u8 @0x1e8), e820_table (20-byte entries @0x2d0).
  std::vector<x86::E820Entry> out;
  for (unsigned i = 0; i < boot_params.buf[0x1e8]; ++i) {
    uint64_t addr, size;
    uint32_t type;
    std::memcpy(&addr, boot_params.buf.data() + 0x2d0 + 20 * i, 8);
    std::memcpy(&size, boot_params.buf.data() + 0x2d0 + 20 * i + 8, 8);
    std::memcpy(&type, boot_params.buf.data() + 0x2d0 + 20 * i + 16, 4);
    out.push_back({{PhysAddr(addr), size}, static_cast<x86::E820Type>(type)});
  }
  return out;
}

}  // namespace

TEST_CASE("kexec crash load (x86_64): boot_params give the capture kernel low RAM and the region minus "
          "the backup and core header segments") {
  X86Fixture f;
  auto plan = plan_kexec(f.config(), KexecMode::Crash);
  REQUIRE_MESSAGE(bool(plan), toString(plan.takeError()));
  CHECK(plan->flags == (kKexecOnCrash | kKexecArchX86_64));
  const KexecSegment& hdr = find(*plan, "elfcorehdr");
  const KexecSegment& backup = find(*plan, "backup");
  CHECK(hdr.memsz >= 16 * 1024);  // crashdump-x86.c keeps it at least 16 KiB
  const KexecSegment& bp = find(*plan, "boot_params");
  auto e820 = e820_of(bp);
  REQUIRE(e820.size() == 2);
  CHECK(e820[0].range.base.value() == 0);  // backed up, so the capture kernel may use it
  CHECK(e820[0].range.size == 0x9fc00);
  CHECK(e820[1].range.base.value() == 0x30000000);
  CHECK(e820[1].range.size == hdr.mem.value() - 0x30000000);
  for (const auto& e : e820) CHECK(e.type == x86::E820Type::Ram);
  CHECK(hdr.mem.value() + hdr.memsz == backup.mem.value());  // backup at the top, then the header
  std::string cmdline(reinterpret_cast<const char*>(bp.buf.data() + 4096));
  CHECK(cmdline == fmt::format("console=ttyS0 elfcorehdr={}K", hdr.mem.value() >> 10));
}

TEST_CASE("kexec crash load (x86_64): the 640 KiB backup segment, its purgatory symbols and the core "
          "header's PT_LOAD pointing at it") {
  X86Fixture f;
  auto plan = plan_kexec(f.config(), KexecMode::Crash);
  REQUIRE_MESSAGE(bool(plan), toString(plan.takeError()));
  const KexecSegment& backup = find(*plan, "backup");
  // crashdump-x86.c: the first System RAM range ending at or below 640 KiB, 1 KiB-rounded, zero
  // filled (hashed while zero), at the top of the crash region.
  CHECK(backup.bufsz() == 0x9fc00);
  CHECK(backup.memsz == 0xa0000);
  CHECK(backup.mem.value() == 0x40000000 - 0xa0000);
  CHECK(std::all_of(backup.buf.begin(), backup.buf.end(), [](uint8_t b) { return b == 0; }));
  REQUIRE(plan->backup);
  CHECK(plan->backup->source.base.value() == 0);
  CHECK(plan->backup->source.size == 0x9fc00);
  CHECK(plan->backup->backup_start == backup.mem);

  const KexecSegment& purg = find(*plan, "purgatory");
  auto placed = f.purgatory.place(purg.mem);
  REQUIRE(bool(placed));
  auto symbol = [&](std::string_view name, size_t size) {
    auto at = placed->symbol_address(name);
    REQUIRE_MESSAGE(bool(at), toString(at.takeError()));
    uint64_t v = 0;
    std::memcpy(&v, purg.buf.data() + (at->value() - purg.mem.value()), size);
    return v;
  };
  CHECK(symbol("backup_src_start", 8) == 0);
  CHECK(symbol("backup_src_size", 8) == 0x9fc00);
  CHECK(symbol("backup_start", 8) == backup.mem.value());
  CHECK(symbol("panic_kernel", 1) == 1);

  // The core header: the PT_LOAD for [0, 0x9fc00) reads the copy; the others read in place.
  const KexecSegment& hdr = find(*plan, "elfcorehdr");
  uint16_t phnum;
  std::memcpy(&phnum, hdr.buf.data() + 56, 2);
  bool seen_low = false;
  for (unsigned i = 0; i < phnum; ++i) {
    const uint8_t* ph = hdr.buf.data() + 64 + 56 * i;
    uint32_t type;
    uint64_t offset, paddr;
    std::memcpy(&type, ph, 4);
    std::memcpy(&offset, ph + 8, 8);
    std::memcpy(&paddr, ph + 24, 8);
    if (type != 1) continue;
    CAPTURE(paddr);
    if (paddr == 0) seen_low = true;
    CHECK(offset == (paddr == 0 ? backup.mem.value() : paddr));
  }
  CHECK(seen_low);
}

namespace {
struct Phdr {
  uint32_t type;
  uint64_t vaddr, paddr, memsz;
};
std::vector<Phdr> core_phdrs(const KexecSegment& hdr) {
  uint16_t phnum;
  std::memcpy(&phnum, hdr.buf.data() + 56, 2);
  std::vector<Phdr> out;
  for (unsigned i = 0; i < phnum; ++i) {
    const uint8_t* ph = hdr.buf.data() + 64 + 56 * i;
    Phdr p{};
    std::memcpy(&p.type, ph, 4);
    std::memcpy(&p.vaddr, ph + 16, 8);
    std::memcpy(&p.paddr, ph + 24, 8);
    std::memcpy(&p.memsz, ph + 40, 8);
    out.push_back(p);
  }
  return out;
}
}  // namespace

TEST_CASE("kexec crash load (x86_64): the kernel text PT_LOAD and the direct map come from /proc/kcore") {
  X86Fixture f;
  KexecPlanConfig c = f.config();
  c.kcore_head = f.x86_kcore(0xffff9a8000000000);  // a KASLR-moved direct map
  auto plan = plan_kexec(c, KexecMode::Crash);
  REQUIRE_MESSAGE(bool(plan), toString(plan.takeError()));
  const uint64_t text = f.kernel.symbol("_text")->value(), end = f.kernel.symbol("_end")->value();
  bool seen_text = false, seen_ram = false;
  for (const Phdr& p : core_phdrs(find(*plan, "elfcorehdr"))) {
    if (p.type != 1) continue;
    CAPTURE(p.paddr);
    if (p.vaddr >= 0xffffffff80000000) {
      seen_text = true;
      CHECK(p.vaddr == (text & ~0xfffffull));  // X86_64_KERN_VADDR_ALIGN
      CHECK(p.paddr == 0x1000000);              // "Kernel code"
      CHECK(p.memsz == ((end - (text & ~0xfffffull) + 4095) & ~4095ull));
    } else if (p.paddr == 0x100000) {
      seen_ram = true;
      CHECK(p.vaddr == 0xffff9a8000100000);  // page_offset: the lowest kcore PT_LOAD, 1 GiB aligned
    }
  }
  CHECK(seen_text);
  CHECK(seen_ram);
}

TEST_CASE("kexec crash load (x86_64): without /proc/kcore kexec-tools cannot load") {
  X86Fixture f;
  KexecPlanConfig c = locked_down(f.config());
  auto plan = plan_kexec(c, KexecMode::Crash);
  REQUIRE_FALSE(bool(plan));
  bool seen = false;
  llvm::handleAllErrors(plan.takeError(), [&](const KexecToolsExit& e) {
    seen = true;
    CHECK(e.status() == 255);
    CHECK(e.output() == fmt::format("Cannot read /proc/kcore: Operation not permitted\nCannot load {}\n", f.kernel.name()));
  });
  CHECK(seen);

  c.kcore_head = std::string("\177ELF not a core");
  auto garbled = plan_kexec(c, KexecMode::Crash);
  REQUIRE_FALSE(bool(garbled));
  llvm::handleAllErrors(garbled.takeError(), [&](const KexecToolsExit& e) {
    CHECK(e.output() == fmt::format("ELF core (kcore) parse failed\nCannot load {}\n", f.kernel.name()));
    CHECK(e.why() == "/proc/kcore: 15 bytes, shorter than an ELF header (64 bytes)");
  });
  // A normal load does not read kcore at all.
  c.kcore_head.reset();
  CHECK(bool(plan_kexec(c, KexecMode::Normal)));
}

TEST_CASE("kexec load (x86_64): a normal load has no backup segment and zero backup symbols") {
  X86Fixture f;
  auto plan = plan_kexec(f.config(), KexecMode::Normal);
  REQUIRE_MESSAGE(bool(plan), toString(plan.takeError()));
  CHECK_FALSE(plan->backup);
  for (const KexecSegment& s : plan->segments) CHECK(s.what != "backup");
}
