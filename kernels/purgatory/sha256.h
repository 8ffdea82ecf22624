/* SPDX-License-Identifier: MIT */
/*
 * SHA-256 (FIPS 180-4 section 6.2), freestanding: no libc, no SIMD, no tables outside .rodata.
 * Also compiled into the host tests, which compare it with OpenSSL.
 */
#ifndef KDSIM_PURGATORY_SHA256_H
#define KDSIM_PURGATORY_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32
#define SHA256_BLOCK_SIZE 64

struct sha256_ctx {
	uint32_t state[8];
	uint64_t length;                  /* bytes hashed so far */
	uint8_t block[SHA256_BLOCK_SIZE]; /* partial block */
	size_t used;                      /* bytes in block */
};

void sha256_init(struct sha256_ctx *ctx);
void sha256_update(struct sha256_ctx *ctx, const void *data, uint64_t len);
void sha256_final(struct sha256_ctx *ctx, uint8_t digest[SHA256_DIGEST_SIZE]);

#endif
