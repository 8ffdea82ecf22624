#include "firmware-less-boot/kernel_image.h"
#include "firmware-less-boot/x86_boot.h"
#include "firmware-less-boot/x86_page_tables.h"
#include "machine/ram.h"
#include "tests/fwboot/elf_builder.h"
#include <doctest/doctest.h>
#include <cstring>
#include <optional>

using namespace kdsim;

namespace {

constexpr uint64_t kGiB = 1ull << 30;

// docs/devices.md: RAM is [0, min(RAM, 3 GiB)) plus the rest from 4 GiB.
std::vector<PhysRange> pc_ram(uint64_t size) {
  if (size <= 3 * kGiB) return {{PhysAddr(0), size}};
  return {{PhysAddr(0), 3 * kGiB}, {PhysAddr(4 * kGiB), size - 3 * kGiB}};
}

X86BootConfig config(uint64_t ram_size, std::string cmdline = "console=ttyS0 crashkernel=64M") {
  return {.ram = pc_ram(ram_size),
          .cmdline = std::move(cmdline),
          .kernel_footprint = {{PhysAddr(0x1000000), 0x200000}},
          .kernel_entry = PhysAddr(0x1000200)};
}

struct Booted {
  std::unique_ptr<Ram> ram;
  X86EntryState state;
};

// Boots into RAM whose low megabyte was filled with 0xaa, so missing zeroing shows.
Booted boot(uint64_t ram_size, std::string cmdline = "console=ttyS0 crashkernel=64M") {
  auto proto = X86BootProtocol::create(config(ram_size, std::move(cmdline)));
  REQUIRE_MESSAGE(bool(proto), llvm::toString(proto.takeError()));
  auto ram = Ram::create(pc_ram(ram_size));
  REQUIRE(bool(ram));
  REQUIRE(!(*ram)->fill(PhysAddr(0), 0x100000, 0xaa));
  auto state = proto->install(**ram);
  REQUIRE(bool(state));
  return {std::move(*ram), *state};
}

uint64_t rd(const Ram& ram, uint64_t pa, unsigned size) {
  uint64_t v = 0;
  REQUIRE(!ram.read(PhysAddr(pa), {reinterpret_cast<uint8_t*>(&v), size}));
  return v;  // host is little-endian, like the guest
}

// 4-level walk with 1 GiB pages, as the CPU does it (Intel SDM Vol. 3A 4.5). Checks that no
// entry on the way sets NX (bit 63), which Unicorn would fault on.
std::optional<uint64_t> walk(const Ram& ram, uint64_t cr3, uint64_t va) {
  constexpr uint64_t kAddr = 0x000ffffffffff000ull;
  uint64_t pml4e = rd(ram, (cr3 & kAddr) + ((va >> 39) & 511) * 8, 8);
  if (!(pml4e & 1)) return std::nullopt;
  uint64_t pdpte = rd(ram, (pml4e & kAddr) + ((va >> 30) & 511) * 8, 8);
  if (!(pdpte & 1)) return std::nullopt;
  CHECK((pdpte & (1ull << 7)) != 0);  // PS: a 1 GiB page
  CHECK((pml4e & pdpte & 2) != 0);    // writable all the way
  CHECK(((pml4e | pdpte) >> 63) == 0);
  return (pdpte & kAddr & ~(kGiB - 1)) | (va & (kGiB - 1));
}

struct E820 {
  uint64_t addr, size;
  uint32_t type;
  bool operator==(const E820&) const = default;
};

std::vector<E820> e820_from_zero_page(const Ram& ram) {
  std::vector<E820> out;
  unsigned n = static_cast<unsigned>(rd(ram, 0x7000 + 0x1e8, 1));
  for (unsigned i = 0; i < n; ++i) {
    uint64_t at = 0x7000 + 0x2d0 + 20 * i;
    out.push_back({rd(ram, at, 8), rd(ram, at + 8, 8), static_cast<uint32_t>(rd(ram, at + 16, 4))});
  }
  return out;
}

}  // namespace

