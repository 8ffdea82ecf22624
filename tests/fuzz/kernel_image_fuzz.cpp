// Fuzz target: a kernel ELF through KernelImage::create_from_bytes (firmware-less-boot's loader:
// headers, PT_LOADs, entry, .symtab), then what a run asks of an accepted image: its footprint,
// symbols, and the load into RAM at the board's base. The first byte picks the arch so one
// corpus covers both e_machine paths; the rest is the file. Seeds: build-fuzz/kernels/*/*.elf.
#include "firmware-less-boot/kernel_image.h"
#include "machine/board.h"
#include "machine/ram.h"
#include "tests/fuzz/fuzz_common.h"
#include <cstdlib>

using namespace kdsim;

namespace {

// One RAM per arch for the whole run: creating the memfd mapping per input would dominate.
Ram& ram_for(Arch arch) {
  static std::unique_ptr<Ram> rams[2];
  auto& ram = rams[arch == Arch::Arm64 ? 0 : 1];
  if (!ram) {
    auto board = make_board(arch, 64ull << 20);  // holds both toy kernels; bss zeroing stays cheap
    if (!board) abort();
    auto created = Ram::create(board->ram);
    if (!created) abort();
    ram = std::move(*created);
  }
  return *ram;
}

void exercise(const KernelImage& image) {
  (void)image.footprint();
  (void)image.footprint(0x1000'0000);
  (void)image.entry_physical();
  if (auto start = image.symbol("_text")) (void)image.symbolize(*start);
  (void)image.symbolize(image.entry());
  (void)image.symbolize_return(image.entry());
  kdsim::fuzz::consume(image.load(ram_for(image.arch())));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const Arch arch = data[0] & 1 ? Arch::X86_64 : Arch::Arm64;
  auto image = KernelImage::create_from_bytes("fuzz.elf", kdsim::fuzz::bytes_of(data + 1, size - 1), arch);
  if (image) exercise(*image);
  kdsim::fuzz::consume(image);
  return 0;
}
