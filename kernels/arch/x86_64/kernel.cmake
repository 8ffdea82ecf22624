# The x86_64 port of the toy kernel (included at the end of kernels/CMakeLists.txt).
#
# CFLAGS apply to the kernel AND to init:
#  -fpie -mcmodel=small   (after GuestImage.cmake's -mcmodel=kernel -fno-pic): every symbol
#                         is hidden (hidden.h), so all code is RIP-relative. init runs at
#                         0x100000000000, where neither the kernel model (top 2 GiB) nor the
#                         small non-PIC model (low 2 GiB) can address it; the kernel does not
#                         care (it lives within +-2 GiB of itself) and its head code gains
#                         position independence.
#  -mstack-alignment=8    Linux's -mpreferred-stack-boundary=3: the entry code calls C with
#                         pt_regs (168 bytes) on top of a 16-byte aligned stack.
# kdump (CONFIG_KEXEC_CORE + CONFIG_CRASH_DUMP) is on, like arm64: machine_kexec_64.c,
# relocate_kernel_64.S, crash.c, crash_dump_64.c plus ${KDSIM_KERNEL_KEXEC_SOURCES}.
kdsim_guest_kernel(ARCH x86_64
  SOURCES
    arch/x86_64/kernel/head_64.S
    arch/x86_64/kernel/entry_64.S
    arch/x86_64/kernel/init_elf.S
    arch/x86_64/kernel/head64.c
    arch/x86_64/kernel/setup.c
    arch/x86_64/kernel/traps.c
    arch/x86_64/kernel/syscall_64.c
    arch/x86_64/kernel/process.c
    arch/x86_64/kernel/stacktrace.c
    arch/x86_64/kernel/time.c
    arch/x86_64/kernel/asm-offsets.c
    arch/x86_64/mm/init_64.c
    arch/x86_64/mm/fault.c
    arch/x86_64/kernel/machine_kexec_64.c
    arch/x86_64/kernel/relocate_kernel_64.S
    arch/x86_64/kernel/crash.c
    arch/x86_64/kernel/crash_dump_64.c
    arch/x86_64/kernel/reboot.c
    arch/x86_64/kernel/smpboot.c
    arch/x86_64/kernel/apic/apic.c
    arch/x86_64/kernel/acpi/boot.c
    arch/x86_64/realmode/trampoline_64.S
    common/drivers/tty/serial/8250.c
    ${KDSIM_KERNEL_KEXEC_SOURCES}
  LINKER_SCRIPT arch/x86_64/kernel/kernel.lds
  INIT_SOURCES init/arch/x86_64/start.S
  INIT_LINKER_SCRIPT init/arch/x86_64/init.lds
  CFLAGS -fpie -mcmodel=small -mstack-alignment=8 ${KDSIM_KERNEL_KEXEC_CFLAGS})
