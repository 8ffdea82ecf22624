// Relocation formulas for the purgatory loader, one small function per type, per arch.
//
// The set is kexec-tools' (kexec/arch/x86_64/kexec-elf-rel-x86_64.c, kexec/arch/arm64/
// kexec-arm64.c machine_apply_elf_rel; see kexec-tools-purgatory.md section 4.4), plus the
// AArch64 types clang may emit for a -fpie purgatory (LDST8/16/32, CONDBR19, TSTBR14).
// V = S + A (symbol value plus addend), P = the place (address of the patched bytes).
//
// Where we differ from kexec-tools, on purpose:
// - instruction fields are *inserted* (field masked, then set), as the ELF AArch64 ABI says;
//   kexec-tools *adds* onto the word. Both agree on the objects assemblers produce, whose
//   immediate fields are zero before relocation.
// - overflow is checked for every type whose ABI definition has a range (PC32, CALL26, ADRP,
//   ...); kexec-tools checks only R_X86_64_32/32S. An out-of-range field would silently
//   truncate; within one purgatory buffer (< 1 MiB) nothing comes close.
// - an LDSTn_ABS_LO12_NC value that is not n-byte aligned is an error for every n (kexec-tools
//   checks 64 and 128 only), since the scaled field cannot hold the low bits.
// LLVM's object::getRelocationResolver is not used: it rejects most of these types.
#pragma once
#include "machine/cpu.h"
#include <llvm/Support/Error.h>
#include <cstdint>
#include <span>
#include <string>

namespace kdsim::reloc {

// ELF relocation type numbers (System V x86-64 psABI; ELF for the Arm 64-bit Architecture).
enum X86_64Type : uint32_t {
  R_X86_64_NONE = 0, R_X86_64_64 = 1, R_X86_64_PC32 = 2, R_X86_64_PLT32 = 4,
  R_X86_64_32 = 10, R_X86_64_32S = 11,
};
enum Aarch64Type : uint32_t {
  R_AARCH64_ABS64 = 257, R_AARCH64_PREL32 = 261,
  R_AARCH64_MOVW_UABS_G0_NC = 264, R_AARCH64_MOVW_UABS_G1_NC = 266, R_AARCH64_MOVW_UABS_G2_NC = 268,
  R_AARCH64_MOVW_UABS_G3 = 269,
  R_AARCH64_LD_PREL_LO19 = 273, R_AARCH64_ADR_PREL_LO21 = 274, R_AARCH64_ADR_PREL_PG_HI21 = 275,
  R_AARCH64_ADD_ABS_LO12_NC = 277, R_AARCH64_LDST8_ABS_LO12_NC = 278, R_AARCH64_TSTBR14 = 279,
  R_AARCH64_CONDBR19 = 280, R_AARCH64_JUMP26 = 282, R_AARCH64_CALL26 = 283,
  R_AARCH64_LDST16_ABS_LO12_NC = 284, R_AARCH64_LDST32_ABS_LO12_NC = 285,
  R_AARCH64_LDST64_ABS_LO12_NC = 286, R_AARCH64_LDST128_ABS_LO12_NC = 299,
};

// --- AArch64 instruction relocations: pristine word in, patched word out. ---
uint32_t aarch64_movw_uabs(uint32_t insn, uint64_t v, unsigned group);  // G0_NC..G3: group 0..3
llvm::Expected<uint32_t> aarch64_ld_prel_lo19(uint32_t insn, uint64_t p, uint64_t v);
llvm::Expected<uint32_t> aarch64_adr_prel_lo21(uint32_t insn, uint64_t p, uint64_t v);
llvm::Expected<uint32_t> aarch64_adr_prel_pg_hi21(uint32_t insn, uint64_t p, uint64_t v);
uint32_t aarch64_add_abs_lo12_nc(uint32_t insn, uint64_t v);
// LDST8/16/32/64/128_ABS_LO12_NC: `access_bytes` is 1, 2, 4, 8 or 16.
llvm::Expected<uint32_t> aarch64_ldst_abs_lo12_nc(uint32_t insn, uint64_t v, unsigned access_bytes);
llvm::Expected<uint32_t> aarch64_tstbr14(uint32_t insn, uint64_t p, uint64_t v);
llvm::Expected<uint32_t> aarch64_condbr19(uint32_t insn, uint64_t p, uint64_t v);
llvm::Expected<uint32_t> aarch64_jump26(uint32_t insn, uint64_t p, uint64_t v);  // JUMP26 and CALL26
// --- AArch64 data relocations: the value to store. ---
llvm::Expected<uint32_t> aarch64_prel32(uint64_t p, uint64_t v);

// --- x86_64: the value to store (4 bytes) or error. R_X86_64_64 stores v as is. ---
llvm::Expected<uint32_t> x86_64_abs32(uint64_t v);   // R_X86_64_32: zero-extends back to v
llvm::Expected<uint32_t> x86_64_abs32s(uint64_t v);  // R_X86_64_32S: sign-extends back to v
llvm::Expected<uint32_t> x86_64_pc32(uint64_t p, uint64_t v);  // PC32 and PLT32

// One supported type: its name and how many bytes at r_offset it patches (0 for NONE).
struct RelocTypeInfo {
  uint32_t type = 0;
  const char* name = "";
  unsigned width = 0;
};
// The entry for `type` on `arch`, or nullptr when the loader does not handle it.
const RelocTypeInfo* find_reloc_type(Arch arch, uint32_t type);
// "R_AARCH64_CALL26 (283)"; LLVM's name table for types we do not handle.
std::string reloc_type_name(Arch arch, uint32_t type);

// Applies one relocation to `loc` (at least `width` bytes). The error text is the bare reason;
// the loader prefixes file, section and offset.
llvm::Error apply_reloc(Arch arch, uint32_t type, std::span<uint8_t> loc, uint64_t p, uint64_t v);

}  // namespace kdsim::reloc
