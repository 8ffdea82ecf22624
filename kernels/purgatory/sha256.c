/* SPDX-License-Identifier: MIT */
/* SHA-256 after FIPS 180-4: 6.2.1 (preprocessing), 6.2.2 (hash computation), 5.1.1 (padding). */
#include "sha256.h"

/* FIPS 180-4 4.2.2: first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
static const uint32_t k[64] __attribute__((aligned(16))) = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t ror(uint32_t x, unsigned n) { return (x >> n) | (x << (32 - n)); }

static inline __attribute__((unused)) uint32_t load_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static void store_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* FIPS 180-4 4.1.2 functions. */
#define CH(x, y, z) ((((y) ^ (z)) & (x)) ^ (z))
#define MAJ(x, y, z) ((((x) ^ (y)) & ((y) ^ (z))) ^ (y))
#define BSIG0(x) (ror(x, 2) ^ ror(x, 13) ^ ror(x, 22))
#define BSIG1(x) (ror(x, 6) ^ ror(x, 11) ^ ror(x, 25))
#define SSIG0(x) (ror(x, 7) ^ ror(x, 18) ^ ((x) >> 3))
#define SSIG1(x) (ror(x, 17) ^ ror(x, 19) ^ ((x) >> 10))

/*
 * 6.2.2 step 3, fully unrolled with the eight working variables renamed per round instead of
 * shifted, so every schedule index is a constant. In the simulator a guest store costs ~100x a
 * register operation (Unicorn 2.0.1 sends every one through its self-modifying-code check), so
 * each arch keeps the whole computation in registers, with no store per block:
 * - arm64 (31 registers): the schedule as a 16-word ring computed in the rounds
 *   (~1,900 instructions per block; kexec-tools' purgatory: ~1,920);
 * - x86_64 (15 registers): the ring in four SSE2 registers, four words computed at once, each
 *   round taking its K[t] + W[t] from a vector; purgatory_start enables SSE (CR4.OSFXSR) for the
 *   purgatory and gives the next kernel its CR4 back. The scalar form with the schedule on the
 *   stack made 61-80 stores per block and took 3x as long.
 */
/* The 64 rounds of one block, through each arch's EIGHT_ROUNDS. */
#define ALL_ROUNDS()              \
	do {                      \
		EIGHT_ROUNDS(0);  \
		EIGHT_ROUNDS(8);  \
		EIGHT_ROUNDS(16); \
		EIGHT_ROUNDS(24); \
		EIGHT_ROUNDS(32); \
		EIGHT_ROUNDS(40); \
		EIGHT_ROUNDS(48); \
		EIGHT_ROUNDS(56); \
	} while (0)

#define ROUND_KW(a, b, c, d, e, f, g, h, kw)                        \
	do {                                                          \
		uint32_t t1 = (h) + BSIG1(e) + CH(e, f, g) + (kw);    \
		d += t1;                                              \
		h = t1 + BSIG0(a) + MAJ(a, b, c);                     \
	} while (0)

#if defined(__aarch64__)
/* 6.2.2 step 1: W[t] for t >= 16, computed when round t needs it, in a ring of 16. */
#define W(t)                                                                                      \
	((t) < 16 ? w[(t)&15]                                                                     \
	          : (w[(t)&15] += SSIG1(w[((t)-2) & 15]) + w[((t)-7) & 15] + SSIG0(w[((t)-15) & 15])))

#define EIGHT_ROUNDS(t)                                                    \
	do {                                                               \
		ROUND_KW(a, b, c, d, e, f, g, h, k[(t) + 0] + W((t) + 0)); \
		ROUND_KW(h, a, b, c, d, e, f, g, k[(t) + 1] + W((t) + 1)); \
		ROUND_KW(g, h, a, b, c, d, e, f, k[(t) + 2] + W((t) + 2)); \
		ROUND_KW(f, g, h, a, b, c, d, e, k[(t) + 3] + W((t) + 3)); \
		ROUND_KW(e, f, g, h, a, b, c, d, k[(t) + 4] + W((t) + 4)); \
		ROUND_KW(d, e, f, g, h, a, b, c, k[(t) + 5] + W((t) + 5)); \
		ROUND_KW(c, d, e, f, g, h, a, b, k[(t) + 6] + W((t) + 6)); \
		ROUND_KW(b, c, d, e, f, g, h, a, k[(t) + 7] + W((t) + 7)); \
	} while (0)

