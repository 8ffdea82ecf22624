// SPDX-License-Identifier: MIT
/*
 * vsnprintf for the kernel (mirrors lib/vsprintf.c, reduced): flags "-0", width and
 * precision (numbers or '*'), length hh/h/l/ll/z, conversions d i u x X p s c %.
 * %p prints the raw pointer as 0x%016lx (no hashing: the transcript must be reproducible);
 * %pS prints "symbol+0xoff/0xsize" for kernel text (kallsyms), else "0x<addr>".
 */
#include <kernel/kallsyms.h>
#include <kernel/printk.h>
#include <kernel/string.h>

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_padding(struct out *o, int n, char c)
{
	while (n-- > 0)
		put(o, c);
}

struct spec {
	bool left;
	bool zero;
	int width;
	int precision; /* -1: none */
};

static void put_string(struct out *o, const char *s, const struct spec *sp)
{
	if (!s)
		s = "(null)";
	size_t len = sp->precision >= 0 ? strnlen(s, (size_t)sp->precision) : strlen(s);
	if (!sp->left)
		put_padding(o, sp->width - (int)len, ' ');
	for (size_t i = 0; i < len; i++)
		put(o, s[i]);
	if (sp->left)
		put_padding(o, sp->width - (int)len, ' ');
}

static void put_number(struct out *o, unsigned long long v, bool negative, unsigned base,
                       bool upper, const char *prefix, const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	int prefix_len = (int)strlen(prefix) + (negative ? 1 : 0);
	int pad = sp->width - n - prefix_len;
	if (!sp->left && !sp->zero)
		put_padding(o, pad, ' ');
	if (negative)
		put(o, '-');
	for (const char *p = prefix; *p; p++)
		put(o, *p);
	if (!sp->left && sp->zero)
		put_padding(o, pad, '0');
	while (n)
		put(o, tmp[--n]);
	if (sp->left)
		put_padding(o, pad, ' ');
}

static int parse_int(const char **fmt)
{
	int v = 0;
	while (**fmt >= '0' && **fmt <= '9')
		v = v * 10 + (*(*fmt)++ - '0');
	return v;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	struct out o = { .buf = buf, .size = size, .len = 0 };
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		struct spec sp = { .precision = -1 };
		for (;; fmt++) {
			if (*fmt == '-')
				sp.left = true;
			else if (*fmt == '0')
				sp.zero = true;
			else
				break;
		}
		if (*fmt == '*') {
			sp.width = va_arg(args, int);
			fmt++;
		} else {
			sp.width = parse_int(&fmt);
		}
		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*') {
				sp.precision = va_arg(args, int);
				fmt++;
			} else {
				sp.precision = parse_int(&fmt);
			}
		}
		int lng = 0; /* 0 int, 1 long, 2 long long, -1 short, -2 char */
		for (;; fmt++) {
			if (*fmt == 'l')
				lng++;
			else if (*fmt == 'z')
				lng = 1;
			else if (*fmt == 'h')
				lng--;
			else
				break;
		}
		switch (*fmt) {
		case 'd':
		case 'i': {
			long long v = lng >= 2 ? va_arg(args, long long)
			              : lng == 1 ? va_arg(args, long)
			                         : va_arg(args, int);
			if (lng == -1)
				v = (short)v;
			else if (lng <= -2)
				v = (signed char)v;
			bool neg = v < 0;
			put_number(&o, neg ? -(unsigned long long)v : (unsigned long long)v, neg, 10,
			           false, "", &sp);
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			unsigned long long v = lng >= 2 ? va_arg(args, unsigned long long)
			                       : lng == 1 ? va_arg(args, unsigned long)
			                                  : va_arg(args, unsigned int);
			if (lng == -1)
				v = (unsigned short)v;
			else if (lng <= -2)
				v = (unsigned char)v;
			put_number(&o, v, false, *fmt == 'u' ? 10 : 16, *fmt == 'X', "", &sp);
			break;
		}
		case 'p': {
			if (fmt[1] == 'S') {
				char sym[KSYM_SYMBOL_LEN];
				fmt++;
				sprint_symbol(sym, sizeof(sym), (unsigned long)va_arg(args, void *));
				put_string(&o, sym, &sp);
				break;
			}
			struct spec psp = { .zero = true, .width = 18, .precision = -1 };
			put_number(&o, (unsigned long)va_arg(args, void *), false, 16, false, "0x", &psp);
			break;
		}
		case 's':
			put_string(&o, va_arg(args, const char *), &sp);
			break;
		case 'c': {
			char c[2] = { (char)va_arg(args, int), 0 };
			put_string(&o, c, &sp);
			break;
		}
		case '%':
			put(&o, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			put(&o, '%');
			put(&o, *fmt);
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
