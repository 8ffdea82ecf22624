#include "machine/devices/agent.h"
#include "machine/devices/gic.h"
#include "machine/devices/kdsim_device.h"
#include "machine/devices/power.h"
#include "machine/devices/psci.h"
#include "machine/devices/stage_port.h"
#include "machine/devices/uart.h"
#include <doctest/doctest.h>
#include <cstring>
#include <string>
#include <vector>

using namespace kdsim;

namespace {
struct Listener final : AgentListener {
  int hello = 0;
  std::string output;
  std::vector<int32_t> done;
  std::vector<std::string> errors;
  void agent_hello() override { ++hello; }
  void agent_output(std::string_view b) override { output.append(b); }
  void agent_done(int32_t s) override { done.push_back(s); }
  void agent_error(std::string_view w) override { errors.emplace_back(w); }
};
struct Console final : ConsoleSink {
  std::string text;
  void console_write(std::string_view b) override { text.append(b); }
};
struct Power final : PowerSink {
  std::vector<PowerRequest> requests;
  void power_request(PowerRequest r) override { requests.push_back(r); }
};
struct Stages final : StageSink {
  struct Seen { uint32_t code; uint64_t a0, a1; };
  std::vector<Seen> seen;
  void stage(uint32_t c, uint64_t a0, uint64_t a1) override { seen.push_back({c, a0, a1}); }
};
std::unique_ptr<Ram> small_ram() { return std::move(*Ram::create({{PhysAddr(0x40000000), 1 << 20}})); }
}  // namespace

TEST_CASE("agent: header, FETCH by DMA, OUTPUT, DONE, HELLO") {
  auto ram = small_ram();
  Listener l;
  Agent agent(*ram, l);
  CHECK(agent.read(0x00, 4) == kKdsimMagic);
  CHECK(agent.read(0x04, 4) == 1);
  CHECK(agent.read(0x10, 4) == 0);  // nothing waiting
  agent.queue_command("cat /proc/version");
  CHECK(agent.read(0x10, 4) == 1);  // CMD_READY
  CHECK(agent.read(0x14, 4) == 17);
  agent.write(0x18, 4, 0x40001000);
  agent.write(0x1c, 4, 0);
  agent.write(0x20, 4, 64);
  agent.write(0x24, 4, 1);  // FETCH
  CHECK(agent.read(0x2c, 4) == 0);
  CHECK(std::memcmp(ram->host_ptr(PhysAddr(0x40001000), 17), "cat /proc/version", 17) == 0);
  CHECK(agent.read(0x10, 4) == 0);
  CHECK(agent.read(0x14, 4) == 17);  // length of what was fetched stays readable
  std::memcpy(ram->host_ptr(PhysAddr(0x40002000), 5), "hello", 5);
  agent.write(0x18, 8, 0x40002000);  // 64-bit store to ADDR_LO sets the whole address
  agent.write(0x20, 4, 5);
  agent.write(0x24, 4, 2);  // OUTPUT
  agent.write(0x28, 4, static_cast<uint32_t>(-3));
  agent.write(0x24, 4, 3);  // DONE
  agent.write(0x24, 4, 4);  // HELLO
  CHECK(l.output == "hello");
  REQUIRE(l.done.size() == 1);
  CHECK(l.done[0] == -3);
  CHECK(l.hello == 1);
  agent.set_no_more_commands();
  CHECK(agent.read(0x10, 4) == 2);  // NO_MORE
}

