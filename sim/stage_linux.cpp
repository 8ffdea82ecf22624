#include "sim/stage_linux.h"
#include <array>

namespace kdsim {

namespace {

struct Mirror {
  std::string_view stage, arm64, x86_64;
  // The column of `arch`: arm64 first, x86_64 second, as the enum.
  std::string_view code(Arch arch) const {
    return std::array<std::string_view, kArchCount>{arm64, x86_64}[arch_index(arch)];
  }
};

// Where each stage sits in Linux 6.x and kexec-tools 2.0.x (file paths as in those trees).
constexpr std::array<Mirror, 19> kMirrors{{
    {"kernel_entry", "primary_entry (arch/arm64/kernel/head.S)", "startup_64 (arch/x86/kernel/head_64.S)"},
    {"mmu_on", "__enable_mmu (arch/arm64/kernel/head.S)", "init_mem_mapping (arch/x86/mm/init.c)"},
    {"vectors_installed", "__primary_switched: VBAR_EL1 = vectors (arch/arm64/kernel/head.S)",
     "idt_setup_early_traps (arch/x86/kernel/idt.c)"},
    {"init_start", "kernel_init -> run_init_process (init/main.c)", "kernel_init -> run_init_process (init/main.c)"},
    {"oops", "die (arch/arm64/kernel/traps.c)", "oops_end (arch/x86/kernel/dumpstack.c)"},
    {"panic", "panic (kernel/panic.c)", "panic (kernel/panic.c)"},
    {"crash_kexec", "__crash_kexec (kernel/kexec_core.c)", "__crash_kexec (kernel/kexec_core.c)"},
    {"machine_crash_shutdown", "machine_crash_shutdown -> crash_save_cpu (arch/arm64/kernel/machine_kexec.c)",
     "native_machine_crash_shutdown -> crash_save_cpu (arch/x86/kernel/crash.c)"},
    {"machine_kexec", "machine_kexec (arch/arm64/kernel/machine_kexec.c)",
     "machine_kexec (arch/x86/kernel/machine_kexec_64.c)"},
    {"mmu_off", "cpu_soft_restart: SCTLR_EL1.M = 0 (arch/arm64/kernel/cpu-reset.S)", ""},
    {"identity_mapped", "",
     "relocate_kernel: CR3 = the identity-mapped tables, paging stays on (arch/x86/kernel/relocate_kernel_64.S "
     "identity_mapped)"},
    {"purgatory_entry", "purgatory_start -> purgatory() (kexec-tools purgatory/purgatory.c)",
     "purgatory_start -> purgatory() (kexec-tools purgatory/purgatory.c)"},
    {"digest_ok", "verify_sha256_digest passed (kexec-tools purgatory/purgatory.c)",
     "verify_sha256_digest passed (kexec-tools purgatory/purgatory.c)"},
    {"digest_mismatch", "verify_sha256_digest failed: the purgatory spins (kexec-tools purgatory/purgatory.c)",
     "verify_sha256_digest failed: the purgatory spins (kexec-tools purgatory/purgatory.c)"},
    {"digest_skipped", "skip_checks set: no verification (kexec --no-checks)",
     "skip_checks set: no verification (kexec --no-checks)"},
    {"next_kernel_entry", "br x17 to arm64_kernel_entry (kexec-tools purgatory/arch/arm64/entry.S)",
     "entry64: jmp *entry64_regs.rip (kexec-tools purgatory/arch/x86_64/entry64.S)"},
    {"capture_entry", "a kdump kernel: elfcorehdr from the DTB (arch/arm64/mm/init.c, kernel/crash_dump.c)",
     "a kdump kernel: elfcorehdr= on the command line (kernel/crash_dump.c)"},
    {"vmcore_init", "vmcore_init (fs/proc/vmcore.c)", "vmcore_init (fs/proc/vmcore.c)"},
    {"dump_complete", "/proc/vmcore read to the end and saved (userspace: cp or makedumpfile)",
     "/proc/vmcore read to the end and saved (userspace: cp or makedumpfile)"},
}};

}  // namespace

std::optional<std::string_view> stage_linux_code(std::string_view stage, Arch arch) {
  for (const Mirror& m : kMirrors)
    if (m.stage == stage) {
      std::string_view code = m.code(arch);
      return code.empty() ? std::nullopt : std::optional(code);  // not a stage of this arch
    }
  return std::nullopt;
}

}  // namespace kdsim
