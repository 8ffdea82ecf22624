// Host-side operations on guest RAM: a snapshot as a sparse file, and the workload fill.
//
// The snapshot is a copy of guest RAM as a sparse file whose offset is the physical address; only touched
// memory is written (Ram::data_ranges), so a 16 GiB machine costs what it has touched.
#pragma once
#include "machine/ram.h"
#include <filesystem>

namespace kdsim {

llvm::Error write_ram_snapshot(const Ram& ram, const std::filesystem::path& path);

// A stand-in for a workload that dirtied memory: fills [base + offset, +size) with a
// deterministic pattern in which every 4 KiB page differs and none is all zero, at memcpy
// speed (windows of one precomputed xorshift64* block, stamped with the page's address).
llvm::Error touch_memory(Ram& ram, PhysAddr base, uint64_t offset, uint64_t size);

}  // namespace kdsim
