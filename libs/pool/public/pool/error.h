// Error values of the pool module, and a small Result<T> to carry them.
//
// The module runs with -fno-exceptions and no heap, so every failure is a
// value. Each failure has its own enumerator: an operator reading a log or a
// counter must be able to tell "the 256 B class ran dry" from "a 300 B key
// was requested" from "someone released a pointer twice".
#ifndef LIBS_POOL_PUBLIC_POOL_ERROR_H_
#define LIBS_POOL_PUBLIC_POOL_ERROR_H_

#include <cstdint>
#include <string_view>
#include <utility>

namespace pool {

enum class Error : std::uint8_t {
  kOk = 0,
  // The pool, or the size class (see Result::size_class()), has no free
  // block; with a spill policy, every class the policy allowed was tried.
  kExhausted,
  // A request for 0 bytes. Rejected rather than served with a block, so a
  // length bug upstream does not silently consume a key slot.
  kZeroSize,
  // Larger than the largest size class of the router.
  kSizeUnsupported,
  // The size exceeds the maximum the requested usage allows (e.g. a 100 B
  // "key"): a caller bug, reported instead of silently failing.
  kUsageSizeMismatch,
  // Release of a pointer that is not the start of a block of this pool.
  kForeignPointer,
  // Release of a block that is not allocated (double release).
  kNotAllocated,
  // The free list or the allocation map is inconsistent (a write to a
  // released block through a stale pointer, or memory corruption).
  kCorrupted,
  // Once-only initialisation attempted a second time.
  kAlreadyInitialized,
  // Access to a once-only global before its initialisation.
  kNotInitialized,
};

constexpr std::string_view ErrorName(Error error) {
  switch (error) {
    case Error::kOk: return "Ok";
    case Error::kExhausted: return "Exhausted";
    case Error::kZeroSize: return "ZeroSize";
    case Error::kSizeUnsupported: return "SizeUnsupported";
    case Error::kUsageSizeMismatch: return "UsageSizeMismatch";
    case Error::kForeignPointer: return "ForeignPointer";
    case Error::kNotAllocated: return "NotAllocated";
    case Error::kCorrupted: return "Corrupted";
    case Error::kAlreadyInitialized: return "AlreadyInitialized";
    case Error::kNotInitialized: return "NotInitialized";
  }
  return "Unknown";
}

// A value or an error. T must be default-constructible (handles and pointers
// are: their default is "empty"). For kExhausted from a size-class router,
// size_class() names the class that was exhausted, so that each exhausted
// pool is a distinct, identifiable failure.
template <typename T>
class [[nodiscard]] Result {
 public:
  static constexpr std::uint8_t kNoSizeClass = 0xff;

  constexpr Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  constexpr Result(Error error, std::uint8_t size_class = kNoSizeClass)  // NOLINT
      : error_(error), size_class_(size_class) {}

  constexpr bool ok() const { return error_ == Error::kOk; }
  constexpr Error error() const { return error_; }
  constexpr std::uint8_t size_class() const { return size_class_; }

  // Only meaningful when ok(); otherwise the default (empty) T.
  constexpr T& value() & { return value_; }
  constexpr const T& value() const& { return value_; }
  constexpr T&& value() && { return std::move(value_); }

 private:
  T value_{};
  Error error_ = Error::kOk;
  std::uint8_t size_class_ = kNoSizeClass;
};

}  // namespace pool

#endif  // LIBS_POOL_PUBLIC_POOL_ERROR_H_
