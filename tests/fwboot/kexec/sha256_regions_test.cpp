// The host's region table and digest (OpenSSL) against a hand-written expectation, and the
// guest's own SHA-256 (kernels/purgatory/sha256.c, compiled into this test for the host)
// against OpenSSL and the FIPS 180-4 examples, then the whole update_purgatory flow on the real
// purgatory with the guest's check replayed on the host.
#include "firmware-less-boot/kexec/purgatory_image.h"
#include "firmware-less-boot/kexec/sha256_regions.h"
#include <doctest/doctest.h>
#include <openssl/evp.h>
#include <string>

extern "C" {
#include "kernels/purgatory/sha256.h"
}

using namespace kdsim;

namespace {

std::array<uint8_t, 32> openssl_sha256(const std::vector<uint8_t>& data) {
  std::array<uint8_t, 32> out{};
  unsigned len = 0;
  REQUIRE(EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr) == 1);
  return out;
}

std::array<uint8_t, 32> guest_sha256(const std::vector<uint8_t>& data, size_t chunk) {
  sha256_ctx ctx;
  sha256_init(&ctx);
  for (size_t at = 0; at < data.size(); at += chunk)
    sha256_update(&ctx, data.data() + at, std::min(chunk, data.size() - at));
  std::array<uint8_t, 32> out{};
  sha256_final(&ctx, out.data());
  return out;
}

std::string hex(std::span<const uint8_t> d) {
  std::string s;
  for (uint8_t b : d) s += fmt::format("{:02x}", b);
  return s;
}

std::vector<uint8_t> bytes(std::string_view s) { return {s.begin(), s.end()}; }

KexecSegment seg(uint64_t mem, uint64_t memsz, std::vector<uint8_t> buf, std::string what) {
  return {.buf = std::move(buf), .mem = PhysAddr(mem), .memsz = memsz, .what = std::move(what)};
}

}  // namespace

TEST_CASE("purgatory sha256 (guest code): FIPS 180-4 examples and OpenSSL agreement") {
  CHECK(hex(guest_sha256(bytes("abc"), 64)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hex(guest_sha256({}, 64)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(hex(guest_sha256(bytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"), 64)) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // Every length across the padding boundaries, fed in odd chunk sizes.
  std::vector<uint8_t> data;
  for (size_t n = 0; n < 300; ++n) {
    for (size_t chunk : {1, 7, 64, 1000}) CHECK_MESSAGE(guest_sha256(data, chunk) == openssl_sha256(data), n);
    data.push_back(static_cast<uint8_t>(n * 31 + 7));
  }
}

TEST_CASE("purgatory sha256: regions and digest as kexec-tools update_purgatory computes them") {
  std::vector<KexecSegment> segs{seg(0x40080000, 0x3000, std::vector<uint8_t>(0x2800, 0x11), "kernel"),
                                 seg(0x47f00000, 0x4000, std::vector<uint8_t>(0x100, 0x22), "purgatory"),
                                 seg(0x48000000, 0x1000, bytes("dtb!"), "dtb")};
  auto d = compute_sha256_regions(segs, PhysAddr(0x47f00000));
  REQUIRE_MESSAGE(bool(d), llvm::toString(d.takeError()));
  CHECK(d->regions[0] == Sha256Region{0x40080000, 0x3000});
  CHECK(d->regions[1] == Sha256Region{0x48000000, 0x1000});
  for (size_t i = 2; i < kSha256Regions; ++i) CHECK(d->regions[i] == Sha256Region{});
  std::vector<uint8_t> expected(0x2800, 0x11);
  expected.resize(0x3000, 0);
  auto dtb = bytes("dtb!");
  expected.insert(expected.end(), dtb.begin(), dtb.end());
  expected.resize(0x4000, 0);
  CHECK(d->digest == openssl_sha256(expected));
  auto raw = d->regions_bytes();
  CHECK(raw[0] == 0x00);
  CHECK(raw[2] == 0x08);
  CHECK(raw[3] == 0x40);
  CHECK(raw[9] == 0x30);  // len 0x3000
  CHECK(raw[16 + 3] == 0x48);

  // Without a purgatory every segment is hashed.
  auto all = compute_sha256_regions(segs, std::nullopt);
  REQUIRE(bool(all));
  CHECK(all->regions[1] == Sha256Region{0x47f00000, 0x4000});

  CHECK(llvm::toString(compute_sha256_regions(segs, PhysAddr(0x1000)).takeError()) ==
        "no kexec segment at P0x1000 (the purgatory) to leave out of the hash");
  std::vector<KexecSegment> many;
  for (uint64_t i = 0; i < 17; ++i) many.push_back(seg(0x40000000 + i * 0x1000, 0x1000, {}, "x"));
  CHECK(llvm::toString(compute_sha256_regions(many, std::nullopt).takeError()) ==
        "17 segments to hash, but the purgatory's sha256_regions has 16 rows");
}

TEST_CASE("purgatory sha256: update_purgatory on the real arm64 purgatory, checked the guest's way") {
  auto image = PurgatoryImage::create(KDSIM_PURGATORY_ARM64, Arch::Arm64);
  REQUIRE_MESSAGE(bool(image), llvm::toString(image.takeError()));
  auto placed = image->place(PhysAddr(0x47f00000));
  REQUIRE(bool(placed));
  std::vector<uint8_t> kernel(0x5123);
  for (size_t i = 0; i < kernel.size(); ++i) kernel[i] = static_cast<uint8_t>(i * 7);
  auto list = prepare_kexec_segments({seg(0x48000000, 0x800, bytes("fdt"), "dtb"), placed->segment(),
                                      seg(0x40080000, kernel.size(), kernel, "kernel")});
  REQUIRE(bool(list));
  REQUIRE(!update_purgatory(*placed, *list, PurgatoryChecks::Verify));

  // Replay verify_sha256_digest(): hash each region of "guest memory" with the guest's code.
  std::vector<uint8_t> table(256);
  std::array<uint8_t, 32> digest{};
  REQUIRE(!placed->get_symbol("sha256_regions", table));
  REQUIRE(!placed->get_symbol("sha256_digest", digest));
  sha256_ctx ctx;
  sha256_init(&ctx);
  unsigned rows = 0;
  for (unsigned i = 0; i < 16; ++i) {
    uint64_t start = 0, len = 0;
    std::memcpy(&start, &table[16 * i], 8);
    std::memcpy(&len, &table[16 * i + 8], 8);
    if (len == 0) continue;
    ++rows;
    const KexecSegment* s = nullptr;
    for (const KexecSegment& c : *list)
      if (c.mem.value() == start) s = &c;
    REQUIRE(s != nullptr);
    std::vector<uint8_t> mem = s->buf;
    mem.resize(len, 0);  // kimage_load_segment zero-fills bufsz..memsz
    sha256_update(&ctx, mem.data(), mem.size());
  }
  std::array<uint8_t, 32> guest{};
  sha256_final(&ctx, guest.data());
  CHECK(rows == 2);
  CHECK(guest == digest);

  // Skip: only skip_checks changes.
  REQUIRE(!update_purgatory(*placed, *list, PurgatoryChecks::Skip));
  CHECK(*placed->get_symbol_value<int32_t>("skip_checks") == 1);
}
