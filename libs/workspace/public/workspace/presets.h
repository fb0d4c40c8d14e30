// The four workspace sizes of the original design.
//
//   preset   buffer   key slots  sessions
//   Micro     128 B       2          2
//   Small     512 B       4          4
//   Medium   2048 B       8          8
//   Large    8192 B      16         16
//
// sizeof is pinned below for the three builds we ship (x86-64 host,
// Cortex-R52 with 64-byte lines, Cortex-R5F with 32-byte lines) so that a
// change to any record shows up as a compile error and a README update. All
// presets are meant for static storage; Large (~52 KiB) must never be put on
// a 64 KiB board stack.
#ifndef LIBS_WORKSPACE_PUBLIC_WORKSPACE_PRESETS_H_
#define LIBS_WORKSPACE_PUBLIC_WORKSPACE_PRESETS_H_

#include <cstddef>

#include "workspace/workspace.h"

namespace workspace {

using MicroWorkspace = SecureCryptoWorkspace<128, 2, 2>;
using SmallWorkspace = SecureCryptoWorkspace<512, 4, 4>;
using MediumWorkspace = SecureCryptoWorkspace<2048, 8, 8>;
using LargeWorkspace = SecureCryptoWorkspace<8192, 16, 16>;

// Documented sizes (README.md, "Memory"), per build. Five buffers make up
// most of it; the rest is key slots (each a crypto::CryptoContext: 832 B on
// the R52 and the host, 896 B on the Cortex-R5F, whose GHASH key also holds
// H^2), session records (32 B each) and the core's bookkeeping.
struct PresetSizes {
  std::size_t micro, small, medium, large;
};

#if defined(__arm__) && BOARD_CACHE_LINE_BYTES == 64  // Cortex-R52, mps3_an536
inline constexpr PresetSizes kExpectedPresetSizes = {2688, 6336, 17408, 54976};
#elif defined(__arm__) && \
    BOARD_CACHE_LINE_BYTES == 32  // Cortex-R5F, versatilepb_r5f
inline constexpr PresetSizes kExpectedPresetSizes = {2848, 6656, 18144, 56480};
#elif defined(__x86_64__) && BOARD_CACHE_LINE_BYTES == 64  // the host
inline constexpr PresetSizes kExpectedPresetSizes = {2752, 6400, 17472, 55040};
#else
#error \
    "no documented workspace sizes for this build: measure them and add a row"
#endif

static_assert(sizeof(MicroWorkspace) == kExpectedPresetSizes.micro);
static_assert(sizeof(SmallWorkspace) == kExpectedPresetSizes.small);
static_assert(sizeof(MediumWorkspace) == kExpectedPresetSizes.medium);
static_assert(sizeof(LargeWorkspace) == kExpectedPresetSizes.large);

// The boards' RAM region is 12 MiB; even Large is a small fraction of it.
static_assert(sizeof(LargeWorkspace) < 64 * 1024,
              "Large must stay well inside board RAM");

}  // namespace workspace

#endif  // LIBS_WORKSPACE_PUBLIC_WORKSPACE_PRESETS_H_
