/* SPDX-License-Identifier: MIT */
/* ESR_ELx decoding (mirrors arch/arm64/include/asm/esr.h). */
#ifndef ASM_ESR_H
#define ASM_ESR_H

#define ESR_ELx_EC_SHIFT 26
#define ESR_ELx_EC_MASK (0x3fUL << ESR_ELx_EC_SHIFT)
#define ESR_ELx_EC(esr) (((esr) & ESR_ELx_EC_MASK) >> ESR_ELx_EC_SHIFT)
#define ESR_ELx_IL (1UL << 25)
#define ESR_ELx_ISS_MASK 0x1ffffffUL

#define ESR_ELx_EC_UNKNOWN 0x00
#define ESR_ELx_EC_WFx 0x01
#define ESR_ELx_EC_SVC64 0x15
#define ESR_ELx_EC_HVC64 0x16
#define ESR_ELx_EC_SYS64 0x18
#define ESR_ELx_EC_IABT_LOW 0x20
#define ESR_ELx_EC_IABT_CUR 0x21
#define ESR_ELx_EC_PC_ALIGN 0x22
#define ESR_ELx_EC_DABT_LOW 0x24
#define ESR_ELx_EC_DABT_CUR 0x25
#define ESR_ELx_EC_SP_ALIGN 0x26
#define ESR_ELx_EC_SERROR 0x2f
#define ESR_ELx_EC_BRK64 0x3c

/* Data/instruction abort ISS. */
#define ESR_ELx_WNR (1UL << 6)
#define ESR_ELx_CM (1UL << 8)
#define ESR_ELx_FnV (1UL << 10)
#define ESR_ELx_EA (1UL << 9)
#define ESR_ELx_S1PTW (1UL << 7)
#define ESR_ELx_SET_SHIFT 11
#define ESR_ELx_SET_MASK (3UL << ESR_ELx_SET_SHIFT)
#define ESR_ELx_FSC 0x3fUL
#define ESR_ELx_FSC_TYPE 0x3cUL
#define ESR_ELx_FSC_LEVEL 0x03UL
#define ESR_ELx_FSC_FAULT 0x04UL /* translation fault */
#define ESR_ELx_FSC_ACCESS 0x08UL
#define ESR_ELx_FSC_PERM 0x0cUL
#define ESR_ELx_ISV (1UL << 24)

#endif /* ASM_ESR_H */