/* FIPS 180-4 6.2.2 on one 64-byte block. */
static void compress(uint32_t state[8], const uint8_t *block)
{
	uint32_t w[16];
	/* Whole-word loads when aligned (segments are page-aligned); bytes otherwise, as the
	 * purgatory runs with the MMU off where an unaligned access faults. */
	if (((uintptr_t)block & 3) == 0) {
		const uint32_t *words = (const uint32_t *)(const void *)block;
		for (unsigned i = 0; i < 16; i++)
			w[i] = __builtin_bswap32(words[i]);
	} else {
		for (unsigned i = 0; i < 16; i++)
			w[i] = load_be32(block + 4 * i);
	}
	uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
	uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
	ALL_ROUNDS();
	state[0] += a;
	state[1] += b;
	state[2] += c;
	state[3] += d;
	state[4] += e;
	state[5] += f;
	state[6] += g;
	state[7] += h;
}

static void compress_blocks(uint32_t state[8], const uint8_t *p, uint64_t blocks)
{
	for (; blocks != 0; blocks--, p += SHA256_BLOCK_SIZE)
		compress(state, p);
}
#else
/* Only these functions use SSE2: the rest of the purgatory stays general-purpose registers. */
#define SSE2_INLINE static inline __attribute__((target("sse2"), always_inline))
typedef uint32_t u32x4 __attribute__((vector_size(16)));
typedef uint32_t u32x4_unaligned __attribute__((vector_size(16), aligned(1)));

SSE2_INLINE u32x4 ror4(u32x4 x, unsigned n) { return (x >> n) | (x << (32 - n)); }
SSE2_INLINE u32x4 ssig0_4(u32x4 x) { return ror4(x, 7) ^ ror4(x, 18) ^ (x >> 3); }
SSE2_INLINE u32x4 ssig1_4(u32x4 x) { return ror4(x, 17) ^ ror4(x, 19) ^ (x >> 10); }

/* Four big-endian words (SSE2 has no byte shuffle: swap the halves, then the bytes in each). */
SSE2_INLINE u32x4 load_be32x4(const uint8_t *p)
{
	u32x4 x = *(const u32x4_unaligned *)(const void *)p;
	x = (x << 16) | (x >> 16);
	return ((x << 8) & 0xff00ff00u) | ((x >> 8) & 0x00ff00ffu);
}

/*
 * 6.2.2 step 1 for W[t+16..t+19], from the ring x0 = W[t..t+3] ... x3 = W[t+12..t+15]. The
 * SSIG1 terms of the last two words need the first two, so it takes two passes.
 */
SSE2_INLINE u32x4 next_words(u32x4 x0, u32x4 x1, u32x4 x2, u32x4 x3)
{
	const u32x4 w1 = __builtin_shufflevector(x0, x1, 1, 2, 3, 4); /* W[t+1..t+4] */
	const u32x4 w9 = __builtin_shufflevector(x2, x3, 1, 2, 3, 4); /* W[t+9..t+12] */
	const u32x4 partial = x0 + ssig0_4(w1) + w9;
	const u32x4 first = partial + ssig1_4(__builtin_shufflevector(x3, x3, 2, 3, 2, 3));
	const u32x4 second = partial + ssig1_4(__builtin_shufflevector(first, first, 0, 1, 0, 1));
	return __builtin_shufflevector(first, second, 0, 1, 6, 7);
}

/* Rounds t..t+3 with K + W from the ring's vector for t, then that vector moves on to t+16. */
#define FOUR_ROUNDS(a, b, c, d, e, f, g, h, t)                                                        \
	do {                                                                                          \
		const u32x4 kw = x[((t) / 4) & 3] + *(const u32x4 *)(const void *)&k[t];             \
		ROUND_KW(a, b, c, d, e, f, g, h, kw[0]);                                              \
		ROUND_KW(h, a, b, c, d, e, f, g, kw[1]);                                              \
		ROUND_KW(g, h, a, b, c, d, e, f, kw[2]);                                              \
		ROUND_KW(f, g, h, a, b, c, d, e, kw[3]);                                              \
		if ((t) < 48)                                                                         \
			x[((t) / 4) & 3] = next_words(x[((t) / 4) & 3], x[((t) / 4 + 1) & 3],        \
			                              x[((t) / 4 + 2) & 3], x[((t) / 4 + 3) & 3]);    \
	} while (0)

