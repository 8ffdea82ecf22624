/* SPDX-License-Identifier: MIT */
/*
 * Register layout of the kdsim devices (guest-side copy of docs/devices.md). Usable from
 * assembly (the assembler defines __ASSEMBLER__). Physical bases are per board: asm/board.h.
 */
#ifndef KDSIM_DEVICES_H
#define KDSIM_DEVICES_H

/* Common header of every kdsim device. */
#define KDSIM_REG_MAGIC 0x00
#define KDSIM_REG_DEVICE_ID 0x04
#define KDSIM_REG_VERSION 0x08
#define KDSIM_MAGIC 0x6b64736d /* "kdsm" read as a number */
#define KDSIM_DEVICE_SIZE 0x200

#define KDSIM_DEVICE_ID_AGENT 1
#define KDSIM_DEVICE_ID_STAGE 2
#define KDSIM_DEVICE_ID_DUMP 3

/* Agent (DEVICE_ID 1): host <-> init. */
#define KDSIM_AGENT_STATUS 0x10
#define KDSIM_AGENT_STATUS_CMD_READY (1 << 0)
#define KDSIM_AGENT_STATUS_NO_MORE (1 << 1)
#define KDSIM_AGENT_CMD_LEN 0x14
#define KDSIM_AGENT_ADDR_LO 0x18
#define KDSIM_AGENT_ADDR_HI 0x1c
#define KDSIM_AGENT_LEN 0x20
#define KDSIM_AGENT_DOORBELL 0x24
#define KDSIM_AGENT_ARG 0x28
#define KDSIM_AGENT_ERROR 0x2c
#define KDSIM_AGENT_BLOB_LEN 0x30

#define KDSIM_AGENT_DOORBELL_FETCH 1
#define KDSIM_AGENT_DOORBELL_OUTPUT 2
#define KDSIM_AGENT_DOORBELL_DONE 3
#define KDSIM_AGENT_DOORBELL_HELLO 4
#define KDSIM_AGENT_DOORBELL_FETCH_BLOB 5

#define KDSIM_AGENT_ERROR_OK 0
#define KDSIM_AGENT_ERROR_DMA_RANGE 1
#define KDSIM_AGENT_ERROR_NO_COMMAND 2
#define KDSIM_AGENT_ERROR_BAD_DOORBELL 3
#define KDSIM_AGENT_ERROR_BLOB_RANGE 4

/* The kexec-load blob (/dev/agent-blob): "KEXG" header, then segments. */
#define KDSIM_KEXEC_BLOB_MAGIC 0x4758454b

/* Dump disk (DEVICE_ID 3): scatter-gather writes of /proc/vmcore. */
#define KDSIM_DUMP_SG_ADDR_LO 0x10
#define KDSIM_DUMP_SG_ADDR_HI 0x14
#define KDSIM_DUMP_SG_COUNT 0x18
#define KDSIM_DUMP_DOORBELL 0x1c
#define KDSIM_DUMP_SIZE_LO 0x20
#define KDSIM_DUMP_SIZE_HI 0x24
#define KDSIM_DUMP_STATUS 0x28
#define KDSIM_DUMP_WRITTEN_LO 0x2c
#define KDSIM_DUMP_WRITTEN_HI 0x30
#define KDSIM_DUMP_DOORBELL_WRITE_SG 1
#define KDSIM_DUMP_DOORBELL_COMPLETE 2
#define KDSIM_DUMP_DOORBELL_ABORT 3
#define KDSIM_DUMP_STATUS_OK 0
#define KDSIM_DUMP_STATUS_ENTRY_NOT_RAM 1 /* an SG entry's memory is not RAM: the DMA was refused */
#define KDSIM_DUMP_STATUS_LIST_NOT_RAM 2
#define KDSIM_DUMP_STATUS_NO_SPACE 5
#define KDSIM_DUMP_STATUS_MEDIA_ERROR 6
#define KDSIM_DUMP_SG_ENTRY_SIZE 24 /* {u64 disk_offset, u64 phys, u64 len} */

/* Stage port (DEVICE_ID 2). */
#define KDSIM_STAGE_ARG0_LO 0x10
#define KDSIM_STAGE_ARG0_HI 0x14
#define KDSIM_STAGE_ARG1_LO 0x18
#define KDSIM_STAGE_ARG1_HI 0x1c
#define KDSIM_STAGE_REG 0x20

#endif /* KDSIM_DEVICES_H */
