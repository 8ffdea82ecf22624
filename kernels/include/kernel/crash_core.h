/* SPDX-License-Identifier: MIT */
/*
 * Crash-time data the capture kernel reads from the crashed kernel's memory (mirrors
 * include/linux/crash_core.h and include/linux/vmcore_info.h): the per-CPU NT_PRSTATUS note
 * buffers (crash_notes) and the VMCOREINFO note.
 */
#ifndef KERNEL_CRASH_CORE_H
#define KERNEL_CRASH_CORE_H

#include <kernel/types.h>
#include <kernel/compiler.h>
#include <kernel/elf.h>
#include <kernel/elfcore.h>
#include <asm/memory.h>

struct pt_regs;

#define CRASH_CORE_NOTE_NAME "CORE"
#define CRASH_CORE_NOTE_HEAD_BYTES ALIGN(sizeof(Elf64_Nhdr), 4)
#define CRASH_CORE_NOTE_NAME_BYTES ALIGN(sizeof(CRASH_CORE_NOTE_NAME), 4)
#define CRASH_CORE_NOTE_DESC_BYTES ALIGN(sizeof(struct elf_prstatus), 4)
/* Two note headers (the NT_PRSTATUS note and the empty terminator), name, descriptor:
 * 368 bytes on x86_64, 424 on arm64. */
#define CRASH_CORE_NOTE_BYTES                                                          \
	((CRASH_CORE_NOTE_HEAD_BYTES * 2) + CRASH_CORE_NOTE_NAME_BYTES +                 \
	 CRASH_CORE_NOTE_DESC_BYTES)

typedef u32 note_buf_t[CRASH_CORE_NOTE_BYTES / 4];

#define VMCOREINFO_BYTES PAGE_SIZE
#define VMCOREINFO_NOTE_NAME "VMCOREINFO"
#define VMCOREINFO_NOTE_NAME_BYTES ALIGN(sizeof(VMCOREINFO_NOTE_NAME), 4)
/* 4132 (0x1024) with 4 KiB pages. */
#define VMCOREINFO_NOTE_SIZE ((CRASH_CORE_NOTE_HEAD_BYTES * 2) + VMCOREINFO_NOTE_NAME_BYTES + \
                              VMCOREINFO_BYTES)

/* Per possible CPU; physical address of CPU cpu's buffer. */
phys_addr_t crash_notes_phys(unsigned int cpu);
/* Mirrors crash_save_cpu(): NT_PRSTATUS "CORE" note of regs + the 12-byte terminator. */
void crash_save_cpu(struct pt_regs *regs, int cpu);
/* Mirrors append_elf_note()/final_note() (kernel/vmcore_info.c). */
u32 *append_elf_note(u32 *buf, const char *name, unsigned int type, const void *data,
                     size_t data_len);
void final_note(u32 *buf);

/* kernel/vmcore_info.c */
__printf(1, 2) void vmcoreinfo_append_str(const char *fmt, ...);
phys_addr_t paddr_vmcoreinfo_note(void);
void crash_save_vmcoreinfo(void);
void crash_update_vmcoreinfo_safecopy(void *ptr);
extern size_t vmcoreinfo_size;
extern unsigned char *vmcoreinfo_data;

#define VMCOREINFO_OSRELEASE(value) vmcoreinfo_append_str("OSRELEASE=%s\n", value)
#define VMCOREINFO_PAGESIZE(value) vmcoreinfo_append_str("PAGESIZE=%ld\n", (long)(value))
#define VMCOREINFO_SYMBOL(name) \
	vmcoreinfo_append_str("SYMBOL(%s)=%lx\n", #name, (unsigned long)&name)
/* The pointer's value: where the array it points to lives (mem_section's roots). */
#define VMCOREINFO_SYMBOL_ARRAY(name) \
	vmcoreinfo_append_str("SYMBOL(%s)=%lx\n", #name, (unsigned long)name)
#define VMCOREINFO_SIZE(name) \
	vmcoreinfo_append_str("SIZE(%s)=%lu\n", #name, (unsigned long)sizeof(name))
#define VMCOREINFO_NUMBER(name) vmcoreinfo_append_str("NUMBER(%s)=%ld\n", #name, (long)(name))
#define VMCOREINFO_STRUCT_SIZE(name) \
	vmcoreinfo_append_str("SIZE(%s)=%lu\n", #name, (unsigned long)sizeof(struct name))
#define VMCOREINFO_OFFSET(name, field)                       \
	vmcoreinfo_append_str("OFFSET(%s.%s)=%lu\n", #name, #field, \
	                      (unsigned long)__builtin_offsetof(struct name, field))
#define VMCOREINFO_TYPE_OFFSET(name, field)                  \
	vmcoreinfo_append_str("OFFSET(%s.%s)=%lu\n", #name, #field, \
	                      (unsigned long)__builtin_offsetof(name, field))
#define VMCOREINFO_LENGTH(name, value) \
	vmcoreinfo_append_str("LENGTH(%s)=%lu\n", #name, (unsigned long)(value))

/* The initcalls (run from do_basic_setup()). */
int crash_notes_memory_init(void);
int crash_save_vmcoreinfo_init(void);
/* /sys/devices/system/cpu/cpuN/crash_notes{,_size} (drivers/base/cpu.c). */
void cpu_dev_init(void);
/* /sys/kernel/{kexec_loaded,kexec_crash_loaded,kexec_crash_size,vmcoreinfo} (kernel/ksysfs.c). */
void ksysfs_init(void);

#endif /* KERNEL_CRASH_CORE_H */
