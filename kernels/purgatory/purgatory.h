/* SPDX-License-Identifier: MIT */
/*
 * kdsim purgatory: the code kexec runs between the old kernel and the new one. ABI-compatible
 * with kexec-tools' purgatory.ro (same global symbols, sizes and hand-off), see
 * shared/reference/kexec-tools-purgatory.md (beside the project). Everything is hidden: the symbols stay
 * GLOBAL in the relocatable object (what the loader looks up), but the compiler addresses them
 * PC-relatively, never through a GOT.
 */
#ifndef KDSIM_PURGATORY_H
#define KDSIM_PURGATORY_H

#pragma GCC visibility push(hidden)

#include <stddef.h>
#include <stdint.h>

#define SHA256_REGIONS 16

struct sha256_region {
	uint64_t start;
	uint64_t len;
};

/* Set by the loader (kexec-tools update_purgatory). */
extern struct sha256_region sha256_regions[SHA256_REGIONS];
extern uint8_t sha256_digest[32];
extern int skip_checks;
/* kdsim only: stage-port base (0 = none). */
extern uint64_t kdsim_stage_port;

/* Generic part (purgatory.c). */
void purgatory(void);
void kdsim_stage(uint32_t code, uint64_t arg0, uint64_t arg1);
void print_str(const char *s);
void print_hex(uint64_t value, unsigned digits);

/* Per-arch part. */
void putchar(int ch);
void setup_arch(void);
void post_verification_setup_arch(void);
/* Arguments of the purgatory_entry stage: where the next kernel starts and its boot argument. */
void arch_entry_stage_args(uint64_t *entry, uint64_t *boot_arg);

/* Freestanding string functions (string.c): the compiler may emit calls to these. */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#pragma GCC visibility pop

#endif
