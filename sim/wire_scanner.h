// Scans recorded network traffic for secrets the harness knows: message
// plaintexts and key material. Whatever a node or the router wrote to the
// untrusted link must be free of both.
//
// Patterns are indexed as fixed-size windows in a hash set, so a scan costs
// one lookup per byte of traffic per window size however many patterns
// there are. A pattern of 16 bytes or more contributes every 16-byte window
// (a leak of any 16 consecutive bytes is found); one of 8..15 bytes is
// matched whole; shorter ones cannot be told from chance and are counted as
// unscannable.
//
// Decoded frames are also read as link frames (sim/frame_header.h) and
// counted by type, so a finding names the kind of frame it was in and the
// report shows how many DATA and ACK frames were scanned.
#ifndef SIM_WIRE_SCANNER_H_
#define SIM_WIRE_SCANNER_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "sim/frame_header.h"

namespace sim {

struct LeakFinding {
  std::string stream;   // which recording, e.g. "node 3 emitted"
  std::size_t offset;   // in that recording (or in the decoded frame)
  std::string pattern;  // the label of the pattern found
};

class WireScanner {
 public:
  static constexpr std::size_t kWindow = 16;
  static constexpr std::size_t kMinWhole = 8;

  void AddPattern(std::string label, std::span<const std::uint8_t> bytes);

  // Scans `data` as it is, and also every COBS frame in it decoded (a
  // secret inside a frame is COBS-stuffed on the wire).
  void ScanStream(absl::string_view stream, absl::string_view data);
  // Scans raw bytes only.
  void ScanBytes(absl::string_view stream, absl::string_view data,
                 absl::string_view where);

  const std::vector<LeakFinding>& findings() const { return findings_; }
  std::size_t total_findings() const { return total_findings_; }
  std::size_t patterns() const { return labels_.size(); }
  std::size_t windows() const;
  std::size_t unscannable_patterns() const { return unscannable_; }
  std::uint64_t bytes_scanned() const { return bytes_scanned_; }
  // Decoded frames ScanStream saw, by type; frames that are no valid link
  // frame (a router-mutated copy, a leak) are counted apart.
  std::uint64_t frames_scanned(FrameType type) const {
    return frames_by_type_[static_cast<int>(type)];
  }
  std::uint64_t other_frames_scanned() const { return other_frames_; }

 private:
  static constexpr std::size_t kMaxFindingsKept = 50;

  std::vector<std::string> labels_;
  // Window length -> window bytes -> pattern label index.
  std::map<std::size_t, absl::flat_hash_map<std::string, std::size_t>> windows_;
  std::size_t unscannable_ = 0;
  std::vector<LeakFinding> findings_;
  std::size_t total_findings_ = 0;
  std::uint64_t bytes_scanned_ = 0;
  std::array<std::uint64_t, kFrameTypeCount> frames_by_type_{};
  std::uint64_t other_frames_ = 0;
};

}  // namespace sim

#endif  // SIM_WIRE_SCANNER_H_
