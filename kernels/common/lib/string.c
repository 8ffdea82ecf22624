// SPDX-License-Identifier: MIT
/*
 * Freestanding string routines (mirrors lib/string.c). Byte-wise on purpose: they also run
 * with the MMU off (arm64 early code), where unaligned wider accesses would fault.
 * The compiler may emit calls to memset/memcpy itself, so these must exist under these names.
 */
#include <kernel/string.h>

void *memset(void *s, int c, size_t n)
{
	unsigned char *p = s;
	/*
	 * Zeroing stores only the words that are not zero yet. The result is the same; the reason
	 * is the simulator: a guest store costs ~100x a load there, and a page that is never
	 * written stays a hole of the host's sparse RAM (no host memory, nothing to dump). Fresh
	 * memory (.bss of init, page tables, stacks) is mostly zero already.
	 */
	if (c == 0 && ((uintptr_t)p & 7) == 0) {
		u64 *w = (u64 *)p;
		for (; n >= 8; n -= 8, w++)
			if (*w)
				*w = 0;
		p = (unsigned char *)w;
	}
	while (n--)
		*p++ = (unsigned char)c;
	return s;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if ((((uintptr_t)d | (uintptr_t)s) & 7) == 0) {
		u64 *dw = (u64 *)d;
		const u64 *sw = (const u64 *)s;
		for (; n >= 8; n -= 8)
			*dw++ = *sw++;
		d = (unsigned char *)dw;
		s = (const unsigned char *)sw;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if (d == s || n == 0)
		return dst;
	if (d < s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;
	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t maxlen)
{
	size_t n = 0;
	while (n < maxlen && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);
	if (size) {
		size_t n = len >= size ? size - 1 : len;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
