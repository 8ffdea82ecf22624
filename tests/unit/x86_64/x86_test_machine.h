// A small x86_64 test machine: RAM at 0, an MMIO bus with two kdsim-like devices sharing one
// page, a port bus, and helpers that build the GDT/IDT/TSS/page tables a test guest needs.
//
// Physical layout used by the tests:
//   0x1000 GDT   0x2000 IDT   0x3000 TSS
//   0x10000 PML4, 0x11000 PDPT, 0x12000 PD (identity 0..1 GiB, 2 MiB pages, PD[15] absent),
//   0x13000 PT (optional 4 KiB pages for 0..2 MiB, PT[0] absent),
//   0x14000 / 0x15000 PDPT / PD of the high half (VA 0xffffffff80000000)
//   0x20000 test code   0x30000 + 16 * v: stub of vector v   0x31000 custom handlers
//   0x40000 user code   0x50000 user stack top   0x80000 kernel stack top
//   0x90000 TSS.RSP0    0xa0000 TSS.IST1
#pragma once
#include "machine/bus.h"
#include "machine/cpu/x86_64/x86_64_cpu.h"
#include "machine/ram.h"
#include <doctest/doctest.h>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <vector>

namespace kdsim::x86_test {

inline constexpr uint64_t kGdt = 0x1000, kIdt = 0x2000, kTss = 0x3000;
inline constexpr uint64_t kPml4 = 0x10000, kPdpt = 0x11000, kPd = 0x12000, kPt = 0x13000;
inline constexpr uint64_t kPdptHigh = 0x14000, kPdHigh = 0x15000;
inline constexpr uint64_t kCode = 0x20000, kStubs = 0x30000, kHandler = 0x31000;
inline constexpr uint64_t kUserCode = 0x40000, kUserStack = 0x50000, kStack = 0x80000;
inline constexpr uint64_t kRsp0 = 0x90000, kIst1 = 0xa0000;
inline constexpr uint64_t kAbsentPage2M = 0x1e00000;  // PD[15] is not present
inline constexpr uint64_t kHighBase = 0xffffffff80000000ull;
inline constexpr uint64_t kAgentBase = 0xfeb00000;
inline constexpr uint32_t kMagic = 0x6b64736d;
inline constexpr uint64_t kIf = 1ull << 9;

struct Access {
  uint64_t offset;
  unsigned width;
  uint64_t value;
  bool operator==(const Access&) const = default;
};

// Records writes; reads return MAGIC at 0, 0x60 at 5 (a UART LSR), else 0.
struct TestDevice final : Device {
  std::string m_name;
  uint64_t m_size;
  std::vector<Access> writes;
  std::function<void()> on_write;
  TestDevice(std::string n, uint64_t s) : m_name(std::move(n)), m_size(s) {}
  std::string_view name() const override { return m_name; }
  uint64_t size() const override { return m_size; }
  uint64_t read(uint64_t offset, unsigned) override { return offset == 0 ? kMagic : offset == 5 ? 0x60 : 0; }
  void write(uint64_t offset, unsigned width, uint64_t v) override {
    writes.push_back({offset, width, v});
    if (on_write) on_write();
  }
};

struct TestMachine {
  std::unique_ptr<Ram> ram;
  Bus mmio{"mmio"}, ports{"ports"};
  TestDevice agent{"agent", 0x200}, stage{"stage", 0x200}, uart{"uart", 8}, post{"post", 1};
  std::unique_ptr<X86_64Cpu> cpu;

  // ram_base 0x1000 leaves page 0 out of RAM (for the fault-shadow test).
  explicit TestMachine(uint64_t ram_base = 0) {
    auto r = Ram::create({PhysRange{PhysAddr(ram_base), (32ull << 20) - ram_base}});
    REQUIRE(r);
    ram = std::move(*r);
    attach(mmio, kAgentBase, agent);
    attach(mmio, kAgentBase + 0x200, stage);
    attach(ports, 0x3f8, uart);
    attach(ports, 0x80, post);
    auto c = X86_64Cpu::create({.index = 0, .ram = ram.get(), .mmio = &mmio, .ports = &ports});
    if (!c) FAIL(llvm::toString(c.takeError()));
    cpu = std::move(*c);
  }

