// UniqueBlock: the move-only owner of one pool block.
//
// Destroying (or Reset()-ing, or move-assigning over) a UniqueBlock releases
// its block exactly once: the owning pool wipes it and puts it back on its
// free list. There is no release()/detach: through this API the only way to
// reach the block is data()/span() on a live handle, and both return an
// empty view once the handle has released. (A caller can of course copy the
// raw pointer out; C++ cannot prevent that, see README.md.)
//
// The handle is type-erased (owner pointer + release function) so that one
// type serves every Pool<> instantiation and the size-class router: five words
// (20 bytes on the 32-bit boards), no virtual functions (a vtable pointer in a
// pool would move its whole storage from .bss to .data).
#ifndef LIBS_POOL_PUBLIC_POOL_UNIQUE_BLOCK_H_
#define LIBS_POOL_PUBLIC_POOL_UNIQUE_BLOCK_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>

#include "base/status.h"

namespace pool {

namespace internal {

enum class Sync : std::uint8_t;  // pool/internal/sync.h

template <std::size_t kBlockSize, std::size_t kCount, std::size_t kAlignment,
          Sync kSync>
class BitmapPool;
template <std::size_t kBlockSize, std::size_t kCount, std::size_t kAlignment,
          Sync kSync>
class ListPool;

using ReleaseFn = base::Status (*)(void* owner, std::byte* block) noexcept;

// Only pools can make a non-empty UniqueBlock: the constructor takes this
// key, which only Pool<> can create.
class BlockOwnerKey {
 private:
  constexpr BlockOwnerKey() = default;
  template <std::size_t, std::size_t, std::size_t, Sync>
  friend class BitmapPool;
  template <std::size_t, std::size_t, std::size_t, Sync>
  friend class ListPool;
};

}  // namespace internal

class UniqueBlock {
 public:
  constexpr UniqueBlock() = default;

  UniqueBlock(internal::BlockOwnerKey, void* owner, internal::ReleaseFn release,
              std::byte* data, std::size_t size, std::size_t capacity) noexcept
      : data_(data),
        size_(size),
        capacity_(capacity),
        owner_(owner),
        release_(release) {}

  UniqueBlock(const UniqueBlock&) = delete;
  UniqueBlock& operator=(const UniqueBlock&) = delete;

  UniqueBlock(UniqueBlock&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)),
        size_(std::exchange(other.size_, 0)),
        capacity_(std::exchange(other.capacity_, 0)),
        owner_(std::exchange(other.owner_, nullptr)),
        release_(std::exchange(other.release_, nullptr)) {}

  UniqueBlock& operator=(UniqueBlock&& other) noexcept {
    if (this != &other) {
      Reset();
      data_ = std::exchange(other.data_, nullptr);
      size_ = std::exchange(other.size_, 0);
      capacity_ = std::exchange(other.capacity_, 0);
      owner_ = std::exchange(other.owner_, nullptr);
      release_ = std::exchange(other.release_, nullptr);
    }
    return *this;
  }

  ~UniqueBlock() { Reset(); }

  // Wipes and releases the block now; the handle becomes empty. Idempotent.
  void Reset() noexcept {
    if (data_ == nullptr) return;
    std::byte* data = std::exchange(data_, nullptr);
    size_ = 0;
    capacity_ = 0;
    // A handle-owned block is always a valid, allocated block of its owner,
    // so the release cannot report an error unless memory was corrupted;
    // the pool counts that case in its stats.
    static_cast<void>(release_(std::exchange(owner_, nullptr), data));
    release_ = nullptr;
  }

  explicit operator bool() const { return data_ != nullptr; }

  std::byte* data() const { return data_; }
  // The usable size: the requested size for router allocations, the block
  // size for direct pool allocations.
  std::size_t size() const { return size_; }
  // The size of the underlying block (>= size()).
  std::size_t capacity() const { return capacity_; }
  std::span<std::byte> span() const { return {data_, size_}; }

 private:
  std::byte* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
  void* owner_ = nullptr;
  internal::ReleaseFn release_ = nullptr;
};

}  // namespace pool

#endif  // LIBS_POOL_PUBLIC_POOL_UNIQUE_BLOCK_H_
