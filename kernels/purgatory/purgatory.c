/* SPDX-License-Identifier: MIT */
/*
 * Generic purgatory: print the banner, arch setup, verify the SHA-256 of the loaded segments
 * (the table kexec-tools' update_purgatory fills), then the arch hand-off. Same sequence and
 * output text as kexec-tools' purgatory/purgatory.c, plus kdsim stage codes.
 */
#include "purgatory.h"
#include "sha256.h"
#include "stage_codes.h"

/*
 * Tunables the loader sets. They start at zero but must not be in .bss: the loader refuses to
 * set a symbol in a NOBITS section (kexec-tools builds with -fno-zero-initialized-in-bss; the
 * section attribute makes it independent of that flag).
 */
#define LOADER_SET __attribute__((section(".data")))
LOADER_SET struct sha256_region sha256_regions[SHA256_REGIONS];
LOADER_SET uint8_t sha256_digest[32];
LOADER_SET int skip_checks;
LOADER_SET uint64_t kdsim_stage_port;

static void mmio_write32(uint64_t addr, uint32_t value)
{
	*(volatile uint32_t *)(uintptr_t)addr = value;
}

void kdsim_stage(uint32_t code, uint64_t arg0, uint64_t arg1)
{
	uint64_t port = kdsim_stage_port;
	if (port == 0)
		return;
	mmio_write32(port + PURGATORY_STAGE_ARG0_LO, (uint32_t)arg0);
	mmio_write32(port + PURGATORY_STAGE_ARG0_HI, (uint32_t)(arg0 >> 32));
	mmio_write32(port + PURGATORY_STAGE_ARG1_LO, (uint32_t)arg1);
	mmio_write32(port + PURGATORY_STAGE_ARG1_HI, (uint32_t)(arg1 >> 32));
	mmio_write32(port + PURGATORY_STAGE_REG, code);
}

void print_str(const char *s)
{
	while (*s)
		putchar(*s++);
}

/* kexec-tools' purgatory printf prints %lx / %hhx fixed width, zero-padded, lower case. */
void print_hex(uint64_t value, unsigned digits)
{
	static const char hex[] = "0123456789abcdef";
	while (digits-- != 0)
		putchar(hex[(value >> (4 * digits)) & 0xf]);
}

static void print_digest(const char *label, const uint8_t digest[32])
{
	print_str(label);
	for (unsigned i = 0; i < 32; i++) {
		print_hex(digest[i], 2);
		putchar(' ');
	}
	putchar('\n');
}

static void verify_sha256_digest(void)
{
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	uint64_t bytes = 0, regions = 0;

	sha256_init(&ctx);
	for (unsigned i = 0; i < SHA256_REGIONS; i++) {
		const struct sha256_region *r = &sha256_regions[i];
		if (r->len == 0)
			continue;
		/* Physical addresses, read directly (identity map / MMU off). */
		sha256_update(&ctx, (const void *)(uintptr_t)r->start, r->len);
		bytes += r->len;
		regions++;
	}
	sha256_final(&ctx, digest);
	if (memcmp(digest, sha256_digest, sizeof(digest)) != 0) {
		kdsim_stage(PURGATORY_STAGE_DIGEST_MISMATCH, 0, 0);
		print_str("sha256 digests do not match :(\n");
		print_digest("       digest: ", digest);
		print_digest("sha256_digest: ", sha256_digest);
		for (;;) {
			/* As kexec-tools: the next kernel is never entered. */
		}
	}
	kdsim_stage(PURGATORY_STAGE_DIGEST_OK, bytes, regions);
}

void purgatory(void)
{
	uint64_t entry = 0, boot_arg = 0;
	arch_entry_stage_args(&entry, &boot_arg);
	kdsim_stage(PURGATORY_STAGE_ENTRY, entry, boot_arg);
	print_str("I'm in purgatory\n");
	setup_arch();
	if (!skip_checks)
		verify_sha256_digest();
	post_verification_setup_arch();
}
