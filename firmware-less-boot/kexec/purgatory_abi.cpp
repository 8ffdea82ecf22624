#include "firmware-less-boot/kexec/purgatory_abi.h"
#include <array>
#include "machine/error.h"
#include <vector>

namespace kdsim {

namespace {

using Use = PurgatoryAbiSymbol::Use;

// kexec/kexec.c update_purgatory and the entry symbol; then kexec-arm64.c
// arm64_load_other_segments, or kexec-bzImage64.c / kexec-elf-x86_64.c plus kexec-x86_64.c
// arch_update_purgatory.
constexpr PurgatoryAbiSymbol kArm64[] = {
    {"purgatory_start", 0, Use::Address}, {"sha256_regions", 256, Use::Value}, {"sha256_digest", 32, Use::Value},
    {"skip_checks", 4, Use::Value},       {"arm64_kernel_entry", 8, Use::Value}, {"arm64_dtb_addr", 8, Use::Value},
    {"arm64_sink", 8, Use::Value},
};

constexpr PurgatoryAbiSymbol kX86_64[] = {
    {"purgatory_start", 0, Use::Address}, {"sha256_regions", 256, Use::Value}, {"sha256_digest", 32, Use::Value},
    {"skip_checks", 4, Use::Value},       {"entry64_regs", 136, Use::Value},   {"stack_end", 0, Use::Address},
    {"reset_vga", 1, Use::Value},         {"serial_base", 2, Use::Value},      {"serial_baud", 4, Use::Value},
    {"console_vga", 1, Use::Value},       {"console_serial", 1, Use::Value},   {"backup_src_start", 8, Use::Value},
    {"backup_src_size", 8, Use::Value},   {"backup_start", 8, Use::Value},     {"panic_kernel", 1, Use::Value},
};

}  // namespace

// Indexed by Arch (arm64 first, as the enum).
std::span<const PurgatoryAbiSymbol> purgatory_abi_symbols(Arch arch) {
  static const std::array<std::span<const PurgatoryAbiSymbol>, kArchCount> abis{{kArm64, kX86_64}};
  return abis[arch_index(arch)];
}

llvm::Error check_purgatory_abi(const PurgatoryImage& image) {
  // Any base of the right alignment does: relocation results are not looked at, only whether
  // every relocation applies and where the symbols are.
  const uint64_t base = ((uint64_t(1) << 28) + image.alignment() - 1) & ~(image.alignment() - 1);
  auto placed = image.place(PhysAddr(base));
  if (!placed) return placed.takeError();
  for (const PurgatoryAbiSymbol& sym : purgatory_abi_symbols(image.arch())) {
    llvm::Error err = llvm::Error::success();
    switch (sym.use) {
      case Use::Value: {
        std::vector<uint8_t> bytes(sym.size);
        err = placed->get_symbol(sym.name, bytes);
        break;
      }
      case Use::Address: {
        auto address = placed->symbol_address(sym.name);
        if (!address) err = address.takeError();
        break;
      }
    }
    if (err) {
      if (sym.use == Use::Address)
        return make_error("{} (kdsim's kexec role needs the address of '{}')", error_text(std::move(err)), sym.name);
      return make_error("{} (kdsim's kexec role needs '{}', {} bytes)", error_text(std::move(err)), sym.name,
                        sym.size);
    }
  }
  return llvm::Error::success();
}

}  // namespace kdsim