TEST_CASE("x86 boot: boot_params fields sit at Linux's offsets") {
  Booted b = boot(1 * kGiB);
  const Ram& r = *b.ram;
  CHECK(rd(r, 0x7000 + 0x1fe, 2) == 0xaa55);  // hdr.boot_flag
  CHECK(rd(r, 0x7000 + 0x202, 4) == 0x53726448);  // hdr.header
  char magic[4];
  REQUIRE(!r.read(PhysAddr(0x7202), {reinterpret_cast<uint8_t*>(magic), 4}));
  CHECK(std::string(magic, 4) == "HdrS");
  CHECK(rd(r, 0x7000 + 0x206, 2) == 0x020f);  // hdr.version
  CHECK(rd(r, 0x7000 + 0x210, 1) == 0xff);    // hdr.type_of_loader
  CHECK(rd(r, 0x7000 + 0x228, 4) == 0x8000);  // hdr.cmd_line_ptr
  CHECK(rd(r, 0x7000 + 0x0c8, 4) == 0);       // ext_cmd_line_ptr
  CHECK(rd(r, 0x7000 + 0x238, 4) == 0x7ff);   // hdr.cmdline_size
  CHECK(rd(r, 0x7000 + 0x1e8, 1) == 3);       // e820_entries
  // The rest of the zero page is zero (the RAM under it was 0xaa).
  CHECK(rd(r, 0x7000, 8) == 0);
  CHECK(rd(r, 0x7000 + 0x1f1, 8) == 0);  // setup_sects .. ram_size
  CHECK(rd(r, 0x7000 + 0xff8, 8) == 0);
}

TEST_CASE("x86 boot: e820 of a 1 GiB machine") {
  Booted b = boot(1 * kGiB);
  CHECK(e820_from_zero_page(*b.ram) == std::vector<E820>{{0, 0x9fc00, 1},
                                                          {0x9fc00, 0x100000 - 0x9fc00, 2},
                                                          {0x100000, 0x40000000 - 0x100000, 1}});
}

TEST_CASE("x86 boot: e820 of a 6 GiB machine splits RAM at 3 GiB and resumes at 4 GiB") {
  Booted b = boot(6 * kGiB);
  CHECK(e820_from_zero_page(*b.ram) == std::vector<E820>{{0, 0x9fc00, 1},
                                                          {0x9fc00, 0x100000 - 0x9fc00, 2},
                                                          {0x100000, 0xc0000000 - 0x100000, 1},
                                                          {0x100000000, 0xc0000000, 1}});
}

TEST_CASE("x86 boot: the command line is NUL-terminated at 0x8000") {
  Booted b = boot(1 * kGiB, "console=ttyS0 root=/dev/agent");
  std::string s(32, '?');  // 29 characters, the NUL, then the zeroed rest of the page (was 0xaa)
  REQUIRE(!b.ram->read(PhysAddr(0x8000), {reinterpret_cast<uint8_t*>(s.data()), s.size()}));
  CHECK(s == std::string("console=ttyS0 root=/dev/agent") + std::string(3, '\0'));
}

TEST_CASE("x86 boot: the page tables identity-map the first 4 GiB and all RAM") {
  Booted small = boot(1 * kGiB);
  CHECK(small.state.cr3 == 0x9000);
  for (uint64_t va : {0x0ull, 0x7123ull, 0x1000200ull, 0x3fffffffull, 0xfeb00010ull, 0xffffffffull})
    CHECK(walk(*small.ram, small.state.cr3, va) == va);
  CHECK(walk(*small.ram, small.state.cr3, 0x100000000) == std::nullopt);

  Booted big = boot(6 * kGiB);
  for (uint64_t va : {0x9000ull, 0xbfffffffull, 0x100000000ull, 0x123456789ull, 0x1bfffffffull})
    CHECK(walk(*big.ram, big.state.cr3, va) == va);
  CHECK(walk(*big.ram, big.state.cr3, 0x1c0000000) == std::nullopt);
}

TEST_CASE("x86 boot: the GDT holds a flat 64-bit __BOOT_CS and a flat __BOOT_DS") {
  Booted b = boot(1 * kGiB);
  auto bit = [](uint64_t d, unsigned n) { return (d >> n) & 1; };
  CHECK(rd(*b.ram, 0x6000, 8) == 0);
  CHECK(rd(*b.ram, 0x6008, 8) == 0);
  uint64_t cs = rd(*b.ram, 0x6010, 8);
  uint64_t ds = rd(*b.ram, 0x6018, 8);
  for (uint64_t d : {cs, ds}) {
    CHECK((d & 0xffff) == 0xffff);       // limit 15:0
    CHECK(((d >> 48) & 0xf) == 0xf);     // limit 19:16
    CHECK(bit(d, 55) == 1);              // G: 4 KiB granularity, so 4 GiB
    CHECK(bit(d, 47) == 1);              // P
    CHECK(((d >> 45) & 3) == 0);         // DPL 0
    CHECK(bit(d, 44) == 1);              // S: code/data
    CHECK(((d >> 16) & 0xffffff) == 0);  // base 23:0
    CHECK((d >> 56) == 0);               // base 31:24
  }
  CHECK(bit(cs, 43) == 1);  // executable
  CHECK(bit(cs, 41) == 1);  // readable
  CHECK(bit(cs, 53) == 1);  // L: 64-bit code
  CHECK(bit(cs, 54) == 0);  // D must be 0 when L is 1
  CHECK(bit(ds, 43) == 0);  // data
  CHECK(bit(ds, 41) == 1);  // writable
  CHECK(bit(ds, 54) == 1);  // B: 32-bit stack
  CHECK(b.state.gdtr_base == 0x6000);
  CHECK(b.state.gdtr_limit == 0x1f);
  // The boot area before the GDT is cleared too (it was 0xaa).
  CHECK(rd(*b.ram, 0x6020, 8) == 0);
}

