/* SPDX-License-Identifier: MIT */
/*
 * x86_64 system-call instruction (musl's arch/x86_64/syscall_arch.h): rax = nr,
 * rdi, rsi, rdx, r10, r8, r9 = arguments, rax = result; the CPU clobbers rcx and r11.
 */
#ifndef INIT_SYSCALL_ARCH_H
#define INIT_SYSCALL_ARCH_H

static inline long __syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	unsigned long ret;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	__asm__ __volatile__("syscall"
	                     : "=a"(ret)
	                     : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
	                     : "rcx", "r11", "memory");
	return (long)ret;
}

#endif /* INIT_SYSCALL_ARCH_H */
