#include "sim/ethernet_stream.h"

#include <algorithm>

namespace sim {
namespace {

constexpr char kNodeMac[6] = {0x02, 0, 0, 0, 0, 0x01};
constexpr char kHarnessMac[6] = {0x02, 0, 0, 0, 0, 0x02};
constexpr std::size_t kHeaderBytes = 14;

void AppendBigEndian(std::string* out, std::uint32_t value, int bytes) {
  for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((value >> shift) & 0xff));
  }
}

std::uint32_t BigEndian(std::string_view bytes) {
  std::uint32_t value = 0;
  for (const char c : bytes)
    value = (value << 8) | static_cast<std::uint8_t>(c);
  return value;
}

}  // namespace

bool UsesEthernetLink(std::string_view board) { return board == "mps3_an536"; }

void EthernetStream::Queue(std::span<const std::uint8_t> bytes) {
  pending_.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  ProbeIfWaiting();
  Frame();
}

bool EthernetStream::ProbeIfWaiting() {
  if (open_ || pending_.empty()) return false;
  // A probe: the node answers with a credit frame.
  std::string frame(kNodeMac, sizeof kNodeMac);
  frame.append(kHarnessMac, sizeof kHarnessMac);
  AppendBigEndian(&frame, kCreditEthertype, 2);
  frame.resize(kMinFrameBytes, '\0');
  AppendBigEndian(&out_, static_cast<std::uint32_t>(frame.size()), 4);
  out_ += frame;
  packets_.push_back({4 + frame.size(), 0});
  return true;
}

void EthernetStream::Frame() {
  while (open_ && !pending_.empty() && sent_ - credited_ < kWindowFrames) {
    const std::size_t n = std::min(pending_.size(), kMaxPayload);
    std::string frame(kNodeMac, sizeof kNodeMac);
    frame.append(kHarnessMac, sizeof kHarnessMac);
    AppendBigEndian(&frame, kStreamEthertype, 2);
    AppendBigEndian(&frame, static_cast<std::uint32_t>(n), 2);
    frame.append(pending_, 0, n);
    if (frame.size() < kMinFrameBytes) frame.resize(kMinFrameBytes, '\0');
    pending_.erase(0, n);
    AppendBigEndian(&out_, static_cast<std::uint32_t>(frame.size()), 4);
    out_ += frame;
    packets_.push_back({4 + frame.size(), n});
    out_stream_bytes_ += n;
    ++sent_;
  }
}

void EthernetStream::Wrote(std::size_t n) {
  out_.erase(0, n);
  while (n > 0 && !packets_.empty()) {
    Packet& p = packets_.front();
    const std::size_t d = std::min(n, p.bytes_left);
    p.bytes_left -= d;
    n -= d;
    if (p.bytes_left == 0) {
      written_ += p.stream_bytes;
      out_stream_bytes_ -= p.stream_bytes;
      packets_.pop_front();
    }
  }
}

void EthernetStream::Receive(std::string_view raw, std::string* stream) {
  in_.append(raw);
  std::size_t at = 0;
  while (in_.size() - at >= 4) {
    const std::uint32_t size = BigEndian(std::string_view(in_).substr(at, 4));
    if (in_.size() - at - 4 < size) break;
    const std::string_view frame = std::string_view(in_).substr(at + 4, size);
    at += 4 + size;
    const std::uint32_t type =
        frame.size() >= kHeaderBytes ? BigEndian(frame.substr(12, 2)) : 0;
    if (type == kStreamEthertype && frame.size() >= kHeaderBytes + 2) {
      const std::uint32_t count = BigEndian(frame.substr(kHeaderBytes, 2));
      if (kHeaderBytes + 2 + count <= frame.size()) {
        stream->append(frame.substr(kHeaderBytes + 2, count));
        continue;
      }
    } else if (type == kCreditEthertype && frame.size() >= kHeaderBytes + 4) {
      credited_ = BigEndian(frame.substr(kHeaderBytes, 4));
      open_ = true;
      continue;
    }
    ++bad_packets_;
  }
  in_.erase(0, at);
  Frame();
}

}  // namespace sim
