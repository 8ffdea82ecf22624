// Linear aliases: VAs that are not physical addresses, backed lazily from the page tables.
#include "machine/cpu/x86_64/x86_page_walk.h"
#include "tests/unit/x86_64/x86_test_machine.h"

using namespace kdsim;
using namespace kdsim::x86_test;

namespace {
constexpr uint64_t kHighPa = 0x1000000, kHighPa2 = 0x1200000;
constexpr uint64_t kData = 0x1122334455667788, kData2 = 0x99aabbccddeeff00;

// VA 0xffffffff80000000 + 2 MiB -> PA kHighPa; VA +0x200000 (2 MiB) -> PA 0xfea00000, so
// VA +0x300000 is the agent device at 0xfeb00000.
void map_high_half(TestMachine& m, uint64_t pa) {
  m.put64(kPml4 + 8 * 511, kPdptHigh | 3);
  m.put64(kPdptHigh + 8 * 510, kPdHigh | 3);
  m.put64(kPdHigh, pa | 0x83);
  m.put64(kPdHigh + 8, 0xfea00000 | 0x83);
}

// At the high VA (rbx = its base): read +0x100, store it at +0x108, read the device magic.
void put_high_code(TestMachine& m, uint64_t pa, uint64_t data) {
  m.put(pa, {
      0x48, 0x8b, 0x83, 0x00, 0x01, 0x00, 0x00,  // mov rax, [rbx+0x100]
      0x48, 0x89, 0x83, 0x08, 0x01, 0x00, 0x00,  // mov [rbx+0x108], rax
      0x8b, 0x8b, 0x00, 0x00, 0x30, 0x00,        // mov ecx, [rbx+0x300000]
      0xf4,                                      // hlt
  });
  m.put64(pa + 0x100, data);
}

void put_jump_high(TestMachine& m) {
  m.put(kCode, {
      0x48, 0xbb, 0x00, 0x00, 0x00, 0x80, 0xff, 0xff, 0xff, 0xff,  // movabs rbx, 0xffffffff80000000
      0xff, 0xe3,                                                  // jmp rbx
  });
}
}  // namespace

TEST_CASE("x86 page walk: 4 KiB, 2 MiB and 1 GiB leaves, absent entries") {
  TestMachine m;
  m.build_tables();
  m.unmap_null_page();
  map_high_half(m, kHighPa);
  m.put64(kPdptHigh + 8 * 511, 0x40000000 | 0x83);  // 1 GiB leaf at VA 0xffffffffc0000000
  auto small = x86::walk_page_tables(*m.ram, kPml4, 0x5123);
  REQUIRE(small);
  CHECK(small->size == 0x1000);
  CHECK(small->translate(0x5123) == 0x5123);
  auto big = x86::walk_page_tables(*m.ram, kPml4, kHighBase + 0x1234);
  REQUIRE(big);
  CHECK(big->size == 0x200000);
  CHECK(big->va_base == kHighBase);
  CHECK(big->translate(kHighBase + 0x1234) == kHighPa + 0x1234);
  auto huge = x86::walk_page_tables(*m.ram, kPml4, 0xffffffffc0123456);
  REQUIRE(huge);
  CHECK(huge->size == 0x40000000);
  CHECK(huge->translate(0xffffffffc0123456) == 0x40123456);
  CHECK_FALSE(x86::walk_page_tables(*m.ram, kPml4, 0));                   // PT[0] absent
  CHECK_FALSE(x86::walk_page_tables(*m.ram, kPml4, kAbsentPage2M + 8));   // PD[15] absent
  CHECK_FALSE(x86::walk_page_tables(*m.ram, kPml4, 0x0000800000000000));  // not canonical
}

TEST_CASE("x86 high-half VA reached through lazy RAM and device aliases") {
  TestMachine m;
  m.boot();
  map_high_half(m, kHighPa);
  put_high_code(m, kHighPa, kData);
  put_jump_high(m);
  HaltReason h = m.run();
  REQUIRE_MESSAGE(h.kind == HaltKind::Idle, h.detail);
  CHECK(m.cpu->pc() == kHighBase + 21);
  CHECK(m.cpu->reg(X86Reg::Rax) == kData);
  CHECK(m.get64(kHighPa + 0x108) == kData);  // the store went to the PA behind the VA
  CHECK(m.cpu->reg(X86Reg::Rcx) == kMagic);
  auto maps = m.cpu->linear_mappings();
  REQUIRE(maps.size() == 2);
  CHECK(maps[0].kind == X86LinearKind::Ram);
  CHECK(maps[0].va == VirtAddr(kHighBase));
  CHECK(maps[0].size == 0x200000);
  CHECK(maps[0].pa == PhysAddr(kHighPa));
  CHECK(maps[1].kind == X86LinearKind::Device);
  CHECK(maps[1].va == VirtAddr(kHighBase + 0x300000));
  CHECK(maps[1].pa == PhysAddr(kAgentBase));
  CHECK(m.cpu->snapshot().pc == VirtAddr(kHighBase + 21));
}

