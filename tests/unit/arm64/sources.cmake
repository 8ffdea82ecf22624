set(KDSIM_TEST_ARM64_SOURCES
  unit/arm64/arm64_cpu_test.cpp
  unit/arm64/arm64_exceptions_test.cpp
  unit/arm64/arm64_page_walk_test.cpp
  unit/arm64/arm64_tlb_test.cpp)
