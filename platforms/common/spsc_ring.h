// A single-producer/single-consumer lock-free byte ring: an interrupt
// handler produces (Push), the main loop consumes (Pop). Capacity N, a power
// of two. Indices run freely over 32 bits and are masked on access, so all N
// slots are usable and wrap-around of the indices themselves is harmless.
//
// Bytes that do not fit are dropped and counted (Dropped()), never silently
// lost; Pushed() counts every byte accepted since start-up.
//
// Only the producer writes head_ and dropped_, only the consumer writes
// tail_. Release/acquire order the byte store before the index that
// publishes it (and the slot's read before the index that frees it), which
// is what two cores or two threads need; between an interrupt handler and
// the code it interrupts on one core it costs a DMB per access.
#ifndef PLATFORMS_COMMON_SPSC_RING_H_
#define PLATFORMS_COMMON_SPSC_RING_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace board::internal {

template <std::size_t N>
class SpscRing {
  static_assert(N >= 2 && (N & (N - 1)) == 0, "capacity: a power of two");
  static_assert(N <= (std::size_t{1} << 31), "indices must not alias");

 public:
  static constexpr std::size_t kCapacity = N;

  constexpr SpscRing() = default;
  // Tests: both indices start at `start` (e.g. just below 2^32).
  explicit constexpr SpscRing(std::uint32_t start)
      : head_(start), tail_(start) {}

  // Producer. False (and counted) when the ring is full.
  bool Push(std::uint8_t byte) {
    const std::uint32_t head = head_.load(std::memory_order_relaxed);
    const std::uint32_t tail = tail_.load(std::memory_order_acquire);
    if (head - tail == N) {
      dropped_.store(dropped_.load(std::memory_order_relaxed) + 1,
                     std::memory_order_relaxed);
      return false;
    }
    buffer_[head & (N - 1)] = byte;
    head_.store(head + 1, std::memory_order_release);
    return true;
  }

  // Consumer. The oldest byte, if any.
  std::optional<std::uint8_t> Pop() {
    const std::uint32_t tail = tail_.load(std::memory_order_relaxed);
    const std::uint32_t head = head_.load(std::memory_order_acquire);
    if (head == tail) return std::nullopt;
    const std::uint8_t byte = buffer_[tail & (N - 1)];
    tail_.store(tail + 1, std::memory_order_release);
    return byte;
  }

  // Either side: bytes waiting (a snapshot).
  std::size_t Size() const {
    return head_.load(std::memory_order_acquire) -
           tail_.load(std::memory_order_acquire);
  }
  bool Empty() const { return Size() == 0; }
  // Either side: no room for another byte (a snapshot; to the producer it
  // only ever turns false, as the consumer frees room).
  bool Full() const { return Size() == N; }
  // Bytes accepted since start-up (mod 2^32) and bytes dropped when full.
  std::uint32_t Pushed() const { return head_.load(std::memory_order_acquire); }
  std::uint32_t Dropped() const {
    return dropped_.load(std::memory_order_relaxed);
  }

 private:
  std::atomic<std::uint32_t> head_{0};
  std::atomic<std::uint32_t> tail_{0};
  std::atomic<std::uint32_t> dropped_{0};
  std::uint8_t buffer_[N] = {};
};

}  // namespace board::internal

#endif  // PLATFORMS_COMMON_SPSC_RING_H_
