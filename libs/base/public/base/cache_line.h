// The data cache line size of the board being built for, for alignas() of
// hot data and for keeping independently written words on separate lines.
//
// The value comes from the build, not from a board header: the board
// support package (//platforms:board, and //platforms/host on the host)
// defines BOARD_CACHE_LINE_BYTES, and //libs/base:cache_line depends on it.
// Libraries include this header instead of board/cache.h, so that no
// library reaches into platforms/ directly.
#ifndef LIBS_BASE_PUBLIC_BASE_CACHE_LINE_H_
#define LIBS_BASE_PUBLIC_BASE_CACHE_LINE_H_

#include <cstddef>

#ifndef BOARD_CACHE_LINE_BYTES
#error "BOARD_CACHE_LINE_BYTES is not defined: depend on //libs/base:cache_line"
#endif

namespace base {

inline constexpr std::size_t kCacheLineBytes = BOARD_CACHE_LINE_BYTES;
static_assert(kCacheLineBytes != 0 &&
                  (kCacheLineBytes & (kCacheLineBytes - 1)) == 0,
              "cache line size must be a power of two");

}  // namespace base

#endif  // LIBS_BASE_PUBLIC_BASE_CACHE_LINE_H_
