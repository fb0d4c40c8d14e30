// The static resources of a node: its buffer pools and its crypto
// workspace, sized at compile time for the link protocol.
//
// Their sizing is per board: the build settings of //apps/secure_node/config
// (README.md, "Configuring a board"), whose defaults for each board are in
// apps/secure_node/config/defaults.bzl, reach this header as the
// definitions SECURE_NODE_POOL_BLOCK_SIZES, SECURE_NODE_POOL_BLOCKS,
// SECURE_NODE_KEY_SLOTS and SECURE_NODE_WORKSPACE_BUFFER_BYTES. The
// static_asserts below say what a sizing must satisfy. Every board's
// default today:
//
//  * Pools: one block per message in flight, its sealed frame, held from
//    SEND until the acknowledgement (outbound.h); receiving takes none. A
//    full frame is 16 + 4100 + 16 = 4132 bytes, so the largest class is
//    4160 B (the generic 64/256/1024/4096 device table stops short of a
//    frame); a 16-byte message's frame (52 B) fits the 64-byte class. The
//    counts bound the messages in flight over all peers (beyond: SEND
//    answers BUSY reason=no_buffer): 16 small, 16 up to 240 B, 8 up to 1 KiB
//    and 6 up to 4 KiB, spilling upwards (38 KiB in all).
//  * Workspace: the node seals and opens frames where they lie (the frame's
//    pool block, the network reader's buffer: SealInPlace / OpenInPlace), so
//    it leases none of the workspace's buffers: 64 B, the smallest the
//    workspace allows on a 64-byte cache line (a 32-byte line allows 32 B);
//    16 key slots and 16 sessions serve 16 peers before a key is derived
//    again (LinkKeys).
#ifndef APPS_SECURE_NODE_NODE_RESOURCES_H_
#define APPS_SECURE_NODE_NODE_RESOURCES_H_

#include <cstddef>
#include <iterator>

#include "base/cache_line.h"
#include "base/clock.h"
#include "pool/size_class_router.h"
#include "wire/cobs.h"
#include "wire/header.h"
#include "workspace/workspace.h"

