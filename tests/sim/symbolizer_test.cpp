// Symbolizer: PCs of a run named against whichever image was live, with the real kernels and
// purgatories of this build tree.
#include "sim/symbolizer.h"
#include "sim/stage_linux.h"
#include "machine/stage.h"
#include <doctest/doctest.h>

using namespace kdsim;

namespace {

std::shared_ptr<const KernelImage> kernel(const char* path, Arch arch) {
  auto k = KernelImage::create(path, arch);
  REQUIRE_MESSAGE(bool(k), llvm::toString(k.takeError()));
  return std::make_shared<const KernelImage>(std::move(*k));
}

}  // namespace

TEST_CASE("symbolizer: first kernel by VA and by physical PC, purgatory in its segment, next kernel moved") {
  auto k = kernel(KDSIM_KERNEL_ARM64, Arch::Arm64);
  auto purgatory = PurgatoryImage::create(KDSIM_PURGATORY_ARM64, Arch::Arm64);
  REQUIRE(bool(purgatory));
  auto placed = purgatory->place(PhysAddr(0x7fffb000));
  REQUIRE(bool(placed));
  const uint64_t mk = k->symbol("machine_kexec")->value();
  const int64_t moved = 0x30000000;  // the capture kernel runs 768 MiB above its link address

  Symbolizer s({k, 0});
  s.set_purgatory(std::move(*placed));
  s.set_next_kernel({k, moved});
  CHECK(s.symbolize(mk + 4, false).value_or("") .starts_with("machine_kexec+0x4/0x"));
  // The entry runs with the MMU off: its PC is physical, mapped back through the PT_LOADs.
  const uint64_t entry = k->entry_physical().value();
  CHECK(s.symbolize(entry, false).value_or("").starts_with("_head+0x0/"));
  CHECK(s.symbolize(entry + moved, true).value_or("").starts_with("_head+0x0/"));
  CHECK_FALSE(s.symbolize(entry + moved, false));  // before the hand-off nothing runs there
  // kdsim's purgatory carries DWARF: the line of the entry's first instruction.
  CHECK(s.symbolize(0x7fffb000, false) ==
        "purgatory:purgatory_start+0x0/0x24 (kernels/purgatory/arch/arm64/entry.S:12)");
  CHECK_FALSE(s.symbolize(0x1234, false));
}

TEST_CASE("symbolizer: x86_64 purgatory and kernel") {
  auto k = kernel(KDSIM_KERNEL_X86_64, Arch::X86_64);
  auto purgatory = PurgatoryImage::create(KDSIM_PURGATORY_X86_64, Arch::X86_64);
  REQUIRE(bool(purgatory));
  auto placed = purgatory->place(PhysAddr(0x3ff56000));
  REQUIRE(bool(placed));
  Symbolizer s({k, 0});
  s.set_purgatory(std::move(*placed));
  CHECK(s.symbolize(0x3ff56000, false).value_or("").starts_with("purgatory:purgatory_start+0x0/"));
  CHECK(s.symbolize(k->entry_physical().value(), false).value_or("").starts_with("startup_64+0x0/"));
}

TEST_CASE("stage legend: each stage names the Linux code it mirrors, per arch") {
  CHECK(stage_linux_code("mmu_off", Arch::Arm64).value_or("").find("cpu_soft_restart") != std::string_view::npos);
  CHECK(!stage_linux_code("mmu_off", Arch::X86_64));  // x86_64 never turns the MMU off
  CHECK(stage_linux_code("identity_mapped", Arch::X86_64).value_or("").find("relocate_kernel_64.S") != std::string_view::npos);
  CHECK(!stage_linux_code("identity_mapped", Arch::Arm64));
  CHECK(stage_name(0x13, Arch::Arm64) == "mmu_off");
  CHECK(stage_name(0x13, Arch::X86_64) == "identity_mapped");
  CHECK(stage_linux_code("crash_kexec", Arch::Arm64) == "__crash_kexec (kernel/kexec_core.c)");
  CHECK_FALSE(stage_linux_code("power-off", Arch::Arm64));
}

TEST_CASE("kernel image: a return address is named by the call before it (%pB)") {
  auto k = kernel(KDSIM_KERNEL_ARM64, Arch::Arm64);
  // lkdtm_PANIC ends with its call to panic(), which never returns: the return address is the
  // first byte after the function.
  const uint64_t start = k->symbol("lkdtm_PANIC")->value();
  const std::string inside = k->symbolize(VirtAddr(start)).value_or("");
  REQUIRE(inside.starts_with("lkdtm_PANIC+0x0/0x"));
  const uint64_t size = std::stoull(inside.substr(inside.rfind('/') + 3), nullptr, 16);
  CHECK(k->symbolize_return(VirtAddr(start + size)) == fmt::format("lkdtm_PANIC+0x{:x}/0x{:x}", size, size));
  CHECK(k->symbolize(VirtAddr(start + size)).value_or("").find("lkdtm_PANIC") == std::string::npos);
  CHECK_FALSE(k->symbolize_return(VirtAddr(0)));
}
