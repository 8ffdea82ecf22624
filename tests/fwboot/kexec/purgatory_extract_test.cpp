// kexec-tools' purgatory out of a kexec binary: synthetic "binaries" (an ELF header, filler with
// decoy "\x7fELF" strings, then one or more ET_REL objects built by rel_builder.h) and one
// exact error text per way of failing.
#include "firmware-less-boot/elf_names.h"
#include "firmware-less-boot/kexec/purgatory_abi.h"
#include "firmware-less-boot/kexec/purgatory_extract.h"
#include "tests/fwboot/kexec/rel_builder.h"
#include <doctest/doctest.h>

using namespace kdsim;
using namespace kdsim::test;

namespace {

constexpr uint16_t kEmAarch64 = 183, kEmX86_64 = 62;

// A purgatory in miniature with every symbol kdsim sets (purgatory_abi.h), all in .data.
TestRel mini_purgatory(Arch arch) {
  TestRel t;
  t.machine = arch == Arch::Arm64 ? kEmAarch64 : kEmX86_64;
  uint64_t data_size = 0;
  for (const PurgatoryAbiSymbol& s : purgatory_abi_symbols(arch)) data_size += s.size + 8;
  t.sections = {
      {.name = ".text", .flags = kShfAlloc | kShfExec, .align = 4, .data = std::vector<uint8_t>(16, 0)},
      {.name = ".data", .flags = kShfAlloc | kShfWrite, .align = 4096, .data = std::vector<uint8_t>(data_size, 0)},
  };
  uint64_t at = 0;
  for (const PurgatoryAbiSymbol& s : purgatory_abi_symbols(arch)) {
    if (std::string_view(s.name) == "purgatory_start") {
      t.symbols.push_back({.name = s.name, .value = 0, .shndx = 1, .type = kSttNotype});
      continue;
    }
    t.symbols.push_back({.name = s.name, .value = at, .size = s.size, .shndx = 2});
    at += s.size + 8;
  }
  return t;
}

TestRel without_symbol(TestRel t, std::string_view name) {
  std::erase_if(t.symbols, [&](const RelSymbol& s) { return s.name == name; });
  return t;
}

// A stand-in for a stripped kexec binary: an ELF64 ET_DYN header of `machine`, then filler.
std::vector<uint8_t> host_binary(uint16_t machine, size_t size) {
  std::vector<uint8_t> out(size, 0xcc);
  std::memcpy(out.data(), "\x7f" "ELF", 4);
  out[4] = 2;
  out[5] = 1;
  out[6] = 1;
  TestRel::put(out, 0x10, 3, 2);  // ET_DYN
  TestRel::put(out, 0x12, machine, 2);
  return out;
}

void put_bytes(std::vector<uint8_t>& out, size_t at, const std::vector<uint8_t>& bytes) {
  if (out.size() < at + bytes.size()) out.resize(at + bytes.size(), 0xcc);
  std::memcpy(out.data() + at, bytes.data(), bytes.size());
}

// Decoys as a real binary has them: the magic in a string, an ELF32 header, an ET_EXEC header.
void put_decoys(std::vector<uint8_t>& out) {
  put_bytes(out, 0x100, {0x7f, 'E', 'L', 'F', 15, 133, 0, 0});
  put_bytes(out, 0x140, {0x7f, 'E', 'L', 'F', 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 183, 0});
  put_bytes(out, 0x180, {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 183, 0});
}

struct Failure {
  PurgatoryExtractFailure kind;
  std::string text;
};

Failure failure_of(llvm::Expected<EmbeddedPurgatory> r) {
  REQUIRE_FALSE(bool(r));
  Failure f{PurgatoryExtractFailure::Invalid, ""};
  bool typed = false;
  llvm::handleAllErrors(
      r.takeError(),
      [&](const PurgatoryExtractError& e) {
        f = {e.failure(), e.text()};
        typed = true;
      },
      [&](const llvm::ErrorInfoBase& e) { f.text = e.message(); });
  CHECK_MESSAGE(typed, "not a PurgatoryExtractError: " << f.text);
  return f;
}

EmbeddedPurgatory found(llvm::Expected<EmbeddedPurgatory> r) {
  REQUIRE_MESSAGE(bool(r), llvm::toString(r.takeError()));
  return std::move(*r);
}

}  // namespace

