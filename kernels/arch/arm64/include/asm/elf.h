/* SPDX-License-Identifier: MIT */
#ifndef ASM_ELF_H
#define ASM_ELF_H

#include <kernel/elf.h>

#define ELF_ARCH EM_AARCH64
/* utsname machine, also printed in the kdsim banner. */
#define UTS_MACHINE "aarch64"

#endif /* ASM_ELF_H */
