set(KDSIM_ARM64_CPU_SOURCES
  cpu/common/unicorn_watches.cpp
  cpu/arm64/arm64_context.cpp
  cpu/arm64/arm64_cpu.cpp
  cpu/arm64/arm64_exceptions.cpp
  cpu/arm64/arm64_hooks.cpp
  cpu/arm64/arm64_sysregs.cpp
  cpu/arm64/arm64_timer.cpp)
