// struct boot_params, the x86 "zero page", with Linux's layout. Mirrors
// arch/x86/include/uapi/asm/bootparam.h (and struct setup_header in it); fields kdsim never
// sets are folded into padding, and every field it does set has its offset checked below
// against the offsets documented in Documentation/arch/x86/zero-page.rst and boot.rst.
#pragma once
#include <cstddef>
#include <cstdint>

namespace kdsim::x86 {

inline constexpr uint16_t kBootFlag = 0xaa55;           // hdr.boot_flag
inline constexpr uint32_t kHdrSMagic = 0x53726448;      // hdr.header, "HdrS" in memory
inline constexpr uint16_t kBootProtocolVersion = 0x020f;  // 2.15
inline constexpr uint8_t kLoaderUndefined = 0xff;       // hdr.type_of_loader: "undefined"
inline constexpr uint8_t kLoadedHigh = 0x01;            // hdr.loadflags LOADED_HIGH
inline constexpr unsigned kE820MaxEntriesZeropage = 128;  // E820_MAX_ENTRIES_ZEROPAGE

#pragma pack(push, 1)
struct BootE820Entry {  // struct boot_e820_entry
  uint64_t addr;
  uint64_t size;
  uint32_t type;
};

struct SetupHeader {  // struct setup_header, at 0x1f1 in boot_params
  uint8_t setup_sects;
  uint16_t root_flags;
  uint32_t syssize;
  uint16_t ram_size;
  uint16_t vid_mode;
  uint16_t root_dev;
  uint16_t boot_flag;
  uint16_t jump;
  uint32_t header;
  uint16_t version;
  uint32_t realmode_swtch;
  uint16_t start_sys_seg;
  uint16_t kernel_version;
  uint8_t type_of_loader;
  uint8_t loadflags;
  uint16_t setup_move_size;
  uint32_t code32_start;
  uint32_t ramdisk_image;
  uint32_t ramdisk_size;
  uint32_t bootsect_kludge;
  uint16_t heap_end_ptr;
  uint8_t ext_loader_ver;
  uint8_t ext_loader_type;
  uint32_t cmd_line_ptr;
  uint32_t initrd_addr_max;
  uint32_t kernel_alignment;
  uint8_t relocatable_kernel;
  uint8_t min_alignment;
  uint16_t xloadflags;
  uint32_t cmdline_size;
  uint32_t hardware_subarch;
  uint64_t hardware_subarch_data;
  uint32_t payload_offset;
  uint32_t payload_length;
  uint64_t setup_data;
  uint64_t pref_address;
  uint32_t init_size;
  uint32_t handover_offset;
  uint32_t kernel_info_offset;
};

struct BootParams {
  uint8_t _before_acpi_rsdp[0x070];      // screen_info, apm_bios_info, _pad2, tboot_addr, ist_info
  uint64_t acpi_rsdp_addr;               // 0x070
  uint8_t _before_ext_cmd_line[0x0c8 - 0x078];  // _pad3, hd0_info .. ext_ramdisk_size
  uint32_t ext_cmd_line_ptr;             // 0x0c8
  uint8_t _pad4[0x1e8 - 0x0cc];          // _pad4, cc_blob_address, edid_info, efi_info, ...
  uint8_t e820_entries;                  // 0x1e8
  uint8_t _pad_1e9[0x1f1 - 0x1e9];       // eddbuf_entries .. _pad6
  SetupHeader hdr;                       // 0x1f1
  uint8_t _pad7[0x2d0 - 0x26c];          // _pad7, edd_mbr_sig_buffer
  BootE820Entry e820_table[kE820MaxEntriesZeropage];  // 0x2d0
  uint8_t _after_e820[0x1000 - 0xcd0];  // _pad8, eddbuf, _pad9
};
#pragma pack(pop)

static_assert(sizeof(BootE820Entry) == 20);
static_assert(sizeof(SetupHeader) == 0x26c - 0x1f1);
static_assert(sizeof(BootParams) == 0x1000, "the zero page is one 4 KiB page");
static_assert(offsetof(BootParams, acpi_rsdp_addr) == 0x070);
static_assert(offsetof(BootParams, ext_cmd_line_ptr) == 0x0c8);
static_assert(offsetof(BootParams, e820_entries) == 0x1e8);
static_assert(offsetof(BootParams, hdr) == 0x1f1);
static_assert(offsetof(BootParams, hdr) + offsetof(SetupHeader, boot_flag) == 0x1fe);
static_assert(offsetof(BootParams, hdr) + offsetof(SetupHeader, header) == 0x202);
static_assert(offsetof(BootParams, hdr) + offsetof(SetupHeader, version) == 0x206);
static_assert(offsetof(BootParams, hdr) + offsetof(SetupHeader, type_of_loader) == 0x210);
static_assert(offsetof(BootParams, hdr) + offsetof(SetupHeader, loadflags) == 0x211);
static_assert(offsetof(BootParams, hdr) + offsetof(SetupHeader, cmd_line_ptr) == 0x228);
static_assert(offsetof(BootParams, hdr) + offsetof(SetupHeader, cmdline_size) == 0x238);
static_assert(offsetof(BootParams, hdr) + offsetof(SetupHeader, kernel_info_offset) == 0x268);
static_assert(offsetof(BootParams, e820_table) == 0x2d0);

}  // namespace kdsim::x86
