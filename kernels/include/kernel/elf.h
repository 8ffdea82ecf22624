/* SPDX-License-Identifier: MIT */
/* The ELF64 subset the kernel reads (include/uapi/linux/elf.h). */
#ifndef KERNEL_ELF_H
#define KERNEL_ELF_H

#include <kernel/types.h>

#define EI_NIDENT 16
#define ELFMAG "\177ELF"
#define SELFMAG 4
#define EI_CLASS 4
#define ELFCLASS64 2
#define EI_DATA 5
#define ELFDATA2LSB 1
#define EI_VERSION 6
#define EV_CURRENT 1
#define ET_EXEC 2
#define ET_CORE 4
#define PT_LOAD 1
#define PT_NOTE 4
#define NT_PRSTATUS 1
#define NT_GNU_BUILD_ID 3
#define PF_X 1
#define PF_W 2
#define PF_R 4
#define EM_X86_64 62
#define EM_AARCH64 183

typedef struct {
	unsigned char e_ident[EI_NIDENT];
	u16 e_type;
	u16 e_machine;
	u32 e_version;
	u64 e_entry;
	u64 e_phoff;
	u64 e_shoff;
	u32 e_flags;
	u16 e_ehsize;
	u16 e_phentsize;
	u16 e_phnum;
	u16 e_shentsize;
	u16 e_shnum;
	u16 e_shstrndx;
} Elf64_Ehdr;

typedef struct {
	u32 p_type;
	u32 p_flags;
	u64 p_offset;
	u64 p_vaddr;
	u64 p_paddr;
	u64 p_filesz;
	u64 p_memsz;
	u64 p_align;
} Elf64_Phdr;

/* Note header (three little-endian u32), then name and desc each padded to 4 bytes. */
typedef struct {
	u32 n_namesz;
	u32 n_descsz;
	u32 n_type;
} Elf64_Nhdr;

#endif /* KERNEL_ELF_H */