TEST_CASE("purgatory extract: finds the embedded object among decoys and returns exactly its bytes") {
  for (Arch arch : {Arch::Arm64, Arch::X86_64}) {
    INFO(arch_name(arch));
    std::vector<uint8_t> object = mini_purgatory(arch).build();
    std::vector<uint8_t> bin = host_binary(elf::machine_for(arch), 0x1000);
    put_decoys(bin);
    put_bytes(bin, 0x2f0, object);
    bin.resize(bin.size() + 0x300, 0xcc);  // the rest of the binary's .data
    EmbeddedPurgatory p = found(extract_purgatory("kexec", bin, std::nullopt));
    CHECK(p.offset == 0x2f0);
    CHECK(p.bytes == object);
    CHECK(p.image.arch() == arch);
    CHECK(p.image.name() == "kexec+0x2f0");
    // With the arch given, the same answer.
    CHECK(found(extract_purgatory("kexec", bin, arch)).offset == 0x2f0);
  }
}

TEST_CASE("purgatory extract: a plain purgatory.ro is its own embedded object, at offset 0") {
  std::vector<uint8_t> object = mini_purgatory(Arch::X86_64).build();
  EmbeddedPurgatory p = found(extract_purgatory("purgatory.ro", object, std::nullopt));
  CHECK(p.offset == 0);
  CHECK(p.bytes == object);
}

TEST_CASE("purgatory extract: two candidates of different machines, the arch picks one") {
  std::vector<uint8_t> x86 = mini_purgatory(Arch::X86_64).build();
  std::vector<uint8_t> arm = mini_purgatory(Arch::Arm64).build();
  std::vector<uint8_t> bin = host_binary(kEmX86_64, 0x400);
  put_bytes(bin, 0x400, x86);
  const size_t arm_at = 0x400 + ((x86.size() + 0xff) & ~size_t(0xff));
  put_bytes(bin, arm_at, arm);
  CHECK(found(extract_purgatory("kexec", bin, Arch::X86_64)).offset == 0x400);
  CHECK(found(extract_purgatory("kexec", bin, Arch::Arm64)).offset == arm_at);
  // No arch: the binary's own machine (x86_64 here).
  CHECK(found(extract_purgatory("kexec", bin, std::nullopt)).image.arch() == Arch::X86_64);
}

TEST_CASE("purgatory extract: not an ELF file, or an ELF of a machine kdsim does not emulate") {
  std::vector<uint8_t> text = {'#', '!', '/', 'b', 'i', 'n', '/', 's', 'h', '\n'};
  Failure f = failure_of(extract_purgatory("kexec.sh", text, std::nullopt));
  CHECK(f.kind == PurgatoryExtractFailure::NotElf);
  CHECK(f.text == "kexec.sh: not an ELF file");
  f = failure_of(extract_purgatory("empty", std::vector<uint8_t>{}, Arch::Arm64));
  CHECK(f.kind == PurgatoryExtractFailure::NotElf);
  CHECK(f.text == "empty: not an ELF file");

  std::vector<uint8_t> riscv = host_binary(243, 0x100);
  f = failure_of(extract_purgatory("kexec-riscv", riscv, std::nullopt));
  CHECK(f.kind == PurgatoryExtractFailure::UnknownArch);
  CHECK(f.text == "kexec-riscv: e_machine is EM_RISCV (243), not arm64 or x86_64: pass --arch");
}

