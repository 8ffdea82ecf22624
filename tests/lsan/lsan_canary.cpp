// Proves tests/lsan.supp is narrow (sanitizer builds only): run under the suppression file,
//   lsan_canary unicorn   leaks from a function named like Unicorn's leaking one -> suppressed, exit 0
//   lsan_canary ours      leaks from any other function                          -> LSan reports it
// so the suppression hides the known library leak and nothing of ours.
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {
void* volatile g_sink;  // written, then cleared: the pointer must not stay reachable
}

// The name LSan matches: Unicorn 2.0.1's tb_invalidate_phys_page_fast (accel/tcg/translate-all.c).
extern "C" __attribute__((noinline)) void tb_invalidate_phys_page_fast() { g_sink = std::malloc(512); }

extern "C" __attribute__((noinline)) void kdsim_lsan_canary_own_leak() { g_sink = std::malloc(512); }

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  if (std::strcmp(argv[1], "unicorn") == 0) tb_invalidate_phys_page_fast();
  else if (std::strcmp(argv[1], "ours") == 0) kdsim_lsan_canary_own_leak();
  else return 2;
  g_sink = nullptr;
  std::puts("leaked 512 bytes");
  return 0;
}
