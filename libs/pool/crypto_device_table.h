// Test-only: the crypto device's product table, kept out of the generic
// pool library. The size classes of the original design as a router
// configuration, the usages a device's buffers have with their size bounds
// (which become the router's per-request limit), and the device's once-only
// global pool state.
//
//   class       block   count  bytes   used for
//   0           64 B    32     2 KiB   keys, nonces
//   1           256 B   16     4 KiB   small messages
//   2           1 KiB    8     8 KiB   medium messages
//   3           4 KiB    4    16 KiB   large messages
//   contexts    sizeof(Context) x 8    crypto contexts (ObjectPool)
#ifndef LIBS_POOL_CRYPTO_DEVICE_TABLE_H_
#define LIBS_POOL_CRYPTO_DEVICE_TABLE_H_

#include <array>
#include <cstddef>
#include <cstdint>

#include "base/status.h"
#include "pool/global.h"
#include "pool/object_pool.h"
#include "pool/size_class_router.h"
#include "pool/unique_block.h"

namespace pool::testing {

enum class Usage : std::uint8_t {
  kKey,
  kNonce,
  kSmallMessage,
  kMediumMessage,
  kLargeMessage,
};
inline constexpr std::size_t kUsageCount = 5;

// Largest request of each usage, indexed by Usage.
struct UsageLimits {
  std::array<std::size_t, kUsageCount> max_bytes;
  // 0 (every size over the limit) for a usage out of range.
  constexpr std::size_t Limit(Usage usage) const {
    const auto u = static_cast<std::size_t>(usage);
    return u < kUsageCount ? max_bytes[u] : 0;
  }
};

// A buffer for `usage` from `router`: the usage bounds the size
// (kSizeOverLimit), the size picks the class.
template <typename Router>
base::Result<UniqueBlock> AllocateFor(Router& router, const UsageLimits& limits,
                                      std::size_t size, Usage usage) noexcept {
  return router.Allocate(size, limits.Limit(usage));
}

inline constexpr RouterConfig<4> kCryptoDeviceRouterConfig{
    .classes = {{{64, 32}, {256, 16}, {1024, 8}, {4096, 4}}},
    // A burst of one size may borrow from the next class, never further:
    // a 64 B key can take a 256 B block but never a 4 KiB one.
    .spill = SpillPolicy::kNextLarger,
    .alignment = 16,
};

// key, nonce, small, medium, large message.
inline constexpr UsageLimits kCryptoDeviceLimits{{64, 64, 256, 1024, 4096}};

using CryptoDeviceRouter = SizeClassRouter<kCryptoDeviceRouterConfig>;

inline constexpr std::size_t kCryptoContextCount = 8;

// Everything the device allocates, as one constinit object.
template <typename Context, std::size_t kContexts = kCryptoContextCount>
struct CryptoDevicePools {
  CryptoDeviceRouter buffers;
  ObjectPool<Context, kContexts> contexts;
};

// The device's singleton: `constinit CryptoDeviceGlobal<MyContext> g;`.
template <typename Context>
using CryptoDeviceGlobal = Global<CryptoDevicePools<Context>>;

}  // namespace pool::testing

#endif  // LIBS_POOL_CRYPTO_DEVICE_TABLE_H_
