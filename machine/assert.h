// Bugs end the process with a message and exit status 4 (kdsim's "internal error", documented
// in sim/exit_codes.h); anything a user or a guest can cause is an llvm::Error instead.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <fmt/format.h>

#define KDSIM_ASSERT(cond, ...)                                                                   \
  do {                                                                                            \
    if (!(cond)) [[unlikely]] {                                                                   \
      std::fprintf(stderr, "kdsim internal error at %s:%d: %s: %s\n", __FILE__, __LINE__, #cond,  \
                   fmt::format(__VA_ARGS__).c_str());                                             \
      std::fflush(stderr);                                                                        \
      std::_Exit(4);                                                                              \
    }                                                                                             \
  } while (0)