TEST_CASE("x86 boot: entry state follows the 64-bit boot protocol") {
  Booted b = boot(1 * kGiB);
  const X86EntryState& s = b.state;
  CHECK(s.rip == 0x1000200);
  CHECK(s.rsi == 0x7000);
  CHECK(s.rsp == 0);
  CHECK(s.rflags == 0x2);  // IF clear
  CHECK(s.cr0 == 0x80010033);  // PG|WP|NE|ET|MP|PE
  CHECK(s.cr4 == 0x20);        // PAE
  CHECK(s.efer == 0x500);      // LMA|LME
  CHECK(s.cs == 0x10);
  CHECK(s.ds == 0x18);
  CHECK(s.es == 0x18);
  CHECK(s.ss == 0x18);
}

TEST_CASE("x86 boot: bad configurations are refused with exact messages") {
  auto error = [](X86BootConfig c) {
    auto p = X86BootProtocol::create(std::move(c));
    return p ? std::string("(built)") : llvm::toString(p.takeError());
  };
  CHECK(error(config(kGiB, std::string(2047, 'a'))) == "(built)");
  CHECK(error(config(kGiB, std::string(2048, 'a'))) ==
        "x86: command line is 0x800 bytes; COMMAND_LINE_SIZE allows 0x7ff plus the NUL");
  X86BootConfig low = config(kGiB);
  low.kernel_footprint = {{PhysAddr(0x8000), 0x1000}};
  CHECK(error(low) ==
        "x86: kernel at [P0x8000, P0x9000) overlaps the boot area [P0x6000, P0xb000) (GDT, boot_params, command "
        "line, page tables)");
  X86BootConfig high_ram = config(kGiB);
  high_ram.ram = {{PhysAddr(0x100000), kGiB}};
  CHECK(error(high_ram) ==
        "x86: boot area [P0x6000, P0xb000) is not inside RAM (RAM: [P0x100000, P0x40100000))");
  // 1 GiB pages: the tables of the board's largest machine still fit below 0x9fc00.
  CHECK(error(config(600 * kGiB)) == "(built)");
  CHECK(error(config(1024 * kGiB)) == "(built)");
}

TEST_CASE("x86 identity tables: 1 GiB pages, one PDPT per 512 GiB, the lower half at most") {
  auto t = x86::build_identity_page_tables(PhysAddr(0x9000), 600 * kGiB + 1);
  REQUIRE(bool(t));
  CHECK(fmt::format("{}", t->area) == "[P0x9000, P0xc000)");  // PML4 + 2 PDPTs
  CHECK(t->mapped.size == 601 * kGiB);
  uint64_t pdpte = 0;
  std::memcpy(&pdpte, t->bytes.data() + 0x2000 + 88 * 8, 8);  // GiB 600 = PDPT 1, entry 88
  CHECK(pdpte == (600 * kGiB | 0x83));                         // present, writable, PS
  auto huge = x86::build_identity_page_tables(PhysAddr(0x9000), (128ull << 40) + kGiB);
  REQUIRE_FALSE(bool(huge));
  CHECK(llvm::toString(huge.takeError()) ==
        "x86: identity map of [P0x0, P0x800040000000) does not fit the lower half of a 4-level VA space "
        "(0x800000000000 bytes at most)");
}

TEST_CASE("x86 boot: a 1 TiB machine is identity-mapped up to MAXPHYADDR by a PML4 and two PDPTs") {
  auto proto = X86BootProtocol::create(config(1024 * kGiB));
  REQUIRE(bool(proto));
  // RAM ends at 1 TiB + 1 GiB (3 GiB low, the rest from 4 GiB); the CPU's 40 physical address
  // bits stop the map at 1 TiB: two PDPTs.
  CHECK(fmt::format("{}", proto->boot_area()) == "[P0x6000, P0xc000)");
  CHECK(proto->identity_mapped().size == 1024 * kGiB);
  auto ram = Ram::create(pc_ram(1024 * kGiB));
  REQUIRE(bool(ram));
  auto state = proto->install(**ram);
  REQUIRE(bool(state));
  for (uint64_t va : {0x0ull, 0xfeb00010ull, 0x8000000000ull, 0xffffffffffull})
    CHECK(walk(**ram, state->cr3, va) == va);
  CHECK(walk(**ram, state->cr3, 0x10000000000ull) == std::nullopt);
  // Only the boot area was written: the tables do not grow with RAM.
  CHECK((*ram)->resident_bytes() <= 0x100000);
}

