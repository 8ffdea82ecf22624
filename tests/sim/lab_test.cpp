// Lab grading: how answers compare, and the truth read from a run.
#include "sim/lab.h"
#include <doctest/doctest.h>

using namespace kdsim;

TEST_CASE("lab answers: numbers by value, ranges, functions with offsets, case and blanks") {
  CHECK(answers_match(" 0x70000000 ", "0x70000000"));
  CHECK(answers_match("0x070000000", "0x70000000"));
  CHECK(answers_match("70000000-7FFFFFFF", "70000000-7fffffff"));
  CHECK(answers_match("0x70000000-0x7fffffff", "70000000-7fffffff"));
  CHECK(answers_match("sysrq_handle_crash+0x24/0x2c", "sysrq_handle_crash"));
  CHECK(answers_match("Digest-OK", "digest-ok"));
  CHECK_FALSE(answers_match("0x70001000", "0x70000000"));
  CHECK_FALSE(answers_match("70000000-7ffffffe", "70000000-7fffffff"));
  CHECK_FALSE(answers_match("machine_kexec", "cpu_soft_restart"));
}

TEST_CASE("lab truth: iomem ranges from the cat /proc/iomem step, stages, outcome") {
  RunResult r;
  r.steps.push_back({.label = "run: cat /proc/iomem", .command = "cat /proc/iomem",
                     .output = "40000000-7fffffff : System RAM\n  40200800-40211fff : Kernel code\n"
                               "  78000000-7fffffff : Crash kernel\n",
                     .exit_status = 0, .sent_at = 0});
  r.outcome = Outcome::PowerOff;
  TimelineEvent e;
  e.source = TimelineEvent::Source::Guest;
  e.name = "mmu_off";
  e.record.state.pc = VirtAddr(0x402099a8);
  e.symbol = "cpu_soft_restart+0x68/0x8c";
  r.timeline.push_back(e);
  CHECK(lab_truth("iomem Crash kernel", r) == "78000000-7fffffff");
  CHECK(lab_truth("iomem Kernel code", r) == "40200800-40211fff");
  CHECK_FALSE(lab_truth("iomem GART", r));
  CHECK(lab_truth("stage_function mmu_off", r) == "cpu_soft_restart");
  CHECK(lab_truth("stage_pc mmu_off", r) == "0x402099a8");
  CHECK(lab_truth("outcome", r) == "power-off");
  CHECK_FALSE(lab_truth("no_such_source", r));
}
