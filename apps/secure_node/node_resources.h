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

#include "pool/size_class_router.h"
#include "wire/cobs.h"
#include "wire/header.h"
#include "workspace/workspace.h"

namespace secure_node {

inline constexpr std::size_t kLargeBlockBytes = 4160;
static_assert(kLargeBlockBytes >= wire::CobsMaxEncodedSize(wire::kMaxFrameBytes) + 1,
              "a large block must hold an encoded frame and its delimiter");

inline constexpr pool::RouterConfig<4> kNodeRouterConfig{
    .classes = {{{64, 8}, {256, 8}, {1024, 4}, {kLargeBlockBytes, 4}}},
    .usage_max_bytes = {64, 64, 256, 1024, kLargeBlockBytes},
    .spill = pool::SpillPolicy::kNextLarger,
    .alignment = 16,
};
using NodeRouter = pool::SizeClassRouter<kNodeRouterConfig>;

inline constexpr std::size_t kPeerKeySlots = 16;
using NodeWorkspace = workspace::SecureCryptoWorkspace<kLargeBlockBytes, kPeerKeySlots,
                                                       kPeerKeySlots>;
static_assert(NodeWorkspace::kMaxMessageBytes >= wire::kMaxCiphertextBytes);

// Violations (frames that fail authentication) before the workspace wipes
// its keys and refuses work until the node is reset and provisioned again.
// A UART link has no CRC, so line noise also arrives as failed tags; the
// threshold is set so that noise alone does not lock a node out, while a
// sustained forgery stream still does.
inline constexpr std::uint32_t kViolationThreshold = 1024;

workspace::WorkspaceConfig NodeWorkspaceConfig();

struct NodeResources {
  NodeRouter buffers;
  NodeWorkspace crypto{NodeWorkspaceConfig()};
};

}  // namespace secure_node

#endif  // APPS_SECURE_NODE_NODE_RESOURCES_H_
