# x86_64 CPU unit tests; paths relative to tests/.
set(KDSIM_TEST_X86_64_SOURCES
  unit/x86_64/x86_64_cpu_test.cpp
  unit/x86_64/x86_exceptions_test.cpp
  unit/x86_64/x86_linear_aliases_test.cpp
  unit/x86_64/x86_smp_test.cpp)
