// ObjectPool<T, kCount>: a pool of kCount T objects, constructed in place on
// Create() and destroyed, wiped and released when their ObjectPtr dies.
//
// Same guarantees as Pool (constinit, O(1), lock-free, wipe on release):
// it is a Pool of sizeof(T)-byte blocks aligned for T. T's constructor runs
// in the caller's context; with -fno-exceptions it cannot fail half-way.
#ifndef LIBS_POOL_PUBLIC_POOL_OBJECT_POOL_H_
#define LIBS_POOL_PUBLIC_POOL_OBJECT_POOL_H_

#include <cstddef>
#include <new>
#include <utility>

#include "base/status.h"
#include "pool/pool.h"
#include "pool/stats.h"
#include "pool/status.h"

namespace pool {

template <typename T, std::size_t kCount>
class ObjectPool;

// Move-only owner of one pooled T. Destruction runs ~T(), then wipes the
// object's bytes and returns the block. No release()/detach.
template <typename T>
class ObjectPtr {
 public:
  constexpr ObjectPtr() = default;
  ObjectPtr(const ObjectPtr&) = delete;
  ObjectPtr& operator=(const ObjectPtr&) = delete;
  ObjectPtr(ObjectPtr&& other) noexcept
      : object_(std::exchange(other.object_, nullptr)),
        owner_(std::exchange(other.owner_, nullptr)),
        destroy_(std::exchange(other.destroy_, nullptr)) {}
  ObjectPtr& operator=(ObjectPtr&& other) noexcept {
    if (this != &other) {
      Reset();
      object_ = std::exchange(other.object_, nullptr);
      owner_ = std::exchange(other.owner_, nullptr);
      destroy_ = std::exchange(other.destroy_, nullptr);
    }
    return *this;
  }
  ~ObjectPtr() { Reset(); }

  // Destroys the object and releases its (wiped) block now. Idempotent.
  void Reset() noexcept {
    if (object_ == nullptr) return;
    T* object = std::exchange(object_, nullptr);
    destroy_(std::exchange(owner_, nullptr), object);
    destroy_ = nullptr;
  }

  explicit operator bool() const { return object_ != nullptr; }
  T* get() const { return object_; }
  T& operator*() const { return *object_; }
  T* operator->() const { return object_; }

 private:
  template <typename, std::size_t>
  friend class ObjectPool;
  using DestroyFn = void (*)(void* owner, T* object) noexcept;

  ObjectPtr(T* object, void* owner, DestroyFn destroy)
      : object_(object), owner_(owner), destroy_(destroy) {}

  T* object_ = nullptr;
  void* owner_ = nullptr;
  DestroyFn destroy_ = nullptr;
};

template <typename T, std::size_t kCount>
class ObjectPool {
  using Blocks = Pool<sizeof(T), kCount, alignof(T)>;
  static_assert(Blocks::kBlockAlignment % alignof(T) == 0);

 public:
  constexpr ObjectPool() noexcept = default;
  ObjectPool(const ObjectPool&) = delete;
  ObjectPool& operator=(const ObjectPool&) = delete;

  static constexpr std::size_t capacity() { return kCount; }

  // Constructs a T from args in a free block. kExhausted when none is free
  // (or kCorrupted, see Pool::Allocate).
  template <typename... Args>
  base::Result<ObjectPtr<T>> Create(Args&&... args) noexcept {
    base::Status status;
    void* block = blocks_.Allocate(status);
    if (block == nullptr) return status;
    T* object = ::new (block) T(std::forward<Args>(args)...);
    return ObjectPtr<T>(object, this, &DestroyThunk);
  }

  // True when p points at an object slot of this pool.
  bool Owns(const T* p) const noexcept { return blocks_.Owns(p); }

  PoolStats stats() const noexcept { return blocks_.stats(); }
  void ResetHighWater() noexcept { blocks_.ResetHighWater(); }
  base::Status CheckInvariants(Check depth = Check::kStructure) const noexcept {
    return blocks_.CheckInvariants(depth);
  }

 private:
  friend struct PoolTestPeer;

  static void DestroyThunk(void* owner, T* object) noexcept {
    object->~T();
    // Wipes what the destructor left (the object's bytes) before reuse.
    static_cast<void>(static_cast<ObjectPool*>(owner)->blocks_.Release(object));
  }

  Blocks blocks_;
};

}  // namespace pool

#endif  // LIBS_POOL_PUBLIC_POOL_OBJECT_POOL_H_
