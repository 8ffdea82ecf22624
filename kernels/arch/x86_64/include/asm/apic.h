/* SPDX-License-Identifier: MIT */
/*
 * The local APIC in xAPIC mode (mirrors arch/x86/include/asm/apicdef.h and apic.h, reduced):
 * the registers kdsim's board models (docs/devices.md), reached through the direct map.
 */
#ifndef ASM_APIC_H
#define ASM_APIC_H

#include <kernel/types.h>

#define APIC_DEFAULT_PHYS_BASE 0xfee00000UL

#define APIC_ID 0x20
#define GET_APIC_ID(x) (((x) >> 24) & 0xffu)
#define APIC_LVR 0x30
#define APIC_TASKPRI 0x80
#define APIC_EOI 0xb0
#define APIC_SPIV 0xf0
#define APIC_SPIV_APIC_ENABLED (1u << 8)
#define SPURIOUS_APIC_VECTOR 0xff
#define APIC_ESR 0x280
#define APIC_ICR 0x300
#define APIC_DEST_ALLBUT 0xc0000
#define APIC_INT_LEVELTRIG 0x08000
#define APIC_INT_ASSERT 0x04000
#define APIC_ICR_BUSY 0x01000
#define APIC_DM_NMI 0x00400
#define APIC_DM_INIT 0x00500
#define APIC_DM_STARTUP 0x00600
#define APIC_ICR2 0x310
#define SET_XAPIC_DEST_FIELD(x) ((u32)(x) << 24)

#define NMI_VECTOR 0x02
/* arch/x86/include/asm/irq_vectors.h */
#define CALL_FUNCTION_SINGLE_VECTOR 0xfb

/* Set once the MADT named the local APIC (acpi_parse_madt()): until then no APIC access. */
extern bool x86_apic_present;

u32 apic_read(u32 reg);
void apic_write(u32 reg, u32 v);
/* Mirrors native_apic_icr_write(): ICR2 (destination) first, the write to ICR sends. */
void apic_icr_write(u32 low, u32 apicid);
/* Mirrors safe_apic_wait_icr_idle(): 0 when the ICR went idle, else the busy bit. */
u32 safe_apic_wait_icr_idle(void);
/* Mirrors apic->send_IPI_allbutself() of the flat APIC driver (shorthand "all but self"). */
void apic_send_IPI_allbutself(unsigned int vector);
/* Mirrors setup_local_APIC(): TPR 0, the APIC software-enabled with the spurious vector. */
void setup_local_APIC(void);
unsigned int read_apic_id(void);

/* x86_cpu_to_apicid (arch/x86/kernel/setup_percpu.c): the APIC ID of each possible CPU. */
extern u32 x86_cpu_to_apicid[];

#endif /* ASM_APIC_H */
