// Helpers for building llvm::Error values with fmt-formatted messages.
#pragma once
#include <fmt/format.h>
#include <llvm/Support/Error.h>
#include <string>

namespace kdsim {

template <typename... Args> llvm::Error make_error(fmt::format_string<Args...> f, Args&&... args) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), fmt::format(f, std::forward<Args>(args)...));
}

inline std::string error_text(llvm::Error e) { return llvm::toString(std::move(e)); }

}  // namespace kdsim