#define EIGHT_ROUNDS(t)                                   \
	do {                                              \
		FOUR_ROUNDS(a, b, c, d, e, f, g, h, (t)); \
		FOUR_ROUNDS(e, f, g, h, a, b, c, d, (t) + 4); \
	} while (0)

/*
 * FIPS 180-4 6.2.2 on `blocks` consecutive 64-byte blocks. The working variables stay in
 * registers from block to block and each block's starting values wait in two SSE registers,
 * so the loop makes no store at all; the state is written once at the end.
 */
static __attribute__((target("sse2"))) void compress_blocks(uint32_t state[8], const uint8_t *p, uint64_t blocks)
{
	uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
	uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
	for (; blocks != 0; blocks--, p += SHA256_BLOCK_SIZE) {
		const u32x4 abcd = {a, b, c, d}, efgh = {e, f, g, h};
		u32x4 x[4] = {load_be32x4(p), load_be32x4(p + 16), load_be32x4(p + 32), load_be32x4(p + 48)};
		ALL_ROUNDS();
		a += abcd[0], b += abcd[1], c += abcd[2], d += abcd[3];
		e += efgh[0], f += efgh[1], g += efgh[2], h += efgh[3];
	}
	state[0] = a, state[1] = b, state[2] = c, state[3] = d;
	state[4] = e, state[5] = f, state[6] = g, state[7] = h;
}
#endif

void sha256_init(struct sha256_ctx *ctx)
{
	/* FIPS 180-4 5.3.3 */
	ctx->state[0] = 0x6a09e667;
	ctx->state[1] = 0xbb67ae85;
	ctx->state[2] = 0x3c6ef372;
	ctx->state[3] = 0xa54ff53a;
	ctx->state[4] = 0x510e527f;
	ctx->state[5] = 0x9b05688c;
	ctx->state[6] = 0x1f83d9ab;
	ctx->state[7] = 0x5be0cd19;
	ctx->length = 0;
	ctx->used = 0;
}

void sha256_update(struct sha256_ctx *ctx, const void *data, uint64_t len)
{
	const uint8_t *p = (const uint8_t *)data;
	ctx->length += len;
	if (ctx->used != 0) {
		while (len != 0 && ctx->used < SHA256_BLOCK_SIZE) {
			ctx->block[ctx->used++] = *p++;
			len--;
		}
		if (ctx->used < SHA256_BLOCK_SIZE)
			return;
		compress_blocks(ctx->state, ctx->block, 1);
		ctx->used = 0;
	}
	const uint64_t whole = len / SHA256_BLOCK_SIZE;
	compress_blocks(ctx->state, p, whole);
	p += whole * SHA256_BLOCK_SIZE;
	len -= whole * SHA256_BLOCK_SIZE;
	while (len != 0) {
		ctx->block[ctx->used++] = *p++;
		len--;
	}
}

void sha256_final(struct sha256_ctx *ctx, uint8_t digest[SHA256_DIGEST_SIZE])
{
	/* FIPS 180-4 5.1.1: 0x80, zeros to 56 mod 64, then the bit length as a big-endian u64. */
	uint64_t bits = ctx->length * 8;
	ctx->block[ctx->used++] = 0x80;
	if (ctx->used > 56) {
		while (ctx->used < SHA256_BLOCK_SIZE)
			ctx->block[ctx->used++] = 0;
		compress_blocks(ctx->state, ctx->block, 1);
		ctx->used = 0;
	}
	while (ctx->used < 56)
		ctx->block[ctx->used++] = 0;
	store_be32(ctx->block + 56, (uint32_t)(bits >> 32));
	store_be32(ctx->block + 60, (uint32_t)bits);
	compress_blocks(ctx->state, ctx->block, 1);
	for (unsigned i = 0; i < 8; i++)
		store_be32(digest + 4 * i, ctx->state[i]);
}
