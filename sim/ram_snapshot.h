// A copy of guest RAM as a sparse file whose offset is the physical address; only touched
// memory is written (Ram::data_ranges), so a 16 GiB machine costs what it has touched.
#pragma once
#include "machine/ram.h"
#include <filesystem>

namespace kdsim {

llvm::Error write_ram_snapshot(const Ram& ram, const std::filesystem::path& path);

}  // namespace kdsim
