// The static resources of a node: its buffer pools and its crypto
// workspace, sized at compile time for the link protocol.
//
//  * Pools: a full frame is 16 + 4100 + 16 = 4132 bytes and its COBS
//    encoding at most 4150, so this board table's largest class is 4160 B
//    (the generic 64/256/1024/4096 device table stops short of a frame).
//    A SEND holds at most two large blocks at once (the plaintext goes back
//    before the frame and its encoding are taken); a receive holds one
//    frame block: 4 large blocks leave headroom.
//  * Workspace: 4160-byte buffers hold the largest ciphertext plus its tag;
//    16 key slots and 16 sessions serve 16 peers before a key is derived
//    again (LinkKeys).
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
    .classes = {{{64, 8}, {256, 8}, {1024, 4}, {kLargeBlockBytes, 4}}},
    .spill = pool::SpillPolicy::kNextLarger,
    .alignment = 16,
};
using NodeRouter = pool::SizeClassRouter<kNodeRouterConfig>;

inline constexpr std::size_t kPeerKeySlots = 16;
using NodeWorkspace =
    workspace::SecureCryptoWorkspace<kLargeBlockBytes, kPeerKeySlots,
                                     kPeerKeySlots>;
static_assert(NodeWorkspace::kMaxMessageBytes >= wire::kMaxCiphertextBytes);

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
