// Fuzz target: a purgatory.ro (ET_REL) through PurgatoryImage::create_from_bytes, then place()
// (layout and every relocation) and the symbol accesses the kexec-tools role makes
// (check_purgatory_abi: elf_rel_set_symbol / get_symbol / get_addr for each ABI symbol). The
// first byte picks the arch and the placement base; the rest is the file.
// Seeds: build-fuzz/kernels/purgatory/*.ro and the purgatory inside Debian's kexec binaries.
#include "firmware-less-boot/kexec/purgatory_abi.h"
#include "firmware-less-boot/kexec/purgatory_image.h"
#include "tests/fuzz/fuzz_common.h"

using namespace kdsim;

namespace {

void exercise(const PurgatoryImage& image, uint8_t selector) {
  (void)image.bufsz();
  (void)image.memsz();
  (void)image.entry_offset();
  const uint64_t align = image.alignment();
  // A low base, and one near the top of the address space (relocations that overflow).
  const uint64_t base = selector & 2 ? (~uint64_t(0) / align) * align - align * 16 : align * 0x7000;
  auto placed = image.place(PhysAddr(base));
  if (placed) {
    (void)placed->symbolize(placed->entry());
    (void)placed->segment();
    for (unsigned i = 0; i < image.sections().size(); ++i) (void)placed->section_address(i);
  }
  kdsim::fuzz::consume(placed);
  kdsim::fuzz::consume(check_purgatory_abi(image));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const Arch arch = data[0] & 1 ? Arch::X86_64 : Arch::Arm64;
  auto image = PurgatoryImage::create_from_bytes("fuzz.ro", kdsim::fuzz::bytes_of(data + 1, size - 1), arch);
  if (image) exercise(*image, data[0]);
  kdsim::fuzz::consume(image);
  return 0;
}
