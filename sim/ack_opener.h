// Opens the ACK frames the router carried, after the run, with the pair
// keys the harness derives itself (sim/keys.h). The router stays keyless;
// the verdict uses what an ACK names (the acknowledged DATA sequence) to
// confirm a DELIVERED line and to tell an acknowledgement that was lost
// from one that reached the sender.
#ifndef SIM_ACK_OPENER_H_
#define SIM_ACK_OPENER_H_

#include <span>
#include <vector>

#include "sim/keys.h"
#include "sim/router.h"

namespace sim {

// Opens one decoded ACK frame (header || 4 bytes || tag) under `pair_key`.
AckContent OpenAck(const Key256& pair_key, std::span<const std::uint8_t> frame);

// Opens every parsed ACK frame in `frames` under its pair's key in its
// epoch and fills FrameRecord::ack.
void OpenAckFrames(const Key256& fleet_secret,
                   std::vector<FrameRecord>* frames);

}  // namespace sim

#endif  // SIM_ACK_OPENER_H_
