// The pools' slow paths (declared in pool/internal/sync.h): out of line, one
// plain function per Sync mode, so that the fast paths reach them by tail
// calls.
#include "pool/internal/sync.h"

#include <atomic>
#include <bit>
#include <cstddef>

#include "base/status.h"
#include "pool/status.h"

namespace pool::internal {
namespace {

template <Sync kSync>
base::Status CountForeignRelease(Counters* c) noexcept {
  Increment<kSync>(c->foreign_releases);
  return Code::kForeignPointer;
}

template <Sync kSync>
base::Status CountDoubleRelease(Counters* c) noexcept {
  ClearExclusive<kSync>();
  Increment<kSync>(c->double_releases);
  return Code::kNotAllocated;
}

template <Sync kSync>
std::byte* CountExhausted(Counters* c, base::Status* status) noexcept {
  ClearExclusive<kSync>();
  Increment<kSync>(c->allocation_failures);
  if (status != nullptr) *status = Code::kExhausted;
  return nullptr;
}

template <Sync kSync>
std::byte* Raise(std::byte* block, Word map, std::atomic<Word>* high_water,
                 unsigned unused_bits) noexcept {
  RaiseTo<kSync>(
      *high_water,
      FillMask(static_cast<std::size_t>(std::popcount(map)), unused_bits));
  return block;
}

}  // namespace

base::Status ForeignReleaseShared(Counters* c) noexcept {
  return CountForeignRelease<Sync::kShared>(c);
}
base::Status ForeignReleaseLocal(Counters* c) noexcept {
  return CountForeignRelease<Sync::kLocal>(c);
}
base::Status DoubleReleaseShared(Counters* c) noexcept {
  return CountDoubleRelease<Sync::kShared>(c);
}
base::Status DoubleReleaseLocal(Counters* c) noexcept {
  return CountDoubleRelease<Sync::kLocal>(c);
}
std::byte* ExhaustedShared(Counters* c, base::Status* status) noexcept {
  return CountExhausted<Sync::kShared>(c, status);
}
std::byte* ExhaustedLocal(Counters* c, base::Status* status) noexcept {
  return CountExhausted<Sync::kLocal>(c, status);
}
std::byte* RaiseHighWaterShared(std::byte* block, Word map,
                                std::atomic<Word>* high_water,
                                unsigned unused_bits) noexcept {
  return Raise<Sync::kShared>(block, map, high_water, unused_bits);
}
std::byte* RaiseHighWaterLocal(std::byte* block, Word map,
                               std::atomic<Word>* high_water,
                               unsigned unused_bits) noexcept {
  return Raise<Sync::kLocal>(block, map, high_water, unused_bits);
}

}  // namespace pool::internal
