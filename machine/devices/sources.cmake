set(KDSIM_DEVICE_SOURCES
  devices/uart.cpp
  devices/power.cpp
  devices/psci.cpp
  devices/stage_port.cpp
  devices/agent.cpp
  devices/dump_disk.cpp
  devices/gic.cpp)