namespace secure_node {

#if !defined(SECURE_NODE_POOL_BLOCK_SIZES) ||                               \
    !defined(SECURE_NODE_POOL_BLOCKS) || !defined(SECURE_NODE_KEY_SLOTS) || \
    !defined(SECURE_NODE_WORKSPACE_BUFFER_BYTES)
#error \
    "the node's sizing is missing: depend on //apps/secure_node/config:node_sizing"
#endif

// The sizing as configured, unchecked (signed, so that a negative value is
// reported as such rather than wrapped).
namespace sizing {

inline constexpr long long kBlockSizes[] = {SECURE_NODE_POOL_BLOCK_SIZES};
inline constexpr long long kBlockCounts[] = {SECURE_NODE_POOL_BLOCKS};
inline constexpr long long kKeySlots = SECURE_NODE_KEY_SLOTS;
inline constexpr long long kWorkspaceBufferBytes =
    SECURE_NODE_WORKSPACE_BUFFER_BYTES;

inline constexpr std::size_t kClassCount = std::size(kBlockSizes);
// Each class is a pool of its own (its code, its STATS field).
inline constexpr std::size_t kMaxClasses = 8;
// A pool of more blocks than this no longer fits its free list's head word
// on a 32-bit core (pool/list_pool.h): split the class.
inline constexpr long long kMaxBlocksPerClass = 255;
// LinkKeys holds at most this many links; a key slot beyond them is unused.
inline constexpr long long kMaxKeySlots = 64;
// The largest class holds a full frame, COBS-encoded, and its delimiter.
inline constexpr long long kFrameBlockBytes =
    wire::CobsMaxEncodedSize(wire::kMaxFrameBytes) + 1;

consteval bool ClassCountOk() { return kClassCount <= kMaxClasses; }
consteval bool CountPerClass() {
  return std::size(kBlockCounts) == kClassCount;
}
consteval bool SizesAscend() {
  for (std::size_t i = 0; i < kClassCount; ++i) {
    if (kBlockSizes[i] <= (i == 0 ? 0 : kBlockSizes[i - 1])) return false;
  }
  return true;
}
consteval bool LargestHoldsFrame() {
  return kBlockSizes[kClassCount - 1] >= kFrameBlockBytes;
}
consteval bool CountsInRange() {
  for (const long long count : kBlockCounts) {
    if (count < 1 || count > kMaxBlocksPerClass) return false;
  }
  return true;
}
consteval bool PoolsValid() {
  return ClassCountOk() && CountPerClass() && SizesAscend() &&
         LargestHoldsFrame() && CountsInRange();
}
consteval bool KeySlotsValid() {
  return kKeySlots >= 1 && kKeySlots <= kMaxKeySlots;
}
consteval bool WorkspaceBufferValid() {
  return kWorkspaceBufferBytes > static_cast<long long>(workspace::kTagBytes) &&
         kWorkspaceBufferBytes %
                 static_cast<long long>(base::kCacheLineBytes) ==
             0;
}

}  // namespace sizing

static_assert(sizing::ClassCountOk(),
              "pool_block_sizes: too many pool classes (at most 8)");
static_assert(sizing::CountPerClass(),
              "pool_blocks must give one block count for each size class of "
              "pool_block_sizes");
static_assert(sizing::SizesAscend(),
              "pool_block_sizes must be positive and strictly ascending");
static_assert(sizing::LargestHoldsFrame(),
              "pool_block_sizes: the largest class must hold a full encoded "
              "frame (a 4 KiB message) and its delimiter (4,150 B today)");
static_assert(sizing::CountsInRange(),
              "pool_blocks: every class needs 1..255 blocks (none would "
              "serve no message; for more than 255, split the class)");
static_assert(sizing::KeySlotsValid(),
              "key_slots must be 1..64 (at least one peer's key; a node "
              "has at most 64 links)");
static_assert(sizing::WorkspaceBufferValid(),
              "workspace_buffer_bytes must be a whole number of the board's "
              "cache lines and more than a tag (16 B)");

// A sizing that fails a check above is replaced by a valid stand-in from
// here on, so that the compiler reports that check alone and not what
// follows from it in the pool and workspace templates.
consteval pool::RouterConfig<sizing::kClassCount> NodeRouterConfig() {
  pool::RouterConfig<sizing::kClassCount> config{
      .classes = {},
      .spill = pool::SpillPolicy::kNextLarger,
      .alignment = 16,
  };
  for (std::size_t i = 0; i < sizing::kClassCount; ++i) {
    config.classes[i] =
        sizing::PoolsValid()
            ? pool::SizeClass{static_cast<std::size_t>(sizing::kBlockSizes[i]),
                              static_cast<std::size_t>(sizing::kBlockCounts[i])}
            : pool::SizeClass{
                  static_cast<std::size_t>(sizing::kFrameBlockBytes) + 16 * i,
                  1};
  }
  return config;
}

inline constexpr pool::RouterConfig<sizing::kClassCount> kNodeRouterConfig =
    NodeRouterConfig();
using NodeRouter = pool::SizeClassRouter<kNodeRouterConfig>;
inline constexpr std::size_t kLargeBlockBytes =
    kNodeRouterConfig.classes[sizing::kClassCount - 1].block_size;

inline constexpr std::size_t kPeerKeySlots =
    sizing::KeySlotsValid() ? static_cast<std::size_t>(sizing::kKeySlots) : 1;
inline constexpr std::size_t kUnusedWorkspaceBufferBytes =
    sizing::WorkspaceBufferValid()
        ? static_cast<std::size_t>(sizing::kWorkspaceBufferBytes)
        : 64;
using NodeWorkspace =
    workspace::SecureCryptoWorkspace<kUnusedWorkspaceBufferBytes, kPeerKeySlots,
                                     kPeerKeySlots>;

// Violations before the workspace wipes its keys and refuses work. Frames
// that fail authentication are not violations here: anyone on the wire can
// send them, and the line itself flips bits, so they are counted per link
// instead (link_health.h). What remains are local misuses (e.g. use of an
// expired session), which are evidence of a fault in the node itself.
inline constexpr std::uint32_t kViolationThreshold = 8;

// The node's workspace configuration, reading time from `clock`.
workspace::WorkspaceConfig NodeWorkspaceConfig(const base::Clock& clock);

struct NodeResources {
  NodeRouter buffers;
  // Wiped and locked out until the node provisions it with its clock
  // (Node::Restore / PROVISION: Reprovision(NodeWorkspaceConfig(clock))).
  NodeWorkspace crypto{workspace::WorkspaceConfig()};
};

}  // namespace secure_node

#endif  // APPS_SECURE_NODE_NODE_RESOURCES_H_
