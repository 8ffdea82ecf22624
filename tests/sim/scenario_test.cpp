// Golden tests: each malformed scenario is paired with the exact error the user sees.
#include "sim/scenario.h"
#include <doctest/doctest.h>

using namespace kdsim;

namespace {
std::string error_of(std::string_view yaml) {
  auto s = Scenario::parse(yaml, "t.yaml");
  REQUIRE_MESSAGE(!s, "expected an error");
  return llvm::toString(s.takeError());
}

constexpr std::string_view kMinimal = "machine: {arch: arm64, memory: 1GiB}\n";
}  // namespace

TEST_CASE("scenario: a minimal scenario gets defaults") {
  auto s = Scenario::parse(kMinimal, "dir/min.yaml");
  REQUIRE(bool(s));
  CHECK(s->name == "min");
  CHECK(s->arch == Arch::Arm64);
  CHECK(s->memory == (1ull << 30));
  CHECK(s->cpus == 1);
  CHECK(!s->dump_disk.capacity);
  CHECK(!s->dump_disk.io_error_at);
  CHECK(!s->kernel);
  CHECK(s->steps.empty());
  // kexec-tools' defaults: digests checked, purgatory console off unless asked.
  CHECK(s->kexec.verify_digest);
  CHECK_FALSE(s->kexec.purgatory_console);
}

TEST_CASE("scenario: steps, kernel path relative to the scenario file, expectations") {
  auto s = Scenario::parse(R"(
name: demo
machine: {arch: arm64, memory: 0x40000000, cpus: 2}
kernel: {image: ../k/kernel.elf, cmdline: "console=ttyS0 crashkernel=256M"}
limits: {instructions: 1000000}
steps:
  - run: cat /proc/iomem
  - trigger: sysrq-c
expect:
  outcome: power-off
  panic: sysrq triggered crash
  console: [a, b]
  stages: [kernel_entry, panic]
)",
                           "scen/x/demo.yaml");
  REQUIRE(bool(s));
  CHECK(s->arch == Arch::Arm64);
  CHECK(s->cpus == 2);
  CHECK(s->kernel->string() == "scen/x/../k/kernel.elf");
  CHECK(s->cmdline == "console=ttyS0 crashkernel=256M");
  CHECK(s->instruction_limit == 1000000);
  REQUIRE(s->steps.size() == 2);
  CHECK(s->steps[0].command == "cat /proc/iomem");
  CHECK(s->steps[1].kind == Step::Kind::SysrqTrigger);
  CHECK(s->steps[1].command == "echo c > /proc/sysrq-trigger");
  CHECK(*s->expect.outcome == Outcome::PowerOff);
  CHECK(s->expect.console.size() == 2);
  CHECK(s->expect.stages.back() == "panic");
}

