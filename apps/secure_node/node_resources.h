// The static resources of a node: its buffer pools and its crypto
// workspace, sized at compile time for the link protocol.
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
//    it leases none of the workspace's buffers and they are the smallest the
//    workspace allows; 16 key slots and 16 sessions serve 16 peers before a
//    key is derived again (LinkKeys).
#ifndef APPS_SECURE_NODE_NODE_RESOURCES_H_
#define APPS_SECURE_NODE_NODE_RESOURCES_H_

#include <cstddef>

#include "base/clock.h"
#include "pool/size_class_router.h"
#include "wire/cobs.h"
#include "wire/header.h"
#include "workspace/workspace.h"

namespace secure_node {

inline constexpr std::size_t kLargeBlockBytes = 4160;
static_assert(kLargeBlockBytes >=
                  wire::CobsMaxEncodedSize(wire::kMaxFrameBytes) + 1,
              "a large block must hold an encoded frame and its delimiter");

inline constexpr pool::RouterConfig<4> kNodeRouterConfig{
    .classes = {{{64, 16}, {256, 16}, {1024, 8}, {kLargeBlockBytes, 6}}},
    .spill = pool::SpillPolicy::kNextLarger,
    .alignment = 16,
};
using NodeRouter = pool::SizeClassRouter<kNodeRouterConfig>;

inline constexpr std::size_t kPeerKeySlots = 16;
inline constexpr std::size_t kUnusedWorkspaceBufferBytes = 64;
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
