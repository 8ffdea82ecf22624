/* SPDX-License-Identifier: MIT */
/* Constants usable from C and assembly (mirrors include/uapi/linux/const.h). */
#ifndef KERNEL_CONST_H
#define KERNEL_CONST_H

#ifdef __ASSEMBLER__
#define _AC(X, Y) X
#else
#define __AC(X, Y) (X##Y)
#define _AC(X, Y) __AC(X, Y)
#endif
#define UL(x) (_AC(x, UL))

#endif /* KERNEL_CONST_H */
