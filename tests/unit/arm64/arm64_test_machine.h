// A minimal arm64 machine for the CPU unit tests: 16 MiB of RAM at 0x40000000, two test
// devices on an MMIO bus (one page-sized, one 0x200-byte device sharing its page with
// nothing else mapped), a recording CpuHost, and helpers to load hand-encoded code.
#pragma once
#include "machine/bus.h"
#include "machine/cpu/arm64/arm64_cpu.h"
#include "machine/ram.h"
#include <doctest/doctest.h>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

namespace kdsim::test {

inline constexpr uint64_t kRamBase = 0x40000000, kRamSize = 16ull << 20;
inline constexpr uint64_t kCode = 0x40000000;      // EL1 code
inline constexpr uint64_t kUser = 0x40001000;      // EL0 code
inline constexpr uint64_t kVbar = 0x40002000;      // vector table (2 KiB aligned)
inline constexpr uint64_t kTables = 0x40010000;    // page tables
inline constexpr uint64_t kStackEl1 = 0x40100000;
inline constexpr uint64_t kStackEl0 = 0x40200000;
inline constexpr uint64_t kDevBase = 0x09000000;   // TestDevice, 0x1000 bytes
inline constexpr uint64_t kSmallDevBase = 0x0a000200;  // TestDevice, 0x200 bytes

// Vector table entry offsets (Arm ARM D1.10.2).
inline constexpr uint64_t kVecCurSpxSync = 0x200, kVecCurSpxIrq = 0x280, kVecLowerSync = 0x400;

struct TestDevice final : Device {
  struct Access {
    bool write;
    uint64_t offset;
    unsigned width;
    uint64_t value;
  };
  explicit TestDevice(uint64_t size) : m_size(size) {}
  std::string_view name() const override { return "testdev"; }
  uint64_t size() const override { return m_size; }
  uint64_t read(uint64_t offset, unsigned width) override {
    uint64_t v = 0xd0000000 + offset;
    log.push_back({false, offset, width, v});
    return v;
  }
  void write(uint64_t offset, unsigned width, uint64_t value) override {
    log.push_back({true, offset, width, value});
    if (on_write) on_write(offset, value);
  }
  uint64_t m_size;
  std::vector<Access> log;
  std::function<void(uint64_t, uint64_t)> on_write;
};

struct RecordingHost final : CpuHost {
  struct Call {
    FirmwareConduit conduit;
    uint16_t imm;
    uint64_t x0, pc;
  };
  void firmware_call(Cpu& cpu, FirmwareConduit conduit, uint16_t imm) override {
    auto& a = static_cast<Arm64Cpu&>(cpu);
    calls.push_back({conduit, imm, a.x(0), a.pc()});
    if (action) action(a);
  }
  std::vector<Call> calls;
  std::function<void(Arm64Cpu&)> action;
};

struct TestMachine {
  explicit TestMachine(unsigned index = 0) {
    auto r = Ram::create({PhysRange{PhysAddr(kRamBase), kRamSize}});
    REQUIRE(r);
    ram = std::move(*r);
    REQUIRE(!mmio.attach(kDevBase, dev));
    REQUIRE(!mmio.attach(kSmallDevBase, small_dev));
    cpu = make_cpu(index);
  }
  std::unique_ptr<Arm64Cpu> make_cpu(unsigned index) {
    auto c = Arm64Cpu::create(CpuConfig{.index = index, .ram = ram.get(), .mmio = &mmio, .host = &host});
    if (!c) FAIL(llvm::toString(c.takeError()));
    return std::move(*c);
  }
  void load(uint64_t pa, std::initializer_list<uint32_t> words) {
    std::vector<uint32_t> w(words);
    REQUIRE(!ram->write(PhysAddr(pa), {reinterpret_cast<const uint8_t*>(w.data()), w.size() * 4}));
  }
  void poke64(uint64_t pa, uint64_t value) {
    REQUIRE(!ram->write(PhysAddr(pa), {reinterpret_cast<const uint8_t*>(&value), 8}));
  }
  // Runs slices until something other than an expired quantum happens.
  HaltReason run_until_halt(uint64_t slice = 10000, unsigned max_slices = 100) {
    HaltReason h;
    for (unsigned i = 0; i < max_slices; ++i) {
      h = cpu->run(slice);
      if (h.kind != HaltKind::QuantumExpired) return h;
    }
    return h;
  }
  // Identity map of the RAM GiB (one level-1 block) through TTBR0 with a 39-bit VA space;
  // everything else, VA 0 included, has no translation. MMU on from the host.
  void enable_identity_mmu() {
    constexpr uint64_t kBlock = 1, kAf = 1u << 10, kInnerShareable = 3u << 8;
    poke64(kTables + 8 * 1, kRamBase | kBlock | kAf | kInnerShareable);
    cpu->set_sysreg(Arm64SysReg::MAIR_EL1, 0xff);
    // T0SZ=25, walks inner-shareable WBWA, 4 KiB granule, TTBR1 walks disabled (EPD1).
    cpu->set_sysreg(Arm64SysReg::TCR_EL1, 25 | (1u << 8) | (1u << 10) | (3u << 12) | (1u << 23));
    cpu->set_sysreg(Arm64SysReg::TTBR0_EL1, kTables);
    cpu->set_sysreg(Arm64SysReg::SCTLR_EL1, kSctlrEl1Reset | kSctlrM);
  }

  std::unique_ptr<Ram> ram;
  Bus mmio{"mmio"};
  TestDevice dev{0x1000};
  TestDevice small_dev{0x200};
  RecordingHost host;
  std::unique_ptr<Arm64Cpu> cpu;
};

}  // namespace kdsim::test