TEST_CASE("scenario: golden errors name the file, line, column, field and value") {
  CHECK(error_of("") == "t.yaml: the scenario must be a YAML mapping");
  CHECK(error_of("name: [unclosed\n") == "t.yaml:2:1: YAML syntax error: end of sequence flow not found");
  CHECK(error_of("name: x\n") == "t.yaml: machine: is required");
  CHECK(error_of("machine: {arch: riscv, memory: 1GiB}\n") ==
        "t.yaml:1:17: machine.arch: 'riscv' is not arm64 or x86_64");
  CHECK(error_of("machine: {arch: arm64}\n") == "t.yaml: machine.memory: is required");
  CHECK(error_of("machine: {arch: arm64, memory: 1GB}\n") ==
        "t.yaml:1:32: machine.memory: '1GB' has an unknown unit 'GB' (use K/KiB, M/MiB, G/GiB, T/TiB)");
  CHECK(error_of("machine: {arch: arm64, memory: lots}\n") ==
        "t.yaml:1:32: machine.memory: 'lots' is not a size (try 1GiB, 512MiB, 0x40000000)");
  CHECK(error_of("machine: {arch: arm64, memory: 1GiB, cpus: 9}\n") ==
        "t.yaml:1:44: machine.cpus: 9 is not between 1 and 8");
  CHECK(error_of("machine: {arch: arm64, memory: 1GiB, gpus: 1}\n") ==
        "t.yaml:1:38: machine.gpus: unknown field; did you mean 'cpus'? (known: arch, cpus, dump_disk, memory)");
  // Nothing close enough to suggest: only the list.
  CHECK(error_of("machine: {arch: arm64, memory: 1GiB, colour: blue}\n") ==
        "t.yaml:1:38: machine.colour: unknown field (known: arch, cpus, dump_disk, memory)");
  CHECK(error_of("machine: {arch: arm64, memory: 1GiB, dump_disk: {capacity: full}}\n") ==
        "t.yaml:1:60: machine.dump_disk.capacity: 'full' is not a size (try 1GiB, 512MiB, 0x40000000)");
  CHECK(error_of("machine: {arch: arm64, memory: 1GiB, dump_disk: {capcity: 1GiB}}\n") ==
        "t.yaml:1:50: machine.dump_disk.capcity: unknown field; did you mean 'capacity'? (known: capacity, io_error_at)");
  CHECK(error_of("machine: {arch: arm64, memory: 1GiB, dump_disk: 64MiB}\n") ==
        "t.yaml:1:49: machine.dump_disk: must be a mapping (capacity, io_error_at)");
  CHECK(error_of("machine: {arch: x86_64, memory: 1GiB}\nexpect: {stages: [mmu_off]}\n") ==
        "t.yaml:2:19: expect.stages[0]: 'mmu_off' is arm64's stage: x86_64 keeps paging on in long mode and "
        "relocate_kernel runs on identity-mapped page tables; the stage is 'identity_mapped'");
  CHECK(error_of(std::string(kMinimal) + "stepz: []\n") ==
        "t.yaml:2:1: stepz: unknown field; did you mean 'steps'? (known: capture_steps, description, expect, kernel, kexec, limits, machine, name, steps)");
  CHECK(error_of(std::string(kMinimal) + "steps:\n  - trigger: sysrq-b\n") ==
        "t.yaml:3:14: steps[0].trigger: 'sysrq-b' is not a known trigger; did you mean 'sysrq-c'? (known: bug, divide-by-zero, null-dereference, panic, sysrq-c)");
  CHECK(error_of(std::string(kMinimal) + "steps:\n  - run: ls\n    trigger: sysrq-c\n") ==
        "t.yaml:3:5: steps[0]: must have exactly one of: corrupt, kexec, kexec_load, run, touch, trigger");
  CHECK(error_of(std::string(kMinimal) + "steps:\n  - run: \"\"\n") ==
        "t.yaml:3:10: steps[0].run: must be one non-empty command line");
  CHECK(error_of(std::string(kMinimal) + "expect: {outcome: exploded}\n") ==
        "t.yaml:2:19: expect.outcome: 'exploded' is not one of power-off, reset, guest-fault, instruction-limit, hang, spin, purgatory-spin, purgatory-fault");
  CHECK(error_of(std::string(kMinimal) + "limits: {instructions: 0}\n") ==
        "t.yaml:2:24: limits.instructions: must be greater than 0");
  CHECK(error_of(std::string(kMinimal) + "expect: {console: yes}\n") ==
        "t.yaml:2:19: expect.console: must be a list of strings or {regex: ...}");
}

TEST_CASE("scenario: kexec: unload-crash is kexec -p -u, and kexec: steps may expect their own result") {
  auto s = Scenario::parse(std::string(kMinimal) + R"(
steps:
  - kexec: crash
    expect: {exit: 1, output: "locate_hole failed"}
  - kexec: unload-crash
    expect: {exit: 0}
  - trigger: sysrq-c
)", "t.yaml");
  REQUIRE(bool(s));
  REQUIRE(s->steps.size() == 3);
  CHECK(s->steps[1].kind == Step::Kind::KexecUnloadCrash);
  CHECK(s->steps[1].command == "kexec-load -u -p");  // init's kexec_load(0, 0, NULL, KEXEC_ON_CRASH | arch)
  CHECK(s->steps[1].label == "kexec -p -u (unload the crash kernel)");
  REQUIRE(s->expect.steps.size() == 2);
  CHECK(s->expect.steps[0].origin == "steps[0]");
  CHECK(s->expect.steps[0].exit == 1);
  CHECK(s->expect.steps[0].output == "locate_hole failed");
  CHECK(s->expect.steps[1].origin == "steps[1]");
  CHECK(error_of(std::string(kMinimal) + "steps:\n  - kexec: unlod\n") ==
        "t.yaml:3:12: steps[0].kexec: 'unlod' is not a kexec mode (known: crash, exec, load, unload-crash, "
        "unload-normal)");
  CHECK(error_of(std::string(kMinimal) + "steps:\n  - kexec: unload-crsh\n") ==
        "t.yaml:3:12: steps[0].kexec: 'unload-crsh' is not a kexec mode; did you mean 'unload-crash'? (known: crash, "
        "exec, load, unload-crash, unload-normal)");
  CHECK(error_of(std::string(kMinimal) + "steps:\n  - touch: {size: 1M}\n    expect: {exit: 0}\n") ==
        "t.yaml:4:13: steps[0].expect: only run:, kexec: and kexec_load: steps have an expect: of their own");
}

