// `kdsim lab check LAB ANSWERS`: grades a student's answers to a lab (sim/lab.h).
#pragma once
#include <filesystem>
#include <string>

namespace kdsim {

// Exit codes: 0 every answer right, 1 some wrong or missing, 3 the lab or the answer file is
// unusable.
int lab_check_command(const std::filesystem::path& lab_dir, const std::filesystem::path& answers,
                      const std::filesystem::path& kernel_dir);

}  // namespace kdsim
