// SizeClassRouter<kConfig>: buffers by size from a compile-time table of
// size classes, each class a Pool.
//
// A request (size, optional limit) is served by the smallest class whose
// blocks fit size. Failures, each a distinct pool::Code:
//   kZeroSize            size == 0
//   kSizeUnsupported     size > the largest class
//   kSizeOverLimit       size > the limit the caller gave (e.g. a 100 B
//                        request where the caller's keys are at most 64 B)
//   kExhausted           the fitting class (and the classes the spill policy
//                        allows) is empty; the Status argument() names the
//                        fitting class, so each pool's exhaustion is distinct
// The limit never picks the class: it bounds the size. What a product's
// buffers are for (keys, nonces, messages) and their bounds are the
// product's vocabulary, kept outside this generic router.
//
// Spill policy (RouterConfig::spill), applied when the fitting class is
// empty:
//   kNone        fail; classes are isolated (a flood of small messages can
//                never starve key allocation in a larger class)
//   kNextLarger  try the next larger class only; bounded waste (at most one
//                class step) and bounded time (two pool attempts)
//   kAnyLarger   try every larger class in order; best availability, worst
//                waste; at most class-count pool attempts
#ifndef LIBS_POOL_PUBLIC_POOL_SIZE_CLASS_ROUTER_H_
#define LIBS_POOL_PUBLIC_POOL_SIZE_CLASS_ROUTER_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <tuple>
#include <utility>

#include "base/status.h"
#include "pool/pool.h"
#include "pool/stats.h"
#include "pool/status.h"
#include "pool/unique_block.h"

namespace pool {

enum class SpillPolicy : std::uint8_t { kNone, kNextLarger, kAnyLarger };

struct SizeClass {
  std::size_t block_size;
  std::size_t count;
};

template <std::size_t kClassCount>
struct RouterConfig {
  // Ascending block_size.
  std::array<SizeClass, kClassCount> classes;
  SpillPolicy spill = SpillPolicy::kNone;
  // Alignment of every block.
  std::size_t alignment = alignof(std::max_align_t);

  // Compile-time validation, used by the router's static_assert.
  constexpr bool Valid() const {
    if (kClassCount == 0 || kClassCount >= kNoSizeClass) return false;
    for (std::size_t i = 0; i < kClassCount; ++i) {
      if (classes[i].block_size == 0 || classes[i].count == 0) return false;
      if (i > 0 && classes[i].block_size <= classes[i - 1].block_size)
        return false;
    }
    return true;
  }
};

template <auto kConfig>
class SizeClassRouter {
  static_assert(
      kConfig.Valid(),
      "router table: block sizes must ascend, counts be non-zero, and "
      "every usage maximum fit the largest class");
  static constexpr std::size_t kClassCount = kConfig.classes.size();

  template <std::size_t... I>
  static auto MakePools(std::index_sequence<I...>)
      -> std::tuple<Pool<kConfig.classes[I].block_size,
                         kConfig.classes[I].count, kConfig.alignment>...>;
  using Pools = decltype(MakePools(std::make_index_sequence<kClassCount>()));

 public:
  constexpr SizeClassRouter() noexcept = default;
  SizeClassRouter(const SizeClassRouter&) = delete;
  SizeClassRouter& operator=(const SizeClassRouter&) = delete;

  static constexpr std::size_t class_count() { return kClassCount; }
  static constexpr const auto& config() { return kConfig; }

  // Index of the smallest class that fits size (size in 1 .. largest).
  static constexpr std::size_t ClassFor(std::size_t size) {
    std::size_t c = 0;
    while (kConfig.classes[c].block_size < size) ++c;
    return c;
  }

  // A buffer of exactly `size` usable bytes (UniqueBlock::size()), all zero.
  // O(1): at most one pool attempt per class the spill policy allows.
  base::Result<UniqueBlock> Allocate(std::size_t size) noexcept {
    return Allocate(size, kConfig.classes[kClassCount - 1].block_size);
  }

  // As Allocate(size), refused with kSizeOverLimit when size > limit: the
  // caller's bound for what it asks for (e.g. the largest key it may hold),
  // so that a length bug is reported instead of served from a larger class.
  base::Result<UniqueBlock> Allocate(std::size_t size,
                                     std::size_t limit) noexcept {
    if (size == 0) return Code::kZeroSize;
    if (size > kConfig.classes[kClassCount - 1].block_size) {
      return Code::kSizeUnsupported;
    }
    if (size > limit) return Code::kSizeOverLimit;
    const std::size_t home = ClassFor(size);
    std::size_t last = home;
    if (kConfig.spill == SpillPolicy::kNextLarger && home + 1 < kClassCount)
      last = home + 1;
    if (kConfig.spill == SpillPolicy::kAnyLarger) last = kClassCount - 1;
    for (std::size_t c = home; c <= last; ++c) {
      base::Result<UniqueBlock> result =
          TryClass(c, size, std::make_index_sequence<kClassCount>());
      if (!(result.status() == Code::kExhausted)) return result;
    }
    return base::Result<UniqueBlock>(Code::kExhausted,
                                     static_cast<std::uint8_t>(home));
  }

  // The pool of class I, for stats and direct use.
  template <std::size_t I>
  auto& pool() noexcept {
    return std::get<I>(pools_);
  }
  template <std::size_t I>
  const auto& pool() const noexcept {
    return std::get<I>(pools_);
  }

  PoolStats stats(std::size_t class_index) const noexcept {
    PoolStats s;
    ForEachPool([&](std::size_t i, const auto& p) {
      if (i == class_index) s = p.stats();
    });
    return s;
  }

  void ResetHighWater() noexcept {
    ForEachPool([](std::size_t, auto& p) { p.ResetHighWater(); });
  }

  base::Status CheckInvariants(Check depth = Check::kStructure) const noexcept {
    base::Status status;
    ForEachPool([&](std::size_t, const auto& p) {
      if (status.ok()) status = p.CheckInvariants(depth);
    });
    return status;
  }

 private:
  template <std::size_t... I>
  base::Result<UniqueBlock> TryClass(std::size_t c, std::size_t size,
                                     std::index_sequence<I...>) noexcept {
    base::Result<UniqueBlock> result(Code::kExhausted,
                                     static_cast<std::uint8_t>(c));
    static_cast<void>((
        (c == I ? (result = std::get<I>(pools_).Acquire(size), true) : false) ||
        ...));
    return result;
  }

  template <typename Fn>
  void ForEachPool(Fn&& fn) const {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (fn(I, std::get<I>(pools_)), ...);
    }
    (std::make_index_sequence<kClassCount>());
  }
  template <typename Fn>
  void ForEachPool(Fn&& fn) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (fn(I, std::get<I>(pools_)), ...);
    }
    (std::make_index_sequence<kClassCount>());
  }

  Pools pools_;
};

}  // namespace pool

#endif  // LIBS_POOL_PUBLIC_POOL_SIZE_CLASS_ROUTER_H_
