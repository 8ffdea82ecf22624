// The files a run leaves in its output directory. Everything in them is derived from the
// machine (instruction counts, never the host clock), so the same scenario gives byte-identical
// files. They are written under temporary names and renamed into place only when all are
// complete, so an interrupted run never leaves a set that looks finished.
#pragma once
#include "sim/expectations.h"
#include "sim/run_result.h"
#include "sim/scenario.h"
#include <filesystem>
#include <string>

namespace kdsim {

std::string render_stages_jsonl(const RunResult& result, Arch arch);
std::string render_transcript(const Scenario& scenario, const RunResult& result,
                              const std::vector<ExpectationCheck>& checks);
std::string render_summary_json(const Scenario& scenario, const RunResult& result,
                                const std::vector<ExpectationCheck>& checks);

llvm::Error write_reports(const std::filesystem::path& out_dir, const Scenario& scenario, const RunResult& result,
                          const std::vector<ExpectationCheck>& checks);

}  // namespace kdsim
