// Strong address types. A guest physical address and a guest virtual address are different
// things (x86 Unicorn even confuses them, see unicorn-2.0.1.md 4.1), so they never convert
// implicitly. The formatters tag the address space, e.g. "P0x40080000" / "V0xffff0000".
#pragma once
#include <cstdint>
#include <compare>
#include <fmt/format.h>

namespace kdsim {

template <typename Tag> class Address {
public:
  constexpr Address() = default;
  constexpr explicit Address(uint64_t value) : m_value(value) {}
  constexpr uint64_t value() const { return m_value; }
  constexpr Address offset(uint64_t by) const { return Address(m_value + by); }
  constexpr Address align_down(uint64_t align) const { return Address(m_value & ~(align - 1)); }
  constexpr bool is_aligned(uint64_t align) const { return (m_value & (align - 1)) == 0; }
  constexpr auto operator<=>(const Address&) const = default;
  // Distance to a lower address. Caller guarantees other <= *this.
  constexpr uint64_t operator-(Address other) const { return m_value - other.m_value; }

private:
  uint64_t m_value = 0;
};

struct PhysTag { static constexpr char prefix = 'P'; };
struct VirtTag { static constexpr char prefix = 'V'; };
using PhysAddr = Address<PhysTag>;
using VirtAddr = Address<VirtTag>;

// An x86 I/O port: an address in its own space (in/out), never a physical address.
class IoPort {
public:
  constexpr IoPort() = default;
  constexpr explicit IoPort(uint16_t port) : m_port(port) {}
  constexpr uint16_t value() const { return m_port; }
  constexpr auto operator<=>(const IoPort&) const = default;

private:
  uint16_t m_port = 0;
};

// Half-open physical range [base, base+size). Overflow-safe predicates.
struct PhysRange {
  PhysAddr base;
  uint64_t size = 0;

  constexpr uint64_t last() const { return base.value() + size - 1; }  // size > 0
  constexpr bool contains(PhysAddr a) const { return a >= base && a.value() - base.value() < size; }
  // True when [a, a+len) lies inside this range; false on overflow.
  constexpr bool contains(PhysAddr a, uint64_t len) const {
    return contains(a) && len <= size - (a.value() - base.value());
  }
  constexpr bool overlaps(const PhysRange& o) const {
    if (size == 0 || o.size == 0) return false;
    return base.value() <= o.last() && o.base.value() <= last();
  }
};

}  // namespace kdsim

template <typename Tag> struct fmt::formatter<kdsim::Address<Tag>> : fmt::formatter<std::string_view> {
  template <typename Ctx> auto format(kdsim::Address<Tag> a, Ctx& ctx) const {
    return fmt::format_to(ctx.out(), "{}0x{:x}", Tag::prefix, a.value());
  }
};

template <> struct fmt::formatter<kdsim::IoPort> : fmt::formatter<std::string_view> {
  template <typename Ctx> auto format(kdsim::IoPort p, Ctx& ctx) const {
    return fmt::format_to(ctx.out(), "port 0x{:x}", p.value());
  }
};

template <> struct fmt::formatter<kdsim::PhysRange> : fmt::formatter<std::string_view> {
  template <typename Ctx> auto format(const kdsim::PhysRange& r, Ctx& ctx) const {
    return fmt::format_to(ctx.out(), "[P0x{:x}, P0x{:x})", r.base.value(), r.base.value() + r.size);
  }
};