  static void attach(Bus& bus, uint64_t base, Device& d) {
    if (auto e = bus.attach(base, d)) FAIL(llvm::toString(std::move(e)));
  }
  void put(uint64_t pa, std::initializer_list<uint8_t> bytes) {
    REQUIRE(!ram->write(PhysAddr(pa), std::span<const uint8_t>(bytes.begin(), bytes.size())));
  }
  void put64(uint64_t pa, uint64_t v) {
    REQUIRE(!ram->write(PhysAddr(pa), std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(&v), 8)));
  }
  uint64_t get64(uint64_t pa) {
    uint64_t v = 0;
    REQUIRE(!ram->read(PhysAddr(pa), std::span<uint8_t>(reinterpret_cast<uint8_t*>(&v), 8)));
    return v;
  }

  void set_gate(unsigned vector, uint64_t handler, unsigned dpl = 0, unsigned ist = 0, unsigned type = 0xe) {
    uint64_t lo = (handler & 0xffff) | (0x08ull << 16) | (uint64_t(ist) << 32) |
                  (uint64_t(type | (dpl << 5) | 0x80) << 40) | ((handler >> 16 & 0xffff) << 48);
    put64(kIdt + 16 * vector, lo);
    put64(kIdt + 16 * vector + 8, handler >> 32);
  }

  // GDT: 0x08 kernel code64, 0x10 kernel data, 0x18 user code32 (SYSRET base), 0x20 user
  // data, 0x28 user code64, 0x30 TSS. IDT: every vector -> a stub `mov r15d, v; hlt`.
  void build_tables() {
    put64(kGdt + 0x08, 0x00af9a000000ffff);
    put64(kGdt + 0x10, 0x00cf92000000ffff);
    put64(kGdt + 0x18, 0x00cffa000000ffff);
    put64(kGdt + 0x20, 0x00cff2000000ffff);
    put64(kGdt + 0x28, 0x00affa000000ffff);
    put64(kGdt + 0x30, 0x0000890000000067 | ((kTss & 0xffffff) << 16) | ((kTss >> 24 & 0xff) << 56));
    put64(kGdt + 0x38, kTss >> 32);
    put64(kTss + 4, kRsp0);
    put64(kTss + 0x24, kIst1);
    for (unsigned v = 0; v < 256; ++v) {
      // mov r15d, v ; hlt
      put(kStubs + 16 * v, {0x41, 0xbf, uint8_t(v), 0x00, 0x00, 0x00, 0xf4});
      set_gate(v, kStubs + 16 * v, v == 3 || v == 0x80 ? 3 : 0);
    }
    // identity 0..1 GiB with 2 MiB pages (P RW U PS), except PD[15]
    put64(kPml4, kPdpt | 7);
    put64(kPdpt, kPd | 7);
    for (uint64_t i = 0; i < 512; ++i)
      if (i * (2ull << 20) != kAbsentPage2M) put64(kPd + 8 * i, (i << 21) | 0x87);
  }

  // 4 KiB pages for 0..2 MiB with page 0 absent (NULL stays unmapped).
  void unmap_null_page() {
    put64(kPd, kPt | 7);
    for (uint64_t i = 1; i < 512; ++i) put64(kPt + 8 * i, (i << 12) | 7);
  }

  // docs/boot.md state with paging on, plus the test IDT and a kernel stack.
  void boot(uint64_t rip = kCode) {
    build_tables();
    cpu->enter_boot_state({.gdtr = {kGdt, 0x3f}, .cr3 = kPml4, .code_selector = 0x08, .data_selector = 0x10,
                           .rip = rip, .rsi = 0});
    cpu->set_idtr(kIdt, 0xfff);
    cpu->set_reg(X86Reg::Rsp, kStack);
    cpu->set_reg(X86Reg::R15, ~0ull);
  }

  HaltReason run(uint64_t budget = 1'000'000) { return cpu->run(budget); }
};

// Kernel code that loads TR and enters ring 3 at kUserCode with the user stack, IF set.
inline void enter_user_code(TestMachine& m) {
  m.put(kCode, {
      0x66, 0xb8, 0x30, 0x00,        // mov ax, 0x30
      0x0f, 0x00, 0xd8,              // ltr ax
      0x6a, 0x23,                    // push 0x23          (SS)
      0x68, 0x00, 0x00, 0x05, 0x00,  // push 0x50000       (RSP)
      0x68, 0x02, 0x02, 0x00, 0x00,  // push 0x202         (RFLAGS)
      0x6a, 0x2b,                    // push 0x2b          (CS)
      0x68, 0x00, 0x00, 0x04, 0x00,  // push 0x40000       (RIP)
      0x48, 0xcf,                    // iretq
  });
}

}  // namespace kdsim::x86_test