TEST_CASE("agent: refused doorbells set ERROR and say why") {
  auto ram = small_ram();
  Listener l;
  Agent agent(*ram, l);
  agent.write(0x24, 4, 1);
  CHECK(agent.read(0x2c, 4) == 2);
  agent.queue_command("x");
  agent.write(0x18, 4, 0x1000);  // not RAM
  agent.write(0x20, 4, 16);
  agent.write(0x24, 4, 1);
  CHECK(agent.read(0x2c, 4) == 1);
  CHECK(agent.read(0x10, 4) == 1);  // the command is still waiting
  agent.write(0x24, 4, 99);
  CHECK(agent.read(0x2c, 4) == 3);
  REQUIRE(l.errors.size() == 3);
  CHECK(l.errors[0] == "FETCH with no command waiting");
  CHECK(l.errors[1] == "FETCH into [P0x1000, +0x1) which is not RAM");
  CHECK(l.errors[2] == "unknown doorbell 99");
}

TEST_CASE("stage port: arguments in halves or whole, code triggers a record") {
  Stages s;
  StagePort port(s);
  CHECK(port.read(0x04, 4) == 2);
  port.write(0x10, 4, 0x89abcdef);
  port.write(0x14, 4, 0x01234567);
  port.write(0x18, 8, 0xffff000012345678ull);
  port.write(0x20, 4, 0x05);
  REQUIRE(s.seen.size() == 1);
  CHECK(s.seen[0].code == 5);
  CHECK(s.seen[0].a0 == 0x0123456789abcdefull);
  CHECK(s.seen[0].a1 == 0xffff000012345678ull);
  port.write(0x20, 4, 0x06);  // arguments reset after each record
  CHECK(s.seen[1].a0 == 0);
}

TEST_CASE("uarts: PL011 and 16550 transmit, flags say ready") {
  Console c;
  Pl011 pl(c);
  pl.write(0x0, 1, 'o');
  pl.write(0x0, 4, 'k');
  CHECK((pl.read(0x18, 4) & (1 << 5)) == 0);  // TXFF clear
  CHECK(pl.read(0xfe0, 4) == 0x11);
  Uart16550 u(c);
  u.write(3, 1, 0x80);  // DLAB: divisor latch, not output
  u.write(0, 1, 'X');
  u.write(3, 1, 0x03);
  u.write(0, 1, '!');
  CHECK(u.read(5, 1) == 0x60);
  CHECK(c.text == "ok!");
}

TEST_CASE("uarts: a BREAK then 'c' received, the interrupt line only when the driver enabled it") {
  Console c;
  Pl011 pl(c);
  CHECK((pl.read(0x18, 4) & (1 << 4)) != 0);  // FR.RXFE: nothing received
  pl.receive({.ch = 0, .brk = true});
  pl.receive({.ch = 'c', .brk = false});
  CHECK((pl.read(0x18, 4) & (1 << 4)) == 0);
  CHECK(pl.read(0x3c, 4) == (1 << 4));  // RIS.RXRIS
  CHECK_FALSE(pl.irq_asserted());       // IMSC.RXIM clear: masked
  pl.write(0x38, 4, 1 << 4);
  CHECK(pl.irq_asserted());
  CHECK(pl.read(0x40, 4) == (1 << 4));  // MIS
  CHECK(pl.read(0x0, 4) == (1 << 10));  // DR: BE, data 0
  CHECK(pl.read(0x0, 4) == 'c');
  CHECK_FALSE(pl.irq_asserted());
  CHECK((pl.read(0x18, 4) & (1 << 4)) != 0);

  Uart16550 u(c);
  u.receive({.ch = 0, .brk = true});
  u.receive({.ch = 'c', .brk = false});
  CHECK(u.read(5, 1) == (0x60 | 0x01 | 0x10));  // LSR: DR and BI for the break
  CHECK(u.read(2, 1) == 0x01);                   // IIR: IER.ERBFI clear, nothing pending
  u.write(1, 1, 0x01);                           // IER.ERBFI
  CHECK_FALSE(u.irq_asserted());                 // MCR.OUT2 clear: the PC's line is gated
  u.write(4, 1, 0x08);
  CHECK(u.irq_asserted());
  CHECK(u.read(2, 1) == 0x04);  // IIR: receive data available
  CHECK(u.read(0, 1) == 0);     // the break's 0 byte
  CHECK(u.read(5, 1) == (0x60 | 0x01));
  CHECK(u.read(0, 1) == 'c');
  CHECK(u.read(5, 1) == 0x60);
  CHECK_FALSE(u.irq_asserted());
  CHECK(c.text.empty());
}