TEST_CASE("scenario: kexec: unload-normal is kexec -u; a bare unload is refused as ambiguous") {
  auto s = Scenario::parse(std::string(kMinimal) + "steps:\n  - kexec: load\n  - kexec: unload-normal\n", "t.yaml");
  REQUIRE(bool(s));
  CHECK(s->steps[1].kind == Step::Kind::KexecUnloadNormal);
  CHECK(s->steps[1].command == "kexec-load -u");  // init's kexec_load(0, 0, NULL, arch): no KEXEC_ON_CRASH
  CHECK(s->steps[1].label == "kexec -u (unload the kernel kexec -l loaded)");
  CHECK(error_of(std::string(kMinimal) + "steps:\n  - kexec: unload\n") ==
        "t.yaml:3:12: steps[0].kexec: 'unload' does not say which image: unload-crash is kexec -p -u (what kexec: "
        "crash loaded), unload-normal is kexec -u (what kexec: load loaded)");
}

TEST_CASE("scenario: each kexec load step has its own cmdline:") {
  auto s = Scenario::parse(std::string(kMinimal) + R"(
steps:
  - kexec: crash
    cmdline: "console=ttyAMA0 capture=1"
  - kexec: load
    cmdline: "console=ttyAMA0 next=1"
    expect: {exit: 0}
  - kexec: load
)", "t.yaml");
  REQUIRE(bool(s));
  CHECK(s->steps[0].cmdline == "console=ttyAMA0 capture=1");
  CHECK(s->steps[1].cmdline == "console=ttyAMA0 next=1");
  CHECK(!s->steps[2].cmdline);  // the default: the first kernel's (kexec -p: without crashkernel=)
  CHECK(s->expect.steps.size() == 1);
  CHECK(error_of(std::string(kMinimal) + "steps:\n  - kexec: exec\n    cmdline: quiet\n") ==
        "t.yaml:4:14: steps[0].cmdline: only a kexec: crash or kexec: load step takes a cmdline: (kexec-tools' "
        "--command-line), not kexec -e (reboot into the loaded kernel)");
  CHECK(error_of(std::string(kMinimal) + "steps:\n  - run: cat /proc/cmdline\n    cmdline: quiet\n") ==
        "t.yaml:4:14: steps[0].cmdline: only a kexec: crash or kexec: load step takes a cmdline: (kexec-tools' "
        "--command-line), not run: cat /proc/cmdline");
  CHECK(error_of(std::string(kMinimal) + "steps:\n  - kexec: load\n    cmdline: [a]\n") ==
        "t.yaml:4:14: steps[0].cmdline: must be a string");
  CHECK(error_of(std::string(kMinimal) + "steps:\n  - cmdline: quiet\n") ==
        "t.yaml:3:5: steps[0]: must have exactly one of: corrupt, kexec, kexec_load, run, touch, trigger");
  // The old scenario-wide kexec.cmdline applied to every load at once.
  CHECK(error_of(std::string(kMinimal) + "kexec: {cmdline: quiet}\n") ==
        "t.yaml:2:18: kexec.cmdline: is per load now: write cmdline: beside the kexec: crash or kexec: load step "
        "it is for (kexec-tools takes --command-line on each invocation)");
}

TEST_CASE("scenario: aliases are expanded within a budget, a self-reference included") {
  const std::string bomb = std::string(kMinimal) + "steps: &s [*s, *s]\n";
  CHECK(error_of(bomb) ==
        "t.yaml: the YAML document has more than 100000 nodes once its aliases (*name) are expanded (kdsim's "
        "limit against alias bombs; a scenario needs a few thousand)");
  // Ordinary aliases are fine.
  auto s = Scenario::parse(std::string(kMinimal) + "steps:\n  - &c {run: cat /proc/iomem}\n  - *c\n", "t.yaml");
  REQUIRE(bool(s));
  CHECK(s->steps.size() == 2);
}

