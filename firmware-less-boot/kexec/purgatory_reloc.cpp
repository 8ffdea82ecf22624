#include "firmware-less-boot/kexec/purgatory_reloc.h"
#include "firmware-less-boot/elf_names.h"
#include "machine/error.h"
#include <llvm/Object/ELF.h>
#include <array>
#include <cstring>

namespace kdsim::reloc {

namespace {

// True when the two's-complement value d fits a signed field of `bits` bits.
bool fits_signed(int64_t d, unsigned bits) {
  int64_t lo = -(int64_t(1) << (bits - 1)), hi = (int64_t(1) << (bits - 1)) - 1;
  return d >= lo && d <= hi;
}

std::string signed_hex(int64_t v) {
  if (v >= 0) return fmt::format("0x{:x}", v);
  return fmt::format("-0x{:x}", 0 - static_cast<uint64_t>(v));
}

// Sets bits [lsb, lsb + width) of insn to field.
uint32_t insert(uint32_t insn, uint32_t field, unsigned lsb, unsigned width) {
  uint32_t mask = ((width == 32 ? 0u : (1u << width)) - 1) << lsb;
  return (insn & ~mask) | ((field << lsb) & mask);
}

// A PC-relative displacement d = v - p for a field of `bits` bits after dropping `scale` bits.
llvm::Expected<int64_t> displacement(uint64_t p, uint64_t v, unsigned bits, unsigned scale, const char* what) {
  int64_t d = static_cast<int64_t>(v - p);
  if (scale != 0 && (d & ((int64_t(1) << scale) - 1)) != 0)
    return make_error("{} displacement {} (target 0x{:x} from 0x{:x}) is not a multiple of {}", what, signed_hex(d), v,
                      p, 1u << scale);
  if (!fits_signed(d, bits + scale))
    return make_error("{} displacement {} (target 0x{:x} from 0x{:x}) does not fit {} bits", what, signed_hex(d), v, p,
                      bits + scale);
  return d;
}

uint32_t load32(std::span<const uint8_t> loc) {
  uint32_t w = 0;
  for (unsigned i = 0; i < 4; ++i) w |= uint32_t(loc[i]) << (8 * i);
  return w;
}

void store(std::span<uint8_t> loc, uint64_t v, unsigned n) {
  for (unsigned i = 0; i < n; ++i) loc[i] = static_cast<uint8_t>(v >> (8 * i));
}

constexpr std::array kX86_64Types{
    RelocTypeInfo{R_X86_64_NONE, "R_X86_64_NONE", 0},   RelocTypeInfo{R_X86_64_64, "R_X86_64_64", 8},
    RelocTypeInfo{R_X86_64_PC32, "R_X86_64_PC32", 4},   RelocTypeInfo{R_X86_64_PLT32, "R_X86_64_PLT32", 4},
    RelocTypeInfo{R_X86_64_32, "R_X86_64_32", 4},       RelocTypeInfo{R_X86_64_32S, "R_X86_64_32S", 4},
};
constexpr std::array kAarch64Types{
    RelocTypeInfo{R_AARCH64_ABS64, "R_AARCH64_ABS64", 8},
    RelocTypeInfo{R_AARCH64_PREL32, "R_AARCH64_PREL32", 4},
    RelocTypeInfo{R_AARCH64_MOVW_UABS_G0_NC, "R_AARCH64_MOVW_UABS_G0_NC", 4},
    RelocTypeInfo{R_AARCH64_MOVW_UABS_G1_NC, "R_AARCH64_MOVW_UABS_G1_NC", 4},
    RelocTypeInfo{R_AARCH64_MOVW_UABS_G2_NC, "R_AARCH64_MOVW_UABS_G2_NC", 4},
    RelocTypeInfo{R_AARCH64_MOVW_UABS_G3, "R_AARCH64_MOVW_UABS_G3", 4},
    RelocTypeInfo{R_AARCH64_LD_PREL_LO19, "R_AARCH64_LD_PREL_LO19", 4},
    RelocTypeInfo{R_AARCH64_ADR_PREL_LO21, "R_AARCH64_ADR_PREL_LO21", 4},
    RelocTypeInfo{R_AARCH64_ADR_PREL_PG_HI21, "R_AARCH64_ADR_PREL_PG_HI21", 4},
    RelocTypeInfo{R_AARCH64_ADD_ABS_LO12_NC, "R_AARCH64_ADD_ABS_LO12_NC", 4},
    RelocTypeInfo{R_AARCH64_LDST8_ABS_LO12_NC, "R_AARCH64_LDST8_ABS_LO12_NC", 4},
    RelocTypeInfo{R_AARCH64_TSTBR14, "R_AARCH64_TSTBR14", 4},
    RelocTypeInfo{R_AARCH64_CONDBR19, "R_AARCH64_CONDBR19", 4},
    RelocTypeInfo{R_AARCH64_JUMP26, "R_AARCH64_JUMP26", 4},
    RelocTypeInfo{R_AARCH64_CALL26, "R_AARCH64_CALL26", 4},
    RelocTypeInfo{R_AARCH64_LDST16_ABS_LO12_NC, "R_AARCH64_LDST16_ABS_LO12_NC", 4},
    RelocTypeInfo{R_AARCH64_LDST32_ABS_LO12_NC, "R_AARCH64_LDST32_ABS_LO12_NC", 4},
    RelocTypeInfo{R_AARCH64_LDST64_ABS_LO12_NC, "R_AARCH64_LDST64_ABS_LO12_NC", 4},
    RelocTypeInfo{R_AARCH64_LDST128_ABS_LO12_NC, "R_AARCH64_LDST128_ABS_LO12_NC", 4},
};

// An instruction relocation: read the word, patch it, write it back.
template <typename F> llvm::Error patch_insn(std::span<uint8_t> loc, F&& patch) {
  auto word = patch(load32(loc));
  if (!word) return word.takeError();
  store(loc, *word, 4);
  return llvm::Error::success();
}

llvm::Error apply_aarch64(Arch arch, uint32_t type, std::span<uint8_t> loc, uint64_t p, uint64_t v) {
  auto ok = [](uint32_t w) -> llvm::Expected<uint32_t> { return w; };
  switch (type) {
    case R_AARCH64_ABS64: store(loc, v, 8); return llvm::Error::success();
    case R_AARCH64_PREL32: {
      auto d = aarch64_prel32(p, v);
      if (!d) return d.takeError();
      store(loc, *d, 4);
      return llvm::Error::success();
    }
    case R_AARCH64_MOVW_UABS_G0_NC: return patch_insn(loc, [&](uint32_t i) { return ok(aarch64_movw_uabs(i, v, 0)); });
    case R_AARCH64_MOVW_UABS_G1_NC: return patch_insn(loc, [&](uint32_t i) { return ok(aarch64_movw_uabs(i, v, 1)); });
    case R_AARCH64_MOVW_UABS_G2_NC: return patch_insn(loc, [&](uint32_t i) { return ok(aarch64_movw_uabs(i, v, 2)); });
    case R_AARCH64_MOVW_UABS_G3: return patch_insn(loc, [&](uint32_t i) { return ok(aarch64_movw_uabs(i, v, 3)); });
    case R_AARCH64_LD_PREL_LO19: return patch_insn(loc, [&](uint32_t i) { return aarch64_ld_prel_lo19(i, p, v); });
    case R_AARCH64_ADR_PREL_LO21: return patch_insn(loc, [&](uint32_t i) { return aarch64_adr_prel_lo21(i, p, v); });
    case R_AARCH64_ADR_PREL_PG_HI21:
      return patch_insn(loc, [&](uint32_t i) { return aarch64_adr_prel_pg_hi21(i, p, v); });
    case R_AARCH64_ADD_ABS_LO12_NC: return patch_insn(loc, [&](uint32_t i) { return ok(aarch64_add_abs_lo12_nc(i, v)); });
    case R_AARCH64_LDST8_ABS_LO12_NC: return patch_insn(loc, [&](uint32_t i) { return aarch64_ldst_abs_lo12_nc(i, v, 1); });
    case R_AARCH64_LDST16_ABS_LO12_NC: return patch_insn(loc, [&](uint32_t i) { return aarch64_ldst_abs_lo12_nc(i, v, 2); });
    case R_AARCH64_LDST32_ABS_LO12_NC: return patch_insn(loc, [&](uint32_t i) { return aarch64_ldst_abs_lo12_nc(i, v, 4); });
    case R_AARCH64_LDST64_ABS_LO12_NC: return patch_insn(loc, [&](uint32_t i) { return aarch64_ldst_abs_lo12_nc(i, v, 8); });
    case R_AARCH64_LDST128_ABS_LO12_NC:
      return patch_insn(loc, [&](uint32_t i) { return aarch64_ldst_abs_lo12_nc(i, v, 16); });
    case R_AARCH64_TSTBR14: return patch_insn(loc, [&](uint32_t i) { return aarch64_tstbr14(i, p, v); });
    case R_AARCH64_CONDBR19: return patch_insn(loc, [&](uint32_t i) { return aarch64_condbr19(i, p, v); });
    case R_AARCH64_JUMP26:
    case R_AARCH64_CALL26: return patch_insn(loc, [&](uint32_t i) { return aarch64_jump26(i, p, v); });
  }
  return make_error("unhandled relocation {}", reloc_type_name(arch, type));
}

llvm::Error apply_x86_64(Arch arch, uint32_t type, std::span<uint8_t> loc, uint64_t p, uint64_t v) {
  llvm::Expected<uint32_t> word = 0u;
  switch (type) {
    case R_X86_64_NONE: return llvm::Error::success();
    case R_X86_64_64: store(loc, v, 8); return llvm::Error::success();
    case R_X86_64_32: word = x86_64_abs32(v); break;
    case R_X86_64_32S: word = x86_64_abs32s(v); break;
    case R_X86_64_PC32:
    case R_X86_64_PLT32: word = x86_64_pc32(p, v); break;  // PLT32: no PLT here, as kexec-tools
    default: return make_error("unhandled relocation {}", reloc_type_name(arch, type));
  }
  if (!word) return word.takeError();
  store(loc, *word, 4);
  return llvm::Error::success();
}

// Each arch's relocation set (kexec-tools' kexec/arch/<arch>/ machine_apply_elf_rel), indexed
// by Arch: the one place that picks an arch's table and formulas.
struct RelocSet {
  std::span<const RelocTypeInfo> types;
  llvm::Error (*apply)(Arch, uint32_t, std::span<uint8_t>, uint64_t, uint64_t);
};
const RelocSet& reloc_set(Arch arch) {
  static const std::array<RelocSet, kArchCount> sets{{{kAarch64Types, apply_aarch64}, {kX86_64Types, apply_x86_64}}};
  return sets[arch_index(arch)];
}

}  // namespace

uint32_t aarch64_movw_uabs(uint32_t insn, uint64_t v, unsigned group) {
  // MOVZ/MOVK imm16 at bits 20..5 (Arm ARM C6.2.226/C6.2.225).
  return insert(insn, static_cast<uint32_t>((v >> (16 * group)) & 0xffff), 5, 16);
}

llvm::Expected<uint32_t> aarch64_ld_prel_lo19(uint32_t insn, uint64_t p, uint64_t v) {
  // LDR (literal): imm19 at bits 23..5, scaled by 4, +-1 MiB.
  auto d = displacement(p, v, 19, 2, "LDR literal");
  if (!d) return d.takeError();
  return insert(insn, static_cast<uint32_t>(*d >> 2), 5, 19);
}

llvm::Expected<uint32_t> aarch64_adr_prel_lo21(uint32_t insn, uint64_t p, uint64_t v) {
  // ADR: immlo (2 bits) at 30..29, immhi (19 bits) at 23..5, +-1 MiB, byte granular.
  auto d = displacement(p, v, 21, 0, "ADR");
  if (!d) return d.takeError();
  uint32_t imm = static_cast<uint32_t>(*d);
  return insert(insert(insn, imm & 3, 29, 2), imm >> 2, 5, 19);
}

llvm::Expected<uint32_t> aarch64_adr_prel_pg_hi21(uint32_t insn, uint64_t p, uint64_t v) {
  // ADRP: the 4 KiB page delta, same fields as ADR, +-4 GiB.
  uint64_t page_p = p & ~uint64_t(0xfff), page_v = v & ~uint64_t(0xfff);
  auto d = displacement(page_p, page_v, 21, 12, "ADRP page");
  if (!d) return d.takeError();
  uint32_t imm = static_cast<uint32_t>(*d >> 12);
  return insert(insert(insn, imm & 3, 29, 2), imm >> 2, 5, 19);
}

uint32_t aarch64_add_abs_lo12_nc(uint32_t insn, uint64_t v) {
  // ADD (immediate): imm12 at bits 21..10.
  return insert(insn, static_cast<uint32_t>(v & 0xfff), 10, 12);
}

llvm::Expected<uint32_t> aarch64_ldst_abs_lo12_nc(uint32_t insn, uint64_t v, unsigned access_bytes) {
  // LDR/STR (unsigned offset): imm12 at bits 21..10, scaled by the access size.
  unsigned shift = 0;
  while ((1u << shift) < access_bytes) ++shift;
  if ((v & (access_bytes - 1)) != 0)
    return make_error("target 0x{:x} is not {}-byte aligned for a {}-bit load/store offset", v, access_bytes,
                      8 * access_bytes);
  return insert(insn, static_cast<uint32_t>((v & 0xfff) >> shift), 10, 12);
}

llvm::Expected<uint32_t> aarch64_tstbr14(uint32_t insn, uint64_t p, uint64_t v) {
  // TBZ/TBNZ: imm14 at bits 18..5, scaled by 4, +-32 KiB.
  auto d = displacement(p, v, 14, 2, "TBZ/TBNZ");
  if (!d) return d.takeError();
  return insert(insn, static_cast<uint32_t>(*d >> 2), 5, 14);
}

llvm::Expected<uint32_t> aarch64_condbr19(uint32_t insn, uint64_t p, uint64_t v) {
  // B.cond/CBZ/CBNZ: imm19 at bits 23..5, scaled by 4, +-1 MiB.
  auto d = displacement(p, v, 19, 2, "conditional branch");
  if (!d) return d.takeError();
  return insert(insn, static_cast<uint32_t>(*d >> 2), 5, 19);
}

llvm::Expected<uint32_t> aarch64_jump26(uint32_t insn, uint64_t p, uint64_t v) {
  // B/BL: imm26 at bits 25..0, scaled by 4, +-128 MiB.
  auto d = displacement(p, v, 26, 2, "B/BL");
  if (!d) return d.takeError();
  return insert(insn, static_cast<uint32_t>(*d >> 2), 0, 26);
}

llvm::Expected<uint32_t> aarch64_prel32(uint64_t p, uint64_t v) {
  // ABI range: -2^31 <= V - P < 2^32.
  int64_t d = static_cast<int64_t>(v - p);
  if (d < -(int64_t(1) << 31) || d >= (int64_t(1) << 32))
    return make_error("PREL32 displacement {} (target 0x{:x} from 0x{:x}) does not fit 32 bits", signed_hex(d), v, p);
  return static_cast<uint32_t>(d);
}

llvm::Expected<uint32_t> x86_64_abs32(uint64_t v) {
  if (v > 0xffffffffu) return make_error("value 0x{:x} does not fit an unsigned 32-bit field", v);
  return static_cast<uint32_t>(v);
}

llvm::Expected<uint32_t> x86_64_abs32s(uint64_t v) {
  if (!fits_signed(static_cast<int64_t>(v), 32))
    return make_error("value 0x{:x} does not fit a sign-extended 32-bit field", v);
  return static_cast<uint32_t>(v);
}

llvm::Expected<uint32_t> x86_64_pc32(uint64_t p, uint64_t v) {
  int64_t d = static_cast<int64_t>(v - p);
  if (!fits_signed(d, 32))
    return make_error("PC-relative displacement {} (target 0x{:x} from 0x{:x}) does not fit 32 bits", signed_hex(d),
                      v, p);
  return static_cast<uint32_t>(d);
}

const RelocTypeInfo* find_reloc_type(Arch arch, uint32_t type) {
  for (const RelocTypeInfo& info : reloc_set(arch).types)
    if (info.type == type) return &info;
  return nullptr;
}

std::string reloc_type_name(Arch arch, uint32_t type) {
  llvm::StringRef name = llvm::object::getELFRelocationTypeName(elf::machine_for(arch), type);
  return fmt::format("{} ({})", std::string_view(name.data(), name.size()), type);
}

llvm::Error apply_reloc(Arch arch, uint32_t type, std::span<uint8_t> loc, uint64_t p, uint64_t v) {
  const RelocTypeInfo* info = find_reloc_type(arch, type);
  if (info == nullptr) return make_error("unhandled relocation {}", reloc_type_name(arch, type));
  if (loc.size() < info->width)
    return make_error("{} needs {} bytes but only {} remain", reloc_type_name(arch, type), info->width, loc.size());
  return reloc_set(arch).apply(arch, type, loc, p, v);
}

}  // namespace kdsim::reloc
