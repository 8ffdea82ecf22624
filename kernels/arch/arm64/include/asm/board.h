/* SPDX-License-Identifier: MIT */
/* The arm64 board (QEMU virt / kdsim, docs/devices.md): physical addresses of its devices. */
#ifndef ASM_BOARD_H
#define ASM_BOARD_H

#include <kernel/const.h>

#define VIRT_GIC_DIST_PHYS UL(0x08000000)
#define VIRT_GIC_CPU_PHYS UL(0x08010000)
#define VIRT_UART_PHYS UL(0x09000000)
#define VIRT_UART_SIZE UL(0x1000)
#define VIRT_UART_IRQ 33 /* GIC INTID: SPI 1, as QEMU virt wires UART0 */
#define VIRT_RTC_PHYS UL(0x09010000) /* PL031 */
#define KDSIM_AGENT_PHYS UL(0x0a000000)
#define KDSIM_STAGE_PHYS UL(0x0a000200)
#define KDSIM_DUMP_PHYS UL(0x0a000400)

/* Device window mapped at boot (2 MiB blocks): GIC .. end of the kdsim slots. */
#define BOARD_DEVICE_PHYS_START UL(0x08000000)
#define BOARD_DEVICE_PHYS_END UL(0x0a200000)

/* QEMU virt defaults used when x0 = 0 (no DTB: QEMU ELF boot). */
#define VIRT_RAM_PHYS UL(0x40000000)
#define VIRT_RAM_DEFAULT_SIZE UL(0x8000000)

#endif /* ASM_BOARD_H */
