/* SPDX-License-Identifier: MIT */
/* arm64 system-call instruction (musl's arch/aarch64/syscall_arch.h): x8 = nr, x0..x5 args. */
#ifndef INIT_SYSCALL_ARCH_H
#define INIT_SYSCALL_ARCH_H

static inline long __syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	register long x5 __asm__("x5") = f;
	__asm__ __volatile__("svc 0"
	                     : "+r"(x0)
	                     : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
	                     : "memory", "cc");
	return x0;
}

#endif /* INIT_SYSCALL_ARCH_H */