TEST_CASE("purgatory extract: no embedded object, or only one of another machine") {
  std::vector<uint8_t> bin = host_binary(kEmAarch64, 0x1000);
  put_decoys(bin);
  Failure f = failure_of(extract_purgatory("kexec", bin, std::nullopt));
  CHECK(f.kind == PurgatoryExtractFailure::NotFound);
  CHECK(f.text == "kexec: no embedded purgatory: no ELF64 little-endian ET_REL object in its 0x1000 bytes");

  put_bytes(bin, 0x800, mini_purgatory(Arch::X86_64).build());
  f = failure_of(extract_purgatory("kexec", bin, std::nullopt));
  CHECK(f.kind == PurgatoryExtractFailure::NotFound);
  CHECK(f.text == "kexec: no embedded arm64 purgatory (EM_AARCH64 (183) ET_REL object); found only: EM_X86_64 (62) "
                  "at 0x800");
}

TEST_CASE("purgatory extract: truncated objects") {
  std::vector<uint8_t> object = mini_purgatory(Arch::Arm64).build();
  const uint64_t shoff = object[0x28] | uint64_t(object[0x29]) << 8;
  const uint64_t shnum = object[0x3c];
  REQUIRE(shoff + shnum * 64 == object.size());  // rel_builder puts the table last, as ld does

  SUBCASE("the file ends inside the section header table") {
    std::vector<uint8_t> bin = host_binary(kEmAarch64, 0x200);
    put_bytes(bin, 0x200, object);
    bin.resize(bin.size() - 0x10);
    Failure f = failure_of(extract_purgatory("kexec", bin, std::nullopt));
    CHECK(f.kind == PurgatoryExtractFailure::Invalid);
    CHECK(f.text == fmt::format("kexec: the embedded arm64 purgatory is unusable: kexec+0x200: truncated: the section "
                                "header table [0x{:x}, +0x{:x}) runs past the end of the file (0x{:x} bytes from the "
                                "object's start)",
                                shoff, shnum * 64, object.size() - 0x10));
  }
  SUBCASE("the file ends inside the ELF header") {
    std::vector<uint8_t> bin = host_binary(kEmAarch64, 0x200);
    put_bytes(bin, 0x200, std::vector<uint8_t>(object.begin(), object.begin() + 0x30));
    Failure f = failure_of(extract_purgatory("kexec", bin, std::nullopt));
    CHECK(f.kind == PurgatoryExtractFailure::Invalid);
    CHECK(f.text == "kexec: the embedded arm64 purgatory is unusable: kexec+0x200: truncated: the ELF header needs "
                    "0x40 bytes, the file has 0x30 left");
  }
  SUBCASE("a section's contents run past the end") {
    // Move the section header table to the front of the object's free space: the sections
    // then end after the table, and cutting the file cuts the last section (.shstrtab).
    std::vector<uint8_t> bin = host_binary(kEmAarch64, 0x200);
    std::vector<uint8_t> moved = object;
    std::vector<uint8_t> table(object.begin() + shoff, object.end());
    moved.resize(shoff);
    moved.insert(moved.begin() + 0x40, table.begin(), table.end());  // right after the ELF header
    TestRel::put(moved, 0x28, 0x40, 8);
    uint64_t end = 0;
    for (uint64_t i = 0; i < shnum; ++i) {  // every section's contents moved up by the table size
      const size_t sh = 0x40 + i * 64;
      uint64_t off = 0, size = 0;
      for (unsigned b = 0; b < 8; ++b) off |= uint64_t(moved[sh + 0x18 + b]) << (8 * b);
      for (unsigned b = 0; b < 8; ++b) size |= uint64_t(moved[sh + 0x20 + b]) << (8 * b);
      if (off == 0) continue;
      TestRel::put(moved, sh + 0x18, off + table.size(), 8);
      end = std::max(end, off + table.size() + size);
    }
    moved.resize(end);  // no padding after the last section: the object ends where it does
    put_bytes(bin, 0x200, moved);
    bin.resize(bin.size() - 4);
    Failure f = failure_of(extract_purgatory("kexec", bin, std::nullopt));
    CHECK(f.kind == PurgatoryExtractFailure::Invalid);
    CHECK(f.text.starts_with("kexec: the embedded arm64 purgatory is unusable: kexec+0x200: truncated: section "));
    CHECK(f.text.ends_with(fmt::format(") runs past the end of the file (0x{:x} bytes from the object's start)",
                                       moved.size() - 4)));
    // Whole, the moved object is fine.
    bin.resize(bin.size() + 4);
    put_bytes(bin, 0x200, moved);
    CHECK(found(extract_purgatory("kexec", bin, std::nullopt)).bytes == moved);
  }
}

