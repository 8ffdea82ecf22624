// `kdsim run --gdb PORT`: a GDB remote-serial-protocol server on 127.0.0.1. The machine waits for
// gdb before its first instruction; each CPU is a thread; software and hardware breakpoints (Z0,
// Z1) are PCs the debugger hook stops before, whatever the translation regime (a kernel VA with
// the MMU on, a physical address with it off), so they keep working across the MMU-off hand-off,
// in the purgatory and in the capture kernel. Memory is read through the selected CPU's current
// translation. All-stop mode: when one CPU stops, the machine stops.
#pragma once
#include "machine/machine.h"
#include <llvm/Support/Error.h>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>

namespace kdsim {

class GdbServer {
public:
  // Port 0: the kernel picks a free one (port() tells which).
  static llvm::Expected<std::unique_ptr<GdbServer>> listen(uint16_t port);
  uint16_t port() const { return m_port; }
  ~GdbServer();
  GdbServer(const GdbServer&) = delete;
  GdbServer& operator=(const GdbServer&) = delete;

  // Blocks until gdb connects.
  llvm::Error accept();

  // How gdb let the machine go on.
  enum class Resume { Continue, Step, Kill, Detach };
  // Answers gdb's requests while the machine is stopped (`stopped_cpu` stopped it; the first
  // call is the stop before the first instruction) and applies the resume to the machine.
  Resume serve(Machine& machine, unsigned stopped_cpu);
  // The machine ended (power-off, fault, ...): tells gdb the "process" exited.
  void report_exit(int status);

private:
  GdbServer(int listen_fd, uint16_t port) : m_listen_fd(listen_fd), m_port(port) {}
  std::optional<std::string> read_packet();
  void send(std::string_view payload);
  std::string handle(Machine& m, const std::string& packet, std::optional<Resume>& resume);
  std::string query(Machine& m, const std::string& packet);
  std::string read_memory(Machine& m, const std::string& args);
  std::string breakpoint(const std::string& packet);
  std::string stop_reply() const;

  int m_listen_fd = -1;
  uint16_t m_port = 0;
  int m_fd = -1;
  std::string m_in;
  std::set<uint64_t> m_breakpoints;
  bool m_first_stop = true;  // gdb asks with '?' before the first instruction
  unsigned m_stopped_cpu = 0;
  unsigned m_g_cpu = 0;                 // Hg: the thread g/p/m refer to
  std::optional<unsigned> m_c_cpu;      // Hc: the thread s steps (none: the stopped one)
};

}  // namespace kdsim
