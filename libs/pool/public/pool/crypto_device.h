// The crypto device's pool table: the size classes of the original design,
// as a compile-time router configuration, and the device's once-only global
// pool state. A board with other needs declares its own RouterConfig.
//
//   class       block   count  bytes   used for
//   0           64 B    32     2 KiB   keys, nonces
//   1           256 B   16     4 KiB   small messages
//   2           1 KiB    8     8 KiB   medium messages
//   3           4 KiB    4    16 KiB   large messages
//   contexts    sizeof(Context) x 8    crypto contexts (ObjectPool)
#ifndef LIBS_POOL_PUBLIC_POOL_CRYPTO_DEVICE_H_
#define LIBS_POOL_PUBLIC_POOL_CRYPTO_DEVICE_H_

#include <cstddef>

#include "pool/global.h"
#include "pool/object_pool.h"
#include "pool/size_class_router.h"

namespace pool {

inline constexpr RouterConfig<4> kCryptoDeviceRouterConfig{
    .classes = {{{64, 32}, {256, 16}, {1024, 8}, {4096, 4}}},
    // Indexed by Usage: key, nonce, small, medium, large message.
    .usage_max_bytes = {64, 64, 256, 1024, 4096},
    // A burst of one size may borrow from the next class, never further:
    // a 64 B key can take a 256 B block but never a 4 KiB one.
    .spill = SpillPolicy::kNextLarger,
    .alignment = 16,
};

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

}  // namespace pool

#endif  // LIBS_POOL_PUBLIC_POOL_CRYPTO_DEVICE_H_
