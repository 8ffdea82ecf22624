// A scenario: the machine to build, the kernel to boot, the steps to drive through init, and
// what the user expects to happen. Loaded from YAML; every error names the file, the field and
// the value involved.
#pragma once
#include "sim/outcome.h"
#include "machine/cpu.h"
#include "machine/devices/dump_disk.h"
#include <llvm/Support/Error.h>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kdsim {

struct Step {
  enum class Kind {
    Run,           // a command line for init
    SysrqTrigger,  // echo c > /proc/sysrq-trigger
    SerialSysrqTrigger,  // init busy in user mode; the host sends BREAK + 'c' on the serial console
    LkdtmTrigger,  // echo TYPE > /sys/kernel/debug/provoke-crash/DIRECT (LKDTM: PANIC, BUG, ...)
    KexecCrash,    // kexec -p: the kexec-tools role, then init's real kexec_load
    KexecLoad,     // kexec -l: a normal load, for kexec -e
    KexecExec,     // kexec -e: reboot(LINUX_REBOOT_CMD_KEXEC) into the loaded kernel
    KexecUnloadCrash,   // kexec -p -u: kexec_load(0, 0, NULL, KEXEC_ON_CRASH) frees kexec_crash_image
    KexecUnloadNormal,  // kexec -u: kexec_load(0, 0, NULL, 0) frees kexec_image (what kexec -l loaded)
    Corrupt,       // fault injection: flip one byte of a loaded kexec segment in guest RAM
    Touch,         // workload stand-in: the host fills guest RAM with data (a DMA-like writer)
    KexecLoadRaw,  // a kexec_load(2) with exactly the given flags, entry and segments (tests the kernel)
  };
  struct RawSegment {
    uint64_t mem = 0, memsz = 0, bufsz = 0;
  };
  Kind kind = Kind::Run;
  std::string command;  // Run/SysrqTrigger/LkdtmTrigger: the command line init executes
  std::string label;    // as written in the scenario, for the transcript
  std::string segment;  // Corrupt: which segment ("kernel", "dtb", "boot_params", "elfcorehdr", ...)
  uint64_t offset = 0;  // Corrupt: byte offset inside that segment; Touch: offset from the RAM base
  uint64_t size = 0;    // Touch: bytes to fill
  uint64_t flags = 0, entry = 0;        // KexecLoadRaw
  std::vector<RawSegment> segments;     // KexecLoadRaw: buffers are bufsz bytes of 0xa5
  std::string origin;                   // "steps[2]", "capture_steps[0]": where the scenario wrote it
  uint64_t after_instructions = 0;      // SerialSysrqTrigger: machine time from the workload's start
  std::optional<std::string> cmdline;   // KexecCrash/KexecLoad: the next kernel's command line
                                        // (kexec-tools' --command-line); none: the default
};

// A console line to find: a substring, or a POSIX extended regular expression matched against
// one console line at a time (`{regex: ...}`).
struct ConsoleLine {
  std::string text;
  bool regex = false;
};

// `- run: CMD` (or a kexec: / kexec_load: step) with `expect: {exit: N, output: TEXT}`: that
// step's own result. A kexec: step's result is its kexec_load's, or kexec-tools' own failure.
struct StepExpectation {
  std::string origin;  // "steps[2]"
  std::string label;   // "run: cat /nonexistent"
  std::optional<int32_t> exit;
  std::optional<std::string> output;  // a substring of what the command printed
};

// Where the purgatory comes from: a purgatory.ro file, or the one embedded in a kexec-tools
// binary (`kexec: {purgatory: {from_kexec: /usr/sbin/kexec}}`, extracted when the load is planned).
struct PurgatorySource {
  enum class Kind {
    Object,       // path is a purgatory.ro
    KexecBinary,  // path is a kexec binary holding one
  };
  Kind kind = Kind::Object;
  std::filesystem::path path;
};

// The kexec-tools role's options (kexec -p).
struct KexecOptions {
  std::optional<PurgatorySource> purgatory;             // none: the built purgatory.ro
  std::optional<std::filesystem::path> capture_kernel;  // none: the first kernel's image
  bool verify_digest = true;                            // false: kexec --no-checks (skip_checks)
  bool purgatory_console = false;  // purgatory prints to the UART (kexec-tools: off unless asked)
};

struct Expectations {
  std::optional<Outcome> outcome;
  std::optional<std::string> panic;       // the panic message, e.g. "sysrq triggered crash"
  std::vector<ConsoleLine> console;       // lines that must appear, in order
  std::vector<std::string> stages;        // stage names that must appear, in order
  std::optional<std::string> kexec_load;  // the last kexec_load: "0" or an errno name, e.g. "EADDRNOTAVAIL"
  std::vector<std::string> kexec_loads;   // `kexec_load: [0, EBUSY]`: every kexec_load, in order
  std::vector<StepExpectation> steps;     // per-step expectations, in step order
  std::optional<PurgatoryStatus> purgatory;
  std::optional<std::string> vmcore;      // saved | none

  // No `expect:` (or an empty one): a run has nothing to check.
  bool empty() const {
    return !outcome && !panic && console.empty() && stages.empty() && !kexec_load && kexec_loads.empty() &&
           !purgatory && !vmcore && steps.empty();
  }
};

struct Scenario {
  std::filesystem::path file;
  std::string name;
  std::string description;
  Arch arch = Arch::Arm64;
  uint64_t memory = 0;
  unsigned cpus = 1;
  DumpDiskFaults dump_disk;  // machine.dump_disk: a full disk, a bad sector
  std::optional<std::filesystem::path> kernel;  // none: the built toy kernel for the arch
  std::string cmdline;
  uint64_t instruction_limit = 2'000'000'000;
  std::vector<Step> steps;
  std::vector<Step> capture_steps;  // for the capture kernel's init (default: save-vmcore)
  KexecOptions kexec;
  Expectations expect;

  static llvm::Expected<Scenario> load(const std::filesystem::path& file);
  static llvm::Expected<Scenario> parse(std::string_view yaml_text, const std::filesystem::path& file);
};

// "1GiB", "512MiB", "64M", "0x40000000", "1073741824" -> bytes.
llvm::Expected<uint64_t> parse_size(std::string_view text);

}  // namespace kdsim