TEST_CASE("x86 NULL dereference under paging: #PF with CR2 0 through a fault shadow") {
  TestMachine m(0x1000);  // page 0 is not RAM, so VA 0 is in no Unicorn region
  m.boot();
  m.unmap_null_page();
  m.put(kCode, {0x48, 0x8b, 0x04, 0x25, 0x00, 0x00, 0x00, 0x00});  // mov rax, [0]
  REQUIRE(m.run().kind == HaltKind::Idle);
  CHECK(m.cpu->reg(X86Reg::R15) == 14);
  CHECK(m.cpu->reg(X86Reg::Cr2) == 0);
  CHECK(m.get64(m.cpu->reg(X86Reg::Rsp)) == 0);          // error code: read, not present
  CHECK(m.get64(m.cpu->reg(X86Reg::Rsp) + 8) == kCode);  // RIP at the load
  CHECK(m.cpu->linear_stats().fault_shadows == 1);
  CHECK(m.cpu->linear_mappings().empty());  // the shadow went away with its #PF
}

TEST_CASE("x86 a mapped VA whose PA is neither RAM nor a device is a guest fault") {
  TestMachine m;
  m.boot();
  map_high_half(m, 0x80000000);  // beyond the 32 MiB of RAM
  put_jump_high(m);
  HaltReason h = m.run();
  CHECK(h.kind == HaltKind::GuestFault);
  CHECK(h.detail == "V0xffffffff80000000 maps to P0x80000000, which is neither RAM nor a device (RIP V0xffffffff80000000)");
}

TEST_CASE("x86 forget_linear_aliases drops the aliases; the next kernel's tables are used") {
  TestMachine m;
  m.boot();
  map_high_half(m, kHighPa);
  put_high_code(m, kHighPa, kData);
  put_jump_high(m);
  REQUIRE(m.run().kind == HaltKind::Idle);
  REQUIRE(m.cpu->reg(X86Reg::Rax) == kData);
  REQUIRE(m.cpu->linear_mappings().size() == 2);

  // "kernel 2": same VA, other PA
  map_high_half(m, kHighPa2);
  put_high_code(m, kHighPa2, kData2);
  m.cpu->forget_linear_aliases();
  CHECK(m.cpu->linear_mappings().empty());
  m.cpu->set_pc(kCode);
  REQUIRE(m.run().kind == HaltKind::Idle);
  CHECK(m.cpu->reg(X86Reg::Rax) == kData2);
  CHECK(m.get64(kHighPa2 + 0x108) == kData2);
  CHECK(m.cpu->reg(X86Reg::Rcx) == kMagic);
  CHECK(m.cpu->linear_stats().ram_aliases == 2);
  CHECK(m.cpu->linear_stats().device_aliases == 2);
  REQUIRE(m.cpu->linear_mappings().size() == 2);
  CHECK(m.cpu->linear_mappings()[0].pa == PhysAddr(kHighPa2));
}

TEST_CASE("x86 demand paging: the #PF handler maps the page, the retried access reaches RAM") {
  TestMachine m(0x1000);
  m.boot();
  m.unmap_null_page();
  m.put64(0x5000, kData);
  m.put(kCode, {0x48, 0x8b, 0x04, 0x25, 0x00, 0x00, 0x00, 0x00, 0xf4});  // mov rax, [0] ; hlt
  m.set_gate(14, kHandler);
  m.put(kHandler, {
      0x5b,                                                              // pop rbx
      0x48, 0xc7, 0x04, 0x25, 0x00, 0x30, 0x01, 0x00, 0x07, 0x50, 0x00, 0x00,  // mov qword [PT[0]], 0x5007
      0x48, 0xcf,                                                        // iretq (retry the load)
  });
  HaltReason h = m.run();
  REQUIRE_MESSAGE(h.kind == HaltKind::Idle, h.detail);
  CHECK(m.cpu->reg(X86Reg::Rax) == kData);  // not the zero fault shadow
  CHECK(m.cpu->linear_stats().fault_shadows == 1);
  REQUIRE(m.cpu->linear_mappings().size() == 1);
  CHECK(m.cpu->linear_mappings()[0].kind == X86LinearKind::Ram);
  CHECK(m.cpu->linear_mappings()[0].va == VirtAddr(0));
  CHECK(m.cpu->linear_mappings()[0].pa == PhysAddr(0x5000));
}
