/* SPDX-License-Identifier: MIT */
/* The three libc functions a freestanding compiler may call on its own (struct copies, zeroing). */
#include "purgatory.h"

/*
 * Eight bytes a store where both pointers allow it: under Unicorn 2.0.1 every guest store takes
 * a slow path (~75 ns, shared/reference/unicorn-2.0.1.md), and the x86 crash backup copies
 * 640 KiB through here.
 */
void *memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	if ((((uintptr_t)d | (uintptr_t)s) & 7) == 0) {
		for (; n >= 8; n -= 8, d += 8, s += 8)
			*(uint64_t *)d = *(const uint64_t *)s;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;
	while (n--)
		*d++ = (uint8_t)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	for (; n != 0; n--, x++, y++)
		if (*x != *y)
			return *x < *y ? -1 : 1;
	return 0;
}
