#include "sim/gdb_server.h"
#include "machine/error.h"
#include "sim/gdb_protocol.h"
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace kdsim {

llvm::Expected<std::unique_ptr<GdbServer>> GdbServer::listen(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return make_error("--gdb: socket: {}", std::strerror(errno));
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 1) != 0) {
    std::string why = std::strerror(errno);
    ::close(fd);
    return make_error("--gdb: cannot listen on 127.0.0.1:{}: {}", port, why);
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  return std::unique_ptr<GdbServer>(new GdbServer(fd, ntohs(addr.sin_port)));
}

GdbServer::~GdbServer() {
  if (m_fd >= 0) ::close(m_fd);
  if (m_listen_fd >= 0) ::close(m_listen_fd);
}

llvm::Error GdbServer::accept() {
  m_fd = ::accept4(m_listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
  if (m_fd < 0) return make_error("--gdb: accept: {}", std::strerror(errno));
  // Every packet is small and answered at once: without this, Nagle + delayed ACKs add ~40 ms
  // to each of the several round trips a single `stepi` takes.
  int one = 1;
  ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return llvm::Error::success();
}

std::optional<std::string> GdbServer::read_packet() {
  for (;;) {
    bool bad = false;
    if (auto p = gdb::take_packet(m_in, bad)) {
      ::send(m_fd, "+", 1, MSG_NOSIGNAL);
      return p;
    }
    if (bad) ::send(m_fd, "-", 1, MSG_NOSIGNAL);
    char buf[4096];
    ssize_t n = ::recv(m_fd, buf, sizeof buf, 0);
    if (n <= 0) return std::nullopt;  // gdb went away
    m_in.append(buf, static_cast<size_t>(n));
  }
}

void GdbServer::send(std::string_view payload) {
  std::string framed = gdb::frame(payload);
  ::send(m_fd, framed.data(), framed.size(), MSG_NOSIGNAL);
}

std::string GdbServer::stop_reply() const { return fmt::format("T05thread:{:x};", m_stopped_cpu + 1); }

GdbServer::Resume GdbServer::serve(Machine& m, unsigned stopped_cpu) {
  m_stopped_cpu = m_g_cpu = stopped_cpu;
  m_c_cpu.reset();
  if (!m_first_stop) send(stop_reply());  // the answer to the c / s that ran the machine
  m_first_stop = false;
  for (;;) {
    auto packet = read_packet();
    if (!packet) return Resume::Detach;  // connection closed: run on without a debugger
    std::optional<Resume> resume;
    std::string reply = handle(m, *packet, resume);
    if (resume) {
      if (*resume == Resume::Detach) send("OK");
      m.set_breakpoints(*resume == Resume::Detach ? std::set<uint64_t>{} : m_breakpoints);
      std::optional<unsigned> step;
      if (*resume == Resume::Step) step = m_c_cpu.value_or(m_stopped_cpu);
      m.debug_resume(step);
      return *resume;
    }
    send(reply);
  }
}

void GdbServer::report_exit(int status) {
  if (m_fd >= 0) send(fmt::format("W{:02x}", status & 0xff));
}

std::string GdbServer::handle(Machine& m, const std::string& p, std::optional<Resume>& resume) {
  if (p.empty()) return "";
  const Arch arch = m.config().arch;
  switch (p[0]) {
  case '?': return stop_reply();
  case 'g': return gdb::registers_hex(arch, m.cpu(m_g_cpu).registers());
  case 'p': {
    auto n = gdb::parse_hex_number(std::string_view(p).substr(1));
    auto hex = n ? gdb::register_hex(arch, m.cpu(m_g_cpu).registers(), static_cast<unsigned>(*n)) : std::nullopt;
    return hex.value_or("E45");
  }
  case 'm': return read_memory(m, p.substr(1));
  case 'H': {
    // Hg<thread> / Hc<thread>: 0 = any, -1 = all; threads are CPUs + 1.
    auto t = p.size() > 2 && p[2] != '-' ? gdb::parse_hex_number(std::string_view(p).substr(2)) : std::nullopt;
    if (t && *t > m.cpu_count()) return "E22";
    std::optional<unsigned> cpu;
    if (t && *t != 0) cpu = static_cast<unsigned>(*t - 1);
    if (p[1] == 'g') m_g_cpu = cpu.value_or(m_stopped_cpu);
    else m_c_cpu = cpu;
    return "OK";
  }
  case 'T': {
    auto t = gdb::parse_hex_number(std::string_view(p).substr(1));
    return t && *t >= 1 && *t <= m.cpu_count() ? "OK" : "E22";
  }
  case 'Z':
  case 'z': return breakpoint(p);
  case 'c': resume = Resume::Continue; return "";
  case 's': resume = Resume::Step; return "";
  case 'k': resume = Resume::Kill; return "";
  case 'D': resume = Resume::Detach; return "";
  case 'q': return query(m, p);
  default: return "";  // unsupported: the empty reply
  }
}

std::string GdbServer::query(Machine& m, const std::string& p) {
  if (p.starts_with("qSupported")) return "PacketSize=4000;qXfer:features:read+";
  if (p == "qAttached") return "1";
  if (p == "qC") return fmt::format("QC{:x}", m_stopped_cpu + 1);
  if (p == "qfThreadInfo") {
    std::string list = "m";
    for (unsigned i = 0; i < m.cpu_count(); ++i) list += fmt::format("{}{:x}", i ? "," : "", i + 1);
    return list;
  }
  if (p == "qsThreadInfo") return "l";
  constexpr std::string_view kXfer = "qXfer:features:read:target.xml:";
  if (p.starts_with(kXfer)) {
    std::string_view args = std::string_view(p).substr(kXfer.size());
    const size_t comma = args.find(',');
    auto offset = gdb::parse_hex_number(args.substr(0, comma));
    auto length = comma == std::string_view::npos ? std::nullopt : gdb::parse_hex_number(args.substr(comma + 1));
    if (!offset || !length) return "E16";
    return gdb::xfer_chunk(gdb::target_xml(m.config().arch), *offset, *length);
  }
  return "";
}

// m addr,length: through the selected CPU's translation; E14 (EFAULT) when not RAM.
std::string GdbServer::read_memory(Machine& m, const std::string& args) {
  const size_t comma = args.find(',');
  auto addr = gdb::parse_hex_number(std::string_view(args).substr(0, comma));
  auto len = comma == std::string::npos ? std::nullopt : gdb::parse_hex_number(std::string_view(args).substr(comma + 1));
  if (!addr || !len || *len > 0x10000) return "E16";
  std::vector<uint8_t> bytes(*len);
  if (!m.cpu(m_g_cpu).read_virtual(*addr, bytes)) return "E14";
  return gdb::to_hex(bytes);
}

// Z0/Z1 (software / hardware breakpoint) and z0/z1: both are PCs the debugger hook stops at.
std::string GdbServer::breakpoint(const std::string& p) {
  if (p.size() < 4 || (p[1] != '0' && p[1] != '1') || p[2] != ',') return "";  // watchpoints: unsupported
  std::string_view args = std::string_view(p).substr(3);
  auto addr = gdb::parse_hex_number(args.substr(0, args.find(',')));
  if (!addr) return "E16";
  if (p[0] == 'Z') m_breakpoints.insert(*addr);
  else m_breakpoints.erase(*addr);
  return "OK";
}

}  // namespace kdsim
