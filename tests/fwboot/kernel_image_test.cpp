#include "firmware-less-boot/kernel_image.h"
#include "machine/ram.h"
#include "tests/fwboot/elf_builder.h"
#include <doctest/doctest.h>
#include <fstream>
#include <functional>
#include <unistd.h>

using namespace kdsim;
using kdsim::test::TestElf;

namespace {

constexpr uint64_t kRamBase = 0x40000000, kRamSize = 128ull << 20;
constexpr uint64_t kTextVa = 0xffff800000080000, kTextPa = 0x40080000;
constexpr uint64_t kDataVa = 0xffff800000090000, kDataPa = 0x40090000;

std::vector<uint8_t> pattern(size_t n, uint8_t seed) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(seed + i);
  return v;
}

// A well-formed arm64 kernel: text [0x40080000, +0x100), data 0x20 bytes + bss to 0x2000.
// File layout: headers, text at 0x1000, data at 0x2000; 0x2020 bytes without symbols.
TestElf good_elf() {
  TestElf e;
  e.entry = kTextVa + 0x40;
  e.segments = {{.flags = test::kPfR | test::kPfX, .vaddr = kTextVa, .paddr = kTextPa, .payload = pattern(0x100, 0x11)},
                {.flags = test::kPfR | test::kPfW, .vaddr = kDataVa, .paddr = kDataPa,
                 .payload = std::vector<uint8_t>(0x20, 0x5a), .memsz = 0x2000}};
  return e;
}

std::unique_ptr<Ram> make_ram(uint8_t fill) {
  auto ram = Ram::create({{PhysAddr(kRamBase), kRamSize}});
  REQUIRE(bool(ram));
  REQUIRE(!(*ram)->fill(PhysAddr(kTextPa), 0x2000000, fill));
  return std::move(*ram);
}

std::string create_error(const std::vector<uint8_t>& bytes, Arch arch = Arch::Arm64) {
  auto image = KernelImage::create_from_bytes("kernel.elf", bytes, arch);
  if (image) return "(loaded)";
  return llvm::toString(image.takeError());
}

std::vector<uint8_t> read_ram(const Ram& ram, uint64_t pa, size_t n) {
  std::vector<uint8_t> out(n);
  REQUIRE(!ram.read(PhysAddr(pa), out));
  return out;
}

}  // namespace

TEST_CASE("kernel image: a good arm64 ELF exposes segments, entry, footprint and symbols") {
  TestElf e = good_elf();
  e.symbols = {{"_start", kTextVa + 0x40}, {"crash_notes", kDataVa + 0x10}};
  auto image = KernelImage::create_from_bytes("kernel.elf", e.build(), Arch::Arm64);
  REQUIRE_MESSAGE(bool(image), llvm::toString(image.takeError()));
  REQUIRE(image->segments().size() == 2);
  const KernelSegment& data = image->segments()[1];
  CHECK(data.index == 1);
  CHECK(data.paddr == PhysAddr(kDataPa));
  CHECK(data.vaddr == VirtAddr(kDataVa));
  CHECK(data.filesz == 0x20);
  CHECK(data.memsz == 0x2000);
  CHECK(data.flags == (test::kPfR | test::kPfW));
  CHECK(data.bytes.size() == 0x20);
  CHECK(data.bytes[0] == 0x5a);
  CHECK(image->segments()[0].bytes[1] == 0x12);
  CHECK(image->entry() == VirtAddr(kTextVa + 0x40));
  CHECK(image->entry_physical() == PhysAddr(kTextPa + 0x40));
  CHECK(image->entry_physical(0x1000000) == PhysAddr(kTextPa + 0x1000040));
  auto fp = image->footprint();
  REQUIRE(fp.size() == 2);
  CHECK(fmt::format("{} {}", fp[0], fp[1]) == "[P0x40080000, P0x40080100) [P0x40090000, P0x40092000)");
  CHECK(image->symbol("crash_notes") == VirtAddr(kDataVa + 0x10));
  CHECK(image->symbol("_start") == VirtAddr(kTextVa + 0x40));
  CHECK(!image->symbol("nope"));
}

