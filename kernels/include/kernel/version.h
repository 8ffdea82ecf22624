/* SPDX-License-Identifier: MIT */
/* Release strings (Linux: include/generated/utsrelease.h, compile.h). CMake may override. */
#ifndef KERNEL_VERSION_H
#define KERNEL_VERSION_H

#ifndef UTS_RELEASE
#define UTS_RELEASE "6.1.0-kdsim"
#endif
#define UTS_VERSION "#1 SMP"
#define LINUX_COMPILE_BY "kdsim"
#define LINUX_COMPILE_HOST "kdsim"
#define KDSIM_STR2(x) #x
#define KDSIM_STR(x) KDSIM_STR2(x)
#define LINUX_COMPILER                                                                  \
	"clang version " KDSIM_STR(__clang_major__) "." KDSIM_STR(__clang_minor__) "." \
	KDSIM_STR(__clang_patchlevel__) ", LLD"

#endif /* KERNEL_VERSION_H */
