#include "firmware-less-boot/kexec/sha256_regions.h"
#include "firmware-less-boot/kexec/purgatory_image.h"
#include "machine/error.h"
#include <openssl/evp.h>
#include <memory>

namespace kdsim {

namespace {

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

void put_le64(uint8_t* out, uint64_t v) {
  for (unsigned i = 0; i < 8; ++i) out[i] = static_cast<uint8_t>(v >> (8 * i));
}

}  // namespace

std::array<uint8_t, kSha256Regions * 16> PurgatoryDigest::regions_bytes() const {
  std::array<uint8_t, kSha256Regions * 16> out{};
  for (size_t i = 0; i < kSha256Regions; ++i) {
    put_le64(out.data() + 16 * i, regions[i].start);
    put_le64(out.data() + 16 * i + 8, regions[i].len);
  }
  return out;
}

llvm::Expected<PurgatoryDigest> compute_sha256_regions(std::span<const KexecSegment> segments,
                                                       std::optional<PhysAddr> purgatory_mem) {
  size_t hashed = 0;
  bool found = false;
  for (const KexecSegment& s : segments) {
    if (purgatory_mem && s.mem == *purgatory_mem)
      found = true;
    else
      ++hashed;
  }
  if (purgatory_mem && !found)
    return make_error("no kexec segment at {} (the purgatory) to leave out of the hash", *purgatory_mem);
  if (hashed > kSha256Regions)
    return make_error("{} segments to hash, but the purgatory's sha256_regions has {} rows", hashed, kSha256Regions);

  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
    return make_error("OpenSSL: cannot start a SHA-256 digest");
  static const std::array<uint8_t, 4096> zeros{};
  PurgatoryDigest out;
  size_t row = 0;
  for (const KexecSegment& s : segments) {
    if (purgatory_mem && s.mem == *purgatory_mem) continue;
    uint64_t bufsz = std::min<uint64_t>(s.buf.size(), s.memsz);  // kexec-tools clamps bufsz to memsz
    if (bufsz != 0 && EVP_DigestUpdate(ctx.get(), s.buf.data(), bufsz) != 1)
      return make_error("OpenSSL: SHA-256 update failed");
    for (uint64_t left = s.memsz - bufsz; left != 0;) {
      uint64_t n = std::min<uint64_t>(left, zeros.size());
      if (EVP_DigestUpdate(ctx.get(), zeros.data(), n) != 1) return make_error("OpenSSL: SHA-256 update failed");
      left -= n;
    }
    out.regions[row++] = {s.mem.value(), s.memsz};
  }
  unsigned len = 0;
  if (EVP_DigestFinal_ex(ctx.get(), out.digest.data(), &len) != 1 || len != out.digest.size())
    return make_error("OpenSSL: SHA-256 final failed");
  return out;
}

llvm::Error update_purgatory(PlacedPurgatory& purgatory, std::span<const KexecSegment> segments,
                             PurgatoryChecks checks) {
  switch (checks) {
    case PurgatoryChecks::Skip: return purgatory.set_symbol_value<int32_t>("skip_checks", 1);
    case PurgatoryChecks::Verify: break;
  }
  auto digest = compute_sha256_regions(segments, purgatory.base());
  if (!digest) return digest.takeError();
  if (auto err = purgatory.set_symbol("sha256_regions", digest->regions_bytes())) return err;
  return purgatory.set_symbol("sha256_digest", digest->digest);
}

}  // namespace kdsim
