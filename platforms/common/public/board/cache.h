// Compile-time cache geometry of the board being built for, for alignas() of
// hot data. BOARD_CACHE_LINE_BYTES is defined by the board support package
// (and by //platforms/host for the host).
#ifndef PLATFORMS_COMMON_PUBLIC_BOARD_CACHE_H_
#define PLATFORMS_COMMON_PUBLIC_BOARD_CACHE_H_

#include <cstddef>

#ifndef BOARD_CACHE_LINE_BYTES
#error "BOARD_CACHE_LINE_BYTES is not defined: depend on //platforms:board"
#endif

namespace board {

inline constexpr std::size_t kCacheLineBytes = BOARD_CACHE_LINE_BYTES;
static_assert((kCacheLineBytes & (kCacheLineBytes - 1)) == 0,
              "cache line size must be a power of two");

}  // namespace board

#endif  // PLATFORMS_COMMON_PUBLIC_BOARD_CACHE_H_
