// The refusals of libs/pool, as base::Status codes (domain "pool").
//
// Each failure has its own code: an operator reading a log or a counter must
// be able to tell "the 256 B class ran dry" from "a 300 B request above the
// caller's limit" from "someone released a pointer twice". Success is
// base::OkStatus(). A router's kExhausted carries the exhausted size class
// in the Status argument byte (Status::argument()).
#ifndef LIBS_POOL_PUBLIC_POOL_STATUS_H_
#define LIBS_POOL_PUBLIC_POOL_STATUS_H_

#include <cstdint>
#include <string_view>

#include "base/status.h"

namespace pool {

enum class Code : std::uint8_t {
  // The pool, or the size class (argument()), has no free block; with a
  // spill policy, every class the policy allowed was tried.
  kExhausted = 1,
  // A request for 0 bytes. Rejected rather than served with a block, so a
  // length bug upstream does not silently consume a slot.
  kZeroSize,
  // Larger than the largest block (pool) or size class (router).
  kSizeUnsupported,
  // The size exceeds the limit the caller gave with the request (e.g. a
  // 100 B "key" where keys are at most 64 B): a caller bug, reported
  // instead of silently served from a larger class.
  kSizeOverLimit,
  // Release of a pointer that is not the start of a block of this pool.
  kForeignPointer,
  // Release of a block that is not allocated: already released, or being
  // released by another context right now (double release).
  kNotAllocated,
  // The free list or the allocation state is inconsistent (a write to a
  // released block through a stale pointer, or memory corruption).
  kCorrupted,
  // Once-only initialisation attempted a second time.
  kAlreadyInitialized,
  // Access to a once-only global before its initialisation.
  kNotInitialized,
};

// The size class argument of a refusal that names no class.
inline constexpr std::uint8_t kNoSizeClass = 0xff;

constexpr base::Domain StatusDomain(Code) { return base::Domain::kPool; }

constexpr std::string_view CodeName(Code code) {
  switch (code) {
    case Code::kExhausted:
      return "pool.exhausted";
    case Code::kZeroSize:
      return "pool.zero_size";
    case Code::kSizeUnsupported:
      return "pool.size_unsupported";
    case Code::kSizeOverLimit:
      return "pool.size_over_limit";
    case Code::kForeignPointer:
      return "pool.foreign_pointer";
    case Code::kNotAllocated:
      return "pool.not_allocated";
    case Code::kCorrupted:
      return "pool.corrupted";
    case Code::kAlreadyInitialized:
      return "pool.already_initialized";
    case Code::kNotInitialized:
      return "pool.not_initialized";
  }
  return "";
}

}  // namespace pool

#endif  // LIBS_POOL_PUBLIC_POOL_STATUS_H_
