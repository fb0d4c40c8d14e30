#include "sim/wire_scanner.h"

#include "absl/strings/str_cat.h"
#include "wire/cobs.h"

namespace sim {

void WireScanner::AddPattern(std::string label,
                             std::span<const std::uint8_t> bytes) {
  const absl::string_view text(reinterpret_cast<const char*>(bytes.data()),
                               bytes.size());
  if (text.size() < kMinWhole) {
    ++unscannable_;
    return;
  }
  const std::size_t index = labels_.size();
  labels_.push_back(std::move(label));
  if (text.size() < kWindow) {
    windows_[text.size()].emplace(std::string(text), index);
    return;
  }
  auto& set = windows_[kWindow];
  for (std::size_t i = 0; i + kWindow <= text.size(); ++i) {
    set.emplace(std::string(text.substr(i, kWindow)), index);
  }
}

std::size_t WireScanner::windows() const {
  std::size_t n = 0;
  for (const auto& [size, set] : windows_) n += set.size();
  return n;
}

void WireScanner::ScanBytes(absl::string_view stream, absl::string_view data,
                            absl::string_view where) {
  bytes_scanned_ += data.size();
  for (const auto& [size, set] : windows_) {
    for (std::size_t i = 0; i + size <= data.size(); ++i) {
      auto it = set.find(data.substr(i, size));
      if (it == set.end()) continue;
      ++total_findings_;
      if (findings_.size() < kMaxFindingsKept) {
        findings_.push_back(
            {absl::StrCat(stream, where), i, labels_[it->second]});
      }
      i += size - 1;  // report a long leak once per window, not per byte
    }
  }
}

void WireScanner::ScanStream(absl::string_view stream, absl::string_view data) {
  ScanBytes(stream, data, " (raw)");
  std::size_t start = 0;
  std::vector<std::uint8_t> decoded;
  for (std::size_t i = 0; i <= data.size(); ++i) {
    if (i < data.size() && data[i] != 0) continue;
    const absl::string_view encoded = data.substr(start, i - start);
    start = i + 1;
    if (encoded.empty()) continue;
    decoded.resize(encoded.size());
    const base::Result<std::size_t> r = wire::CobsDecode(
        std::span<const std::uint8_t>(
            reinterpret_cast<const std::uint8_t*>(encoded.data()),
            encoded.size()),
        decoded);
    if (!r.ok()) continue;
    const std::span<const std::uint8_t> frame(decoded.data(), r.value());
    absl::string_view kind = "frame";
    if (const std::optional<ParsedFrame> parsed = ParseFrame(frame)) {
      ++frames_by_type_[static_cast<int>(parsed->type)];
      kind = parsed->type == FrameType::kAck ? "ack frame" : "data frame";
    } else {
      ++other_frames_;
    }
    ScanBytes(stream,
              absl::string_view(reinterpret_cast<const char*>(frame.data()),
                                frame.size()),
              absl::StrCat(" (", kind, " at byte ", i - encoded.size(), ")"));
  }
}

}  // namespace sim
