// The kernel log of a vmcore: Linux 5.10+'s lockless printk ring buffer
// (kernel/printk/printk_ringbuffer.c), found and decoded only through VMCOREINFO's SYMBOL(prb)
// and its SIZE/OFFSET lines, the way kexec-tools' vmcore-dmesg and makedumpfile --dump-dmesg
// read it. Nothing about the kernel's layout is assumed beyond what VMCOREINFO says.
#pragma once
#include "sim/dumped_memory.h"
#include <cstdint>
#include <llvm/ADT/StringRef.h>
#include <optional>
#include <string>
#include <vector>

namespace kdsim {

struct LogRecord {
  uint64_t seq = 0;
  uint64_t ts_nsec = 0;
  std::string text;
};

struct PrintkLog {
  std::vector<LogRecord> records;
  std::string problem; // why reading stopped before the head, empty when the whole ring was read
};

// std::nullopt when VMCOREINFO describes no printk ring buffer (no SYMBOL(prb)).
std::optional<PrintkLog> read_printk_log(llvm::StringRef vmcoreinfo, const DumpedMemory& memory);

// dmesg's format: "[%5llu.%06llu] text" per record, each line prefixed by indent.
std::string format_printk_log(const PrintkLog& log, const std::string& indent);

} // namespace kdsim
