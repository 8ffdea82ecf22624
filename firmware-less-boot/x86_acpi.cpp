#include "firmware-less-boot/x86_acpi.h"
#include "machine/assert.h"
#include <cstring>
#include <string_view>

namespace kdsim::x86 {
namespace {
constexpr size_t kXsdtOffset = 0x40, kMadtOffset = 0x80;
constexpr uint8_t kMadtTypeLocalApic = 0, kMadtLocalApicLength = 8;
constexpr uint32_t kLocalApicEnabled = 1;  // ACPI_MADT_ENABLED
constexpr std::string_view kOemId = "KDSIM ", kOemTableId = "KDSIMPC ", kCreatorId = "KDSM";

void put_bytes(std::vector<uint8_t>& b, size_t at, std::string_view s) { std::memcpy(b.data() + at, s.data(), s.size()); }
template <typename T> void put(std::vector<uint8_t>& b, size_t at, T v) { std::memcpy(b.data() + at, &v, sizeof v); }

// The byte that makes [at, at + len) sum to zero (mod 256), stored at `checksum_at`.
void set_checksum(std::vector<uint8_t>& b, size_t at, size_t len, size_t checksum_at) {
  b[checksum_at] = 0;
  uint8_t sum = 0;
  for (size_t i = at; i < at + len; ++i) sum = static_cast<uint8_t>(sum + b[i]);
  b[checksum_at] = static_cast<uint8_t>(-sum);
}

// struct acpi_table_header (include/acpi/actbl.h).
void put_sdt_header(std::vector<uint8_t>& b, size_t at, std::string_view signature, uint32_t length, uint8_t revision) {
  put_bytes(b, at, signature);
  put<uint32_t>(b, at + 4, length);
  b[at + 8] = revision;
  put_bytes(b, at + 10, kOemId);
  put_bytes(b, at + 16, kOemTableId);
  put<uint32_t>(b, at + 24, 1);  // OEM revision
  put_bytes(b, at + 28, kCreatorId);
  put<uint32_t>(b, at + 32, 1);  // creator revision
}
}  // namespace

std::vector<uint8_t> build_acpi_tables(PhysAddr at, unsigned cpus) {
  KDSIM_ASSERT(cpus >= 1 && cpus <= 255, "{} CPUs in the MADT", cpus);
  const uint32_t xsdt_len = kSdtHeaderLength + 8;
  const uint32_t madt_len = kSdtHeaderLength + 8 + kMadtLocalApicLength * cpus;
  std::vector<uint8_t> b(kMadtOffset + madt_len, 0);
  // RSDP, ACPI 2.0 (struct acpi_table_rsdp): no RSDT, the XSDT only.
  put_bytes(b, 0, "RSD PTR ");
  put_bytes(b, 9, kOemId);
  b[15] = 2;                                    // revision
  put<uint32_t>(b, 20, kRsdpLength);            // length
  put<uint64_t>(b, 24, at.value() + kXsdtOffset);  // XSDT address
  set_checksum(b, 0, 20, 8);                    // ACPI 1.0 checksum: the first 20 bytes
  set_checksum(b, 0, kRsdpLength, 32);          // extended checksum: the whole RSDP
  // XSDT: one entry, the MADT.
  put_sdt_header(b, kXsdtOffset, "XSDT", xsdt_len, 1);
  put<uint64_t>(b, kXsdtOffset + kSdtHeaderLength, at.value() + kMadtOffset);
  set_checksum(b, kXsdtOffset, xsdt_len, kXsdtOffset + 9);
  // MADT (struct acpi_table_madt): local APIC address, flags 0 (no dual 8259 PICs).
  put_sdt_header(b, kMadtOffset, "APIC", madt_len, 5);
  put<uint32_t>(b, kMadtOffset + kSdtHeaderLength, static_cast<uint32_t>(kLocalApicAddress));
  for (unsigned cpu = 0; cpu < cpus; ++cpu) {
    const size_t e = kMadtOffset + kSdtHeaderLength + 8 + kMadtLocalApicLength * cpu;
    b[e] = kMadtTypeLocalApic;
    b[e + 1] = kMadtLocalApicLength;
    b[e + 2] = static_cast<uint8_t>(cpu);  // ACPI processor UID
    b[e + 3] = static_cast<uint8_t>(cpu);  // APIC ID (lapic.h: the CPU number)
    put<uint32_t>(b, e + 4, kLocalApicEnabled);
  }
  set_checksum(b, kMadtOffset, madt_len, kMadtOffset + 9);
  return b;
}

}  // namespace kdsim::x86