TEST_CASE("kernel image: an entry point given as a physical address is taken as physical") {
  TestElf e = good_elf();
  e.entry = kTextPa + 0x10;  // no virtual range holds it; segment 0's physical range does
  auto image = KernelImage::create_from_bytes("kernel.elf", e.build(), Arch::Arm64);
  REQUIRE(bool(image));
  CHECK(image->entry_physical() == PhysAddr(kTextPa + 0x10));
}

TEST_CASE("kernel image: an x86_64 ELF is accepted for x86_64 and refused for arm64") {
  TestElf e = good_elf();
  e.machine = test::kEmX86_64;
  CHECK(create_error(e.build(), Arch::X86_64) == "(loaded)");
  CHECK(create_error(e.build(), Arch::Arm64) ==
        "kernel.elf: e_machine is EM_X86_64 (62) but the machine is arm64 (EM_AARCH64, 183)");
  e.machine = test::kEmAarch64;
  CHECK(create_error(e.build(), Arch::X86_64) ==
        "kernel.elf: e_machine is EM_AARCH64 (183) but the machine is x86_64 (EM_X86_64, 62)");
}

// Golden: each malformed image with its exact error text.
TEST_CASE("kernel image: malformed images are refused with exact messages") {
  struct Case {
    const char* what;
    std::function<std::vector<uint8_t>()> bytes;
    const char* error;
  };
  auto with = [](std::function<void(TestElf&)> edit) {
    return [edit] {
      TestElf e = good_elf();
      edit(e);
      return e.build();
    };
  };
  const Case cases[] = {
      {"not ELF", [] { return std::vector<uint8_t>{'h', 'e', 'l', 'l', 'o'}; }, "kernel.elf: not an ELF file"},
      {"empty", [] { return std::vector<uint8_t>{}; }, "kernel.elf: not an ELF file"},
      {"truncated header",
       [] {
         auto b = good_elf().build();
         b.resize(0xe);
         return b;
       },
       "kernel.elf: file is 0xe bytes, too short for an ELF64 header (0x40 bytes)"},
      {"ELF32", with([](TestElf& e) { e.ei_class = 1; }),
       "kernel.elf: EI_CLASS is ELFCLASS32 (1) but a kernel must be ELFCLASS64 (2)"},
      {"big-endian", with([](TestElf& e) { e.ei_data = 2; }),
       "kernel.elf: EI_DATA is ELFDATA2MSB (2, big-endian) but a kernel must be ELFDATA2LSB (1, little-endian)"},
      {"wrong machine", with([](TestElf& e) { e.machine = test::kEmX86_64; }),
       "kernel.elf: e_machine is EM_X86_64 (62) but the machine is arm64 (EM_AARCH64, 183)"},
      {"ET_REL", with([](TestElf& e) { e.type = test::kEtRel; }),
       "kernel.elf: e_type is ET_REL (1) but a kernel must be ET_EXEC (2)"},
      {"bad e_phentsize", with([](TestElf& e) { e.phentsize = 32; }),
       "kernel.elf: e_phentsize is 0x20 but an ELF64 program header is 0x38 bytes"},
      {"no program headers", with([](TestElf& e) { e.phnum = 0; }), "kernel.elf: no program headers (e_phnum is 0)"},
      {"program headers out of the file", with([](TestElf& e) { e.phoff = 0x2000; }),
       "kernel.elf: program headers [0x2000, 0x2070) run past the end of the file (0x2020 bytes)"},
      {"segment past EOF", with([](TestElf& e) { e.segments[1].filesz = e.segments[1].memsz = 0x4000; }),
       "kernel.elf: segment 1 file range [0x2000, 0x6000) runs past the end of the file (0x2020 bytes)"},
      {"file range wraps", with([](TestElf& e) { e.segments[1].offset = 0xfffffffffffffff0; }),
       "kernel.elf: segment 1 file range 0xfffffffffffffff0 + 0x20 wraps around"},
      {"filesz > memsz", with([](TestElf& e) { e.segments[1].memsz = 0x10; }),
       "kernel.elf: segment 1 p_filesz 0x20 is larger than p_memsz 0x10"},
      {"physical range wraps", with([](TestElf& e) { e.segments[1].paddr = 0xfffffffffffff000; }),
       "kernel.elf: segment 1 physical range P0xfffffffffffff000 + 0x2000 wraps around"},
      {"virtual range wraps", with([](TestElf& e) { e.segments[1].vaddr = 0xfffffffffffff000; }),
       "kernel.elf: segment 1 virtual range V0xfffffffffffff000 + 0x2000 wraps around"},
      {"overlapping segments", with([](TestElf& e) { e.segments[1].paddr = kTextPa + 0xf0; }),
       "kernel.elf: segments 0 [P0x40080000, P0x40080100) and 1 [P0x400800f0, P0x400820f0) overlap"},
      {"no PT_LOAD", with([](TestElf& e) { e.segments[0].type = e.segments[1].type = test::kPtNote; }),
       "kernel.elf: no PT_LOAD segment"},
      {"entry in no segment", with([](TestElf& e) { e.entry = 0xffff800000100000; }),
       "kernel.elf: entry point V0xffff800000100000 lies in no PT_LOAD segment (neither a virtual nor a physical "
       "range holds it)"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    CHECK(create_error(c.bytes()) == std::string(c.error));
  }
}

TEST_CASE("kernel image: load copies each PT_LOAD to p_paddr and zeroes the bss") {
  auto image = KernelImage::create_from_bytes("kernel.elf", good_elf().build(), Arch::Arm64);
  REQUIRE(bool(image));
  auto ram = make_ram(0xaa);  // so a missing zero fill shows
  REQUIRE(!image->load(*ram));
  CHECK(read_ram(*ram, kTextPa, 0x100) == pattern(0x100, 0x11));
  CHECK(read_ram(*ram, kTextPa + 0x100, 1) == std::vector<uint8_t>{0xaa});  // past memsz: untouched
  CHECK(read_ram(*ram, kDataPa, 0x20) == std::vector<uint8_t>(0x20, 0x5a));
  CHECK(read_ram(*ram, kDataPa + 0x20, 0x2000 - 0x20) == std::vector<uint8_t>(0x2000 - 0x20, 0));
  CHECK(read_ram(*ram, kDataPa + 0x2000, 1) == std::vector<uint8_t>{0xaa});
}

TEST_CASE("kernel image: load with a phys_offset moves every segment") {
  auto image = KernelImage::create_from_bytes("kernel.elf", good_elf().build(), Arch::Arm64);
  REQUIRE(bool(image));
  auto ram = make_ram(0xaa);
  const int64_t offset = 0x1000000;
  REQUIRE(!image->load(*ram, {.phys_offset = offset}));
  CHECK(read_ram(*ram, kTextPa + offset, 0x100) == pattern(0x100, 0x11));
  CHECK(read_ram(*ram, kDataPa + offset + 0x20, 0x1fe0) == std::vector<uint8_t>(0x1fe0, 0));
  CHECK(read_ram(*ram, kTextPa, 4) == std::vector<uint8_t>(4, 0xaa));  // the linked place is untouched
  CHECK(fmt::format("{}", image->footprint(offset)[0]) == "[P0x41080000, P0x41080100)");
}

TEST_CASE("kernel image: load refuses segments outside RAM or over reserved ranges, touching nothing") {
  auto ram = make_ram(0xaa);
  TestElf e = good_elf();
  e.segments[1].paddr = kRamBase + kRamSize - 0x1000;
  auto outside = KernelImage::create_from_bytes("kernel.elf", e.build(), Arch::Arm64);
  REQUIRE(bool(outside));
  CHECK(llvm::toString(outside->load(*ram)) ==
        "kernel.elf: segment 1 [P0x47fff000, P0x48001000) is not inside RAM (RAM: [P0x40000000, P0x48000000))");
  CHECK(read_ram(*ram, kTextPa, 4) == std::vector<uint8_t>(4, 0xaa));  // segment 0 was not written either

  auto image = KernelImage::create_from_bytes("kernel.elf", good_elf().build(), Arch::Arm64);
  REQUIRE(bool(image));
  KernelLoadOptions dtb{.reserved = {{{PhysAddr(kRamBase), 0x80800}, "DTB"}}};
  CHECK(llvm::toString(image->load(*ram, dtb)) ==
        "kernel.elf: segment 0 [P0x40080000, P0x40080100) overlaps the DTB [P0x40000000, P0x40080800)");
  CHECK(llvm::toString(image->load(*ram, {.phys_offset = -0x50000000})) ==
        "kernel.elf: segment 0 [P0x40080000, P0x40080100) moved by -0x50000000 leaves the physical address space");
  CHECK(llvm::toString(image->load(*ram, {.phys_offset = 0x10000000})) ==
        "kernel.elf: segment 0 [P0x50080000, P0x50080100) is not inside RAM (RAM: [P0x40000000, P0x48000000))");
  CHECK(read_ram(*ram, kTextPa, 4) == std::vector<uint8_t>(4, 0xaa));
}

TEST_CASE("kernel image: create reads a file and names it in errors") {
  std::string path = fmt::format("/tmp/kdsim-fwboot-test-{}.elf", ::getpid());
  {
    auto bytes = good_elf().build();
    std::ofstream f(path, std::ios::binary);
    f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  }
  auto image = KernelImage::create(path, Arch::Arm64);
  ::unlink(path.c_str());
  REQUIRE(bool(image));
  CHECK(image->name() == path);
  CHECK(image->segments().size() == 2);
  auto missing = KernelImage::create("/nonexistent/kernel.elf", Arch::Arm64);
  REQUIRE(!missing);
  CHECK(llvm::toString(missing.takeError()) == "/nonexistent/kernel.elf: cannot read: No such file or directory");
}

TEST_CASE("kernel image: symbolize names the function holding an address, as %pS prints it") {
  TestElf e = good_elf();
  e.symbols = {{"_start", kTextVa + 0x40}, {"helper", kTextVa + 0x80}};
  e.symbol_sizes = {{"_start", 0x20}, {"helper", 0x10}};
  auto image = KernelImage::create_from_bytes("kernel.elf", e.build(), Arch::Arm64);
  REQUIRE_MESSAGE(bool(image), llvm::toString(image.takeError()));
  CHECK(image->symbolize(VirtAddr(kTextVa + 0x44)) == "_start+0x4/0x20");
  CHECK(image->symbolize(VirtAddr(kTextVa + 0x8f)) == "helper+0xf/0x10");
  CHECK(!image->symbolize(VirtAddr(kTextVa + 0x60)));  // between the two functions
  CHECK(!image->symbolize(VirtAddr(kTextVa)));         // before any
  CHECK(!image->symbolize(VirtAddr(kTextVa + 0x90)));  // past helper's end
}

TEST_CASE("kernel image: source lines from the image's DWARF, the path from kernels/ on") {
  for (auto [path, arch, file] : {std::tuple{KDSIM_KERNEL_ARM64, Arch::Arm64, "kernels/arch/arm64/kernel/machine_kexec.c:"},
                                  std::tuple{KDSIM_KERNEL_X86_64, Arch::X86_64,
                                             "kernels/arch/x86_64/kernel/machine_kexec_64.c:"}}) {
    auto k = KernelImage::create(path, arch);
    REQUIRE(bool(k));
    auto at = k->symbol("machine_kexec");
    REQUIRE(at);
    auto line = k->source_line(*at);
    REQUIRE(line);
    CHECK(line->starts_with(file));
    CHECK_FALSE(k->source_line(VirtAddr(0x10)));  // no code there
  }
}