TEST_CASE("purgatory extract: an object the loader refuses, or without a symbol kdsim sets") {
  std::vector<uint8_t> bin = host_binary(kEmX86_64, 0x200);
  put_bytes(bin, 0x200, without_symbol(mini_purgatory(Arch::X86_64), "serial_baud").build());
  Failure f = failure_of(extract_purgatory("kexec", bin, std::nullopt));
  CHECK(f.kind == PurgatoryExtractFailure::Invalid);
  CHECK(f.text == "kexec: the embedded x86_64 purgatory is unusable: kexec+0x200: Symbol: serial_baud not found "
                  "cannot get (kdsim's kexec role needs 'serial_baud', 4 bytes)");

  TestRel bad_entry = mini_purgatory(Arch::X86_64);
  bad_entry.entry = 0x1000;  // past .text
  put_bytes(bin, 0x200, bad_entry.build());
  f = failure_of(extract_purgatory("kexec", bin, std::nullopt));
  CHECK(f.kind == PurgatoryExtractFailure::Invalid);
  CHECK(f.text == "kexec: the embedded x86_64 purgatory is unusable: kexec+0x200: e_entry 0x1000 lies in no "
                  "allocated executable section");
}

TEST_CASE("purgatory extract: a refused candidate before a good one is skipped; two refused are counted") {
  std::vector<uint8_t> bad = without_symbol(mini_purgatory(Arch::Arm64), "arm64_sink").build();
  std::vector<uint8_t> good = mini_purgatory(Arch::Arm64).build();
  std::vector<uint8_t> bin = host_binary(kEmAarch64, 0x100);
  put_bytes(bin, 0x100, bad);
  const size_t good_at = 0x100 + ((bad.size() + 0xff) & ~size_t(0xff));
  put_bytes(bin, good_at, good);
  CHECK(found(extract_purgatory("kexec", bin, std::nullopt)).offset == good_at);

  put_bytes(bin, good_at, bad);
  Failure f = failure_of(extract_purgatory("kexec", bin, std::nullopt));
  CHECK(f.kind == PurgatoryExtractFailure::Invalid);
  CHECK(f.text == "kexec: the embedded arm64 purgatory is unusable: kexec+0x100: Symbol: arm64_sink not found cannot "
                  "get (kdsim's kexec role needs 'arm64_sink', 8 bytes) (and 1 more arm64 candidates were refused)");
}

TEST_CASE("purgatory extract: a file that cannot be read") {
  Failure f = failure_of(extract_purgatory_file("/nonexistent/kexec", std::nullopt));
  CHECK(f.kind == PurgatoryExtractFailure::Unreadable);
  CHECK(f.text == "/nonexistent/kexec: cannot read: No such file or directory");
}

TEST_CASE("purgatory abi: a symbol of the wrong size, and the address-only symbols") {
  TestRel t = mini_purgatory(Arch::Arm64);
  for (RelSymbol& s : t.symbols)
    if (s.name == "arm64_dtb_addr") s.size = 4;
  auto image = PurgatoryImage::create_from_bytes("p.ro", t.build(), Arch::Arm64);
  REQUIRE(bool(image));
  CHECK(llvm::toString(check_purgatory_abi(*image)) ==
        "p.ro: Symbol: arm64_dtb_addr has size: 4 not 8 (kdsim's kexec role needs 'arm64_dtb_addr', 8 bytes)");

  auto no_stack_end =
      PurgatoryImage::create_from_bytes("p.ro", without_symbol(mini_purgatory(Arch::X86_64), "stack_end").build(),
                                        Arch::X86_64);
  REQUIRE(bool(no_stack_end));
  CHECK(llvm::toString(check_purgatory_abi(*no_stack_end)) ==
        "p.ro: Symbol: stack_end not found cannot retrive it's address (kdsim's kexec role needs the address of "
        "'stack_end')");
}
