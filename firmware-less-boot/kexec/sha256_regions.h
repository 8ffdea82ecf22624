// The purgatory's SHA-256 table, computed as kexec-tools' update_purgatory() does
// (kexec/kexec.c; linux-kexec.md 6.1, kexec-tools-purgatory.md 4.5): over every segment except
// the purgatory's own, in segment order (sort the list first: prepare_kexec_segments), hash its
// bufsz bytes then memsz - bufsz zero bytes; region i = {mem, memsz}; unused rows stay zero.
// The digest uses OpenSSL (EVP); the guest checks it with its own SHA-256.
#pragma once
#include "firmware-less-boot/kexec/kexec_segment.h"
#include <llvm/Support/Error.h>
#include <array>
#include <cstdint>
#include <optional>
#include <span>

namespace kdsim {

class PlacedPurgatory;

inline constexpr size_t kSha256Regions = 16;  // SHA256_REGIONS, kexec/kexec-sha256.h

struct Sha256Region {
  uint64_t start = 0;
  uint64_t len = 0;
  auto operator<=>(const Sha256Region&) const = default;
};

struct PurgatoryDigest {
  std::array<Sha256Region, kSha256Regions> regions{};
  std::array<uint8_t, 32> digest{};

  // The 256 bytes of `sha256_regions`: 16 x {u64 start, u64 len}, little-endian.
  std::array<uint8_t, kSha256Regions * 16> regions_bytes() const;
};

// `purgatory_mem`: the purgatory segment's base (kexec-tools skips the segment whose mem equals
// the purgatory's load address); no value = hash every segment. Errors:
//   "no kexec segment at P0x.. (the purgatory) to leave out of the hash"
//   "N segments to hash, but the purgatory's sha256_regions has 16 rows"
llvm::Expected<PurgatoryDigest> compute_sha256_regions(std::span<const KexecSegment> segments,
                                                       std::optional<PhysAddr> purgatory_mem);

enum class PurgatoryChecks { Verify, Skip };

// update_purgatory(): Skip sets skip_checks (4 bytes) = 1 (kexec --no-checks); Verify sets
// sha256_regions (256) and sha256_digest (32) from the segments, leaving out the purgatory's.
// Symbol errors are PlacedPurgatory's (e.g. a purgatory without these symbols).
llvm::Error update_purgatory(PlacedPurgatory& purgatory, std::span<const KexecSegment> segments,
                             PurgatoryChecks checks);

}  // namespace kdsim