TEST_CASE("x86 boot: the boot area is a reserved range for the kernel loader") {
  auto proto = X86BootProtocol::create(config(kGiB));
  REQUIRE(bool(proto));
  CHECK(fmt::format("{}", proto->boot_area()) == "[P0x6000, P0xb000)");
  test::TestElf e;
  e.machine = test::kEmX86_64;
  e.entry = 0x8000;
  e.segments = {{.vaddr = 0x8000, .paddr = 0x8000, .payload = std::vector<uint8_t>(0x100, 0x90)}};
  auto image = KernelImage::create_from_bytes("k.elf", e.build(), Arch::X86_64);
  REQUIRE(bool(image));
  auto ram = Ram::create(pc_ram(kGiB));
  REQUIRE(bool(ram));
  CHECK(llvm::toString(image->load(**ram, {.reserved = {proto->reserved()}})) ==
        "k.elf: segment 0 [P0x8000, P0x8100) overlaps the x86 boot area [P0x6000, P0xb000)");
}

namespace {
uint8_t sum(const Ram& ram, uint64_t pa, uint64_t len) {
  uint8_t s = 0;
  for (uint64_t i = 0; i < len; ++i) s = static_cast<uint8_t>(s + rd(ram, pa + i, 1));
  return s;
}
std::string sig(const Ram& ram, uint64_t pa, unsigned n) {
  std::string s(n, '\0');
  REQUIRE(!ram.read(PhysAddr(pa), {reinterpret_cast<uint8_t*>(s.data()), n}));
  return s;
}
}  // namespace

TEST_CASE("x86 boot: ACPI RSDP -> XSDT -> MADT with one enabled local APIC per CPU, found via boot_params") {
  auto cfg = config(1 * kGiB);
  cfg.cpus = 4;
  auto proto = X86BootProtocol::create(cfg);
  REQUIRE_MESSAGE(bool(proto), llvm::toString(proto.takeError()));
  auto ram = Ram::create(pc_ram(1 * kGiB));
  REQUIRE(bool(ram));
  REQUIRE(bool(proto->install(**ram)));
  const Ram& r = **ram;
  const uint64_t rsdp = rd(r, 0x7000 + 0x070, 8);  // boot_params.acpi_rsdp_addr
  CHECK(rsdp == 0xe0000);
  CHECK(sig(r, rsdp, 8) == "RSD PTR ");
  CHECK(sum(r, rsdp, 20) == 0);
  CHECK(sum(r, rsdp, 36) == 0);
  CHECK(rd(r, rsdp + 15, 1) == 2);
  const uint64_t xsdt = rd(r, rsdp + 24, 8);
  CHECK(sig(r, xsdt, 4) == "XSDT");
  CHECK(sum(r, xsdt, rd(r, xsdt + 4, 4)) == 0);
  const uint64_t madt = rd(r, xsdt + 36, 8);
  CHECK(sig(r, madt, 4) == "APIC");
  const uint64_t len = rd(r, madt + 4, 4);
  CHECK(len == 44 + 4 * 8);
  CHECK(sum(r, madt, len) == 0);
  CHECK(rd(r, madt + 36, 4) == 0xfee00000);
  for (unsigned cpu = 0; cpu < 4; ++cpu) {
    const uint64_t e = madt + 44 + 8 * cpu;
    CHECK(rd(r, e, 2) == 0x0800);            // type 0 (Processor Local APIC), length 8
    CHECK(rd(r, e + 3, 1) == cpu);           // APIC ID
    CHECK(rd(r, e + 4, 4) == 1);             // enabled
  }
  // The tables sit in the BIOS area e820 reports reserved.
  bool reserved = false;
  for (const auto& e : proto->e820())
    reserved |= e.type == x86::E820Type::Reserved && e.range.contains(PhysAddr(rsdp), madt + len - rsdp);
  CHECK(reserved);
}

TEST_CASE("x86 boot: a CPU count the MADT cannot describe is an error") {
  auto cfg = config(1 * kGiB);
  cfg.cpus = 0;
  auto proto = X86BootProtocol::create(cfg);
  REQUIRE_FALSE(bool(proto));
  CHECK(llvm::toString(proto.takeError()) == "x86: 0 CPUs: the MADT describes 1 to 255");
}
