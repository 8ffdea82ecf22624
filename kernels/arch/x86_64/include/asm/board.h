/* SPDX-License-Identifier: MIT */
/* The x86_64 board (PC conventions, docs/devices.md): addresses of its devices. */
#ifndef ASM_BOARD_H
#define ASM_BOARD_H

#include <kernel/const.h>

/* Port I/O. */
#define PC_COM1_PORT 0x3f8     /* 16550 UART (ttyS0) */
#define PC_COM1_IRQ 4          /* its legacy IRQ line */
#define PC_PM1A_CNT_PORT 0x604 /* QEMU q35 ACPI PM1a control: 0x2000 = SLP_TYP S5 | SLP_EN */
#define PC_PM1A_CNT_S5 0x2000
#define PC_RST_CNT_PORT 0xcf9  /* reset control register */
#define PC_RST_CNT_RESET 0x06  /* SYS_RST | RST_CPU */

/* MMIO: the kdsim slots. */
#define KDSIM_AGENT_PHYS UL(0xfeb00000)
#define KDSIM_STAGE_PHYS UL(0xfeb00200)
#define KDSIM_DUMP_PHYS UL(0xfeb00400)

/* The HPET (its main counter counts machine time: machine/devices/hpet.h). */
#define PC_HPET_PHYS UL(0xfed00000)
#define PC_HPET_SIZE UL(0x400)

/* The device window ioremap() hands out (through the direct map), and the HPET. */
#define BOARD_DEVICE_PHYS_START UL(0xfeb00000)
#define BOARD_DEVICE_PHYS_END UL(0xfeb00600)

#endif /* ASM_BOARD_H */
