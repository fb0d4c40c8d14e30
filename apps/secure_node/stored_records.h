// What a node keeps in its record store (libs/storage), one key per fact.
//
// This is the one list of record keys: every record the node writes is
// named here, with its layout, so a reader can see at a glance what
// survives a power cut and what RESET scrubs.
//
//   key                 value (little-endian)                   written when
//   kIdentity           node id (u8)                            PROVISION
//   kEpoch              current epoch (u32, never decreases)    ROTATE
//   LinkRoot(peer)      the pair's 32-byte root key (secret)    LINK
//   LinkFreshness(peer) epoch, send ceiling, receive high (u32), see
//   freshness.h
//                       receive window bits (u64)
//
// RESET scrubs kIdentity and every LinkRoot (their old copies are zeroed in
// flash, not just superseded); kEpoch and LinkFreshness are never removed,
// so freshness never rewinds.
#ifndef APPS_SECURE_NODE_STORED_RECORDS_H_
#define APPS_SECURE_NODE_STORED_RECORDS_H_

#include <cstddef>
#include <cstdint>

namespace secure_node::records {

inline constexpr std::uint16_t kIdentity = 0x0001;
inline constexpr std::uint16_t kEpoch = 0x0002;
constexpr std::uint16_t LinkRoot(std::uint8_t peer) { return 0x0100u | peer; }
constexpr std::uint16_t LinkFreshness(std::uint8_t peer) {
  return 0x0200u | peer;
}

// Upper bound on the keys a node ever holds: identity, epoch, a root per
// link and a freshness record per peer id that was ever linked.
inline constexpr std::size_t kMaxRecordKeys = 2 + 64 + 256;

// Record values are little-endian fields (base::LoadLe32 / base::LoadLe64).

}  // namespace secure_node::records

#endif  // APPS_SECURE_NODE_STORED_RECORDS_H_