TEST_CASE("scenario: a missing file is an error naming it") {
  auto s = Scenario::load("/nonexistent/scenario.yaml");
  REQUIRE(!s);
  CHECK(llvm::toString(s.takeError()) == "/nonexistent/scenario.yaml: cannot read: No such file or directory");
}

TEST_CASE("scenario: sizes") {
  CHECK(*parse_size("1GiB") == (1ull << 30));
  CHECK(*parse_size("512M") == (512ull << 20));
  CHECK(*parse_size("0x40000000") == 0x40000000);
  CHECK(*parse_size("4096") == 4096);
  auto big = parse_size("99999999999T");
  REQUIRE(!big);
  CHECK(llvm::toString(big.takeError()) == "'99999999999T' does not fit in 64 bits");
}

TEST_CASE("scenario: kexec.purgatory is a purgatory.ro path or {from_kexec: <kexec binary>}") {
  auto plain = Scenario::parse(std::string(kMinimal) + "kexec: {purgatory: p/purgatory.ro}\n", "dir/s.yaml");
  REQUIRE(bool(plain));
  REQUIRE(plain->kexec.purgatory);
  CHECK(plain->kexec.purgatory->kind == PurgatorySource::Kind::Object);
  CHECK(plain->kexec.purgatory->path.string() == "dir/p/purgatory.ro");

  auto by_default = Scenario::parse(std::string(kMinimal) + "kexec: {purgatory: default}\n", "dir/s.yaml");
  REQUIRE(bool(by_default));
  CHECK(!by_default->kexec.purgatory);

  auto from_kexec =
      Scenario::parse(std::string(kMinimal) + "kexec:\n  purgatory: {from_kexec: /usr/sbin/kexec}\n", "dir/s.yaml");
  REQUIRE(bool(from_kexec));
  REQUIRE(from_kexec->kexec.purgatory);
  CHECK(from_kexec->kexec.purgatory->kind == PurgatorySource::Kind::KexecBinary);
  CHECK(from_kexec->kexec.purgatory->path.string() == "/usr/sbin/kexec");

  auto relative = Scenario::parse(std::string(kMinimal) + "kexec: {purgatory: {from_kexec: bin/kexec}}\n", "dir/s.yaml");
  REQUIRE(bool(relative));
  CHECK(relative->kexec.purgatory->path.string() == "dir/bin/kexec");

  CHECK(error_of(std::string(kMinimal) + "kexec: {purgatory: {from_kexc: /usr/sbin/kexec}}\n") ==
        "t.yaml:2:21: kexec.purgatory.from_kexc: unknown field; did you mean 'from_kexec'? (known: from_kexec)");
  CHECK(error_of(std::string(kMinimal) + "kexec: {purgatory: {}}\n") ==
        "t.yaml:2:20: kexec.purgatory: a mapping needs from_kexec: <kexec binary>");
  CHECK(error_of(std::string(kMinimal) + "kexec: {purgatory: {from_kexec: [a]}}\n") ==
        "t.yaml:2:33: kexec.purgatory.from_kexec: must be a string");
  CHECK(error_of(std::string(kMinimal) + "kexec: {purgatory: {from_kexec: default}}\n") ==
        "t.yaml:2:33: kexec.purgatory.from_kexec: must be a path to a kexec binary");
}

TEST_CASE("scenario: steps may follow a serial trigger (it arms input for later); not another trigger") {
  auto s = Scenario::parse(std::string(kMinimal) + R"(
steps:
  - trigger: {sysrq-c: serial, after_instructions: 1000000}
  - run: cat /proc/cmdline
  - trigger: panic
)", "t.yaml");
  REQUIRE(bool(s));
  REQUIRE(s->steps.size() == 3);
  CHECK(s->steps[0].kind == Step::Kind::SerialSysrqTrigger);
  CHECK(s->steps[0].after_instructions == 1000000);
  CHECK(error_of(std::string(kMinimal) + "steps:\n  - trigger: panic\n  - trigger: {sysrq-c: serial, "
                                         "after_instructions: 5}\n") ==
        "t.yaml:4:5: steps[1]: can never run: the first kernel has crashed at steps[0] (trigger: panic); steps for "
        "the capture kernel go in capture_steps");
}
