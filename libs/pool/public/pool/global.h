// Global<T>: a once-only initialised singleton in static memory.
//
//   constinit pool::Global<CryptoDevicePools<Ctx>> g_pools;
//   g_pools.Initialize();              // kOk
//   g_pools.Initialize();              // kAlreadyInitialized
//   auto pools = g_pools.Get();        // kNotInitialized before Initialize
//
// T is constructed at compile time (constinit: no static initialiser, no
// heap); Initialize() runs an optional configuration step once and opens
// access. The first caller wins; every later or concurrent caller gets
// kAlreadyInitialized, including while the first one is still running its
// configuration step. A configuration step that fails returns its error and
// leaves the singleton uninitialised, so start-up may retry.
#ifndef LIBS_POOL_PUBLIC_POOL_GLOBAL_H_
#define LIBS_POOL_PUBLIC_POOL_GLOBAL_H_

#include <atomic>
#include <cstdint>
#include <utility>

#include "base/status.h"
#include "pool/status.h"

namespace pool {

template <typename T>
class Global {
 public:
  constexpr Global() noexcept = default;
  Global(const Global&) = delete;
  Global& operator=(const Global&) = delete;

  // configure: base::Status(T&), run once, before anyone can Get() the value.
  template <typename Configure>
  base::Status Initialize(Configure&& configure) noexcept {
    std::uint8_t expected = kUninitialized;
    if (!state_.compare_exchange_strong(expected, kInitializing,
                                        std::memory_order_acquire,
                                        std::memory_order_relaxed)) {
      return Code::kAlreadyInitialized;
    }
    const base::Status status = std::forward<Configure>(configure)(value_);
    state_.store(status.ok() ? kReady : kUninitialized,
                 std::memory_order_release);
    return status;
  }

  base::Status Initialize() noexcept {
    return Initialize([](T&) { return base::OkStatus(); });
  }

  base::Result<T*> Get() noexcept {
    if (state_.load(std::memory_order_acquire) != kReady)
      return Code::kNotInitialized;
    return &value_;
  }

  bool initialized() const noexcept {
    return state_.load(std::memory_order_acquire) == kReady;
  }

 private:
  static constexpr std::uint8_t kUninitialized = 0;
  static constexpr std::uint8_t kInitializing = 1;
  static constexpr std::uint8_t kReady = 2;

  std::atomic<std::uint8_t> state_{kUninitialized};
  T value_{};
};

}  // namespace pool

#endif  // LIBS_POOL_PUBLIC_POOL_GLOBAL_H_