TEST_CASE("power ports: ACPI S5 and 0xcf9 reset") {
  Power p;
  AcpiPowerControl acpi(p);
  ResetControl reset(p);
  acpi.write(0, 2, 0x0000);  // SLP_EN clear: nothing
  reset.write(0, 1, 0x02);   // bit 2 clear: nothing
  acpi.write(0, 2, 0x2000);
  reset.write(0, 1, 0x06);
  REQUIRE(p.requests.size() == 2);
  CHECK(p.requests[0] == PowerRequest::Off);
  CHECK(p.requests[1] == PowerRequest::Reset);
}

TEST_CASE("psci: version, system off/reset, CPU_ON rules, unknown ids") {
  auto power_of = [](uint64_t mpidr) {
    if (mpidr == 0) return psci::CpuPower::On;
    if (mpidr == 1) return psci::CpuPower::Off;
    return psci::CpuPower::NotPresent;
  };
  CHECK(psci::handle({psci::kVersion}, power_of).result == 2);
  CHECK(psci::handle({psci::kSystemOff}, power_of).action == psci::Action::SystemOff);
  CHECK(psci::handle({psci::kSystemReset}, power_of).action == psci::Action::SystemReset);
  auto on = psci::handle({psci::kCpuOn64, 1, 0x40300000, 0x77}, power_of);
  CHECK(on.result == psci::kSuccess);
  CHECK(on.action == psci::Action::CpuOn);
  CHECK(on.target_cpu == 1);
  CHECK(on.entry == 0x40300000);
  CHECK(on.context == 0x77);
  CHECK(psci::handle({psci::kCpuOn64, 0, 0, 0}, power_of).result == psci::kAlreadyOn);
  CHECK(psci::handle({psci::kCpuOn64, 5, 0, 0}, power_of).result == psci::kInvalidParams);
  CHECK(psci::handle({psci::kAffinityInfo64, 1}, power_of).result == 1);
  CHECK(psci::handle({0x84000099}, power_of).result == psci::kNotSupported);
}

TEST_CASE("gicv2: a level SPI is presented to CPU 0 while high and enabled, once until its EOI") {
  GicState s(2);
  unsigned current = 0;
  GicDistributor dist(s, [&] { return current; });
  GicCpuInterface cpuif(s, [&] { return current; });
  dist.write(0x000, 4, 1);  // GICD_CTLR
  cpuif.write(0x000, 4, 1);  // GICC_CTLR (CPU 0)
  CHECK((dist.read(0x004, 4) & 0x1f) == 1);  // GICD_TYPER.ITLinesNumber: INTIDs 0-63
  s.set_spi_level(33, true);
  CHECK_FALSE(s.has_pending(0));  // not enabled yet
  dist.write(0x104, 4, 1u << 1);  // GICD_ISENABLER1: INTID 33
  CHECK(dist.read(0x104, 4) == (1u << 1));
  CHECK(s.has_pending(0));
  CHECK_FALSE(s.has_pending(1));          // SPIs go to CPU 0
  CHECK(cpuif.read(0x00c, 4) == 33);      // GICC_IAR
  CHECK_FALSE(s.has_pending(0));          // active: not presented again
  CHECK(cpuif.read(0x00c, 4) == 1023);
  cpuif.write(0x010, 4, 33);              // GICC_EOIR
  CHECK(s.has_pending(0));                // the line is still high
  s.set_spi_level(33, false);
  CHECK_FALSE(s.has_pending(0));
  dist.write(0x184, 4, 1u << 1);          // GICD_ICENABLER1
  s.set_spi_level(33, true);
  CHECK_FALSE(s.has_pending(0));
}
