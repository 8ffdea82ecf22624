// Shared by the libFuzzer targets (README.md, "Fuzzing"): every target consumes the error a
// loader returns, because an unchecked llvm::Error aborts in assert-enabled LLVM builds and would
// look like a finding.
#pragma once
#include <llvm/Support/Error.h>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace kdsim::fuzz {

template <typename T> void consume(llvm::Expected<T>& value) {
  if (!value) llvm::consumeError(value.takeError());
}
inline void consume(llvm::Error err) { llvm::consumeError(std::move(err)); }

inline std::vector<uint8_t> bytes_of(const uint8_t* data, size_t size) { return {data, data + size}; }

}  // namespace kdsim::fuzz
