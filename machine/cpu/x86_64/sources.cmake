# x86_64 CPU (Unicorn 2.0.1 engine); paths relative to machine/.
set(KDSIM_X86_64_CPU_SOURCES
  cpu/x86_64/x86_64_cpu.cpp
  cpu/x86_64/x86_context.cpp
  cpu/x86_64/x86_exceptions.cpp
  cpu/x86_64/x86_linear_aliases.cpp
  cpu/x86_64/x86_page_walk.cpp
  cpu/x86_64/x86_smp.cpp)
