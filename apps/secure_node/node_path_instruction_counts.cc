// Boards: instructions per message on the secure node's path, at payloads
// of 16 B, 256 B and 4 KiB. Run on each board with
//
//   bazel run -c opt //apps/secure_node:node_path_instruction_counts_<board>
//
// for <board> mps3_an536 (Cortex-R52) and versatilepb_r5f (Cortex-R5F).
//
// Two provisioned, linked nodes live in static memory, joined in memory
// like the node's tests join them. After a warm-up round (keys derived,
// key slots loaded, send ceilings persisted, each size's pool blocks used),
// each size prints
//
//   send_<n>        node 1 executing `SEND 2 <id> <n> <seed>` (ExecuteLine):
//                   payload generation, sealing, framing, COBS, the OK line.
//   receive_<n>     node 2 fed that encoded frame byte by byte (NetworkByte):
//                   frame assembly, COBS decode, checks, opening, the
//                   persisted receive window (RAM flash here), the RX line,
//                   and the ACK it seals and sends back.
//   ack_<n>         node 1 fed the ACK's bytes, up to its DELIVERED line.
//   end_to_end_<n>  their sum.
//
// Included: everything from the call into the node up to and including its
// calls into NodeOutput, and for the receiving steps the caller's loop that
// hands over one byte per call (the firmware's main loop does the same).
// Excluded: what the capturing output itself does with a line or bytes
// (copy and log). It is measured by making the same calls, with the same
// sizes and alignments, on a second capture, and taken off; the replay
// loop's own few instructions per call are taken off with it. The clock
// is fixed, so no retransmission is ever due and both boards do the same
// work; a clock read costs a virtual call.
//
// Bytes copied are not counted: the node's copies happen inside the node
// and the libraries (frame assembly, the workspace's leases, the pools'
// wipes) and cannot be seen from outside without instrumenting them. Only
// what crosses NodeOutput is visible, and that is the encoded frame.
#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <span>
#include <string_view>
#include <utility>

#include "apps/secure_node/link_keys.h"
#include "apps/secure_node/node.h"
#include "apps/secure_node/node_resources.h"
#include "apps/secure_node/payload.h"
#include "apps/secure_node/stored_records.h"
#include "base/fake_clock.h"
#include "board/board.h"
#include "platforms/bench/instruction_count.h"
#include "storage/ram_flash.h"
#include "storage/record_store.h"
#include "wire/cobs.h"
#include "wire/header.h"

namespace {

using secure_node::Node;

// Whether the receiver acknowledges. A node from before reliable delivery
// does not: its receive step ends at the RX line and it has no ack rows.
constexpr bool kNodeAcknowledges = true;

constexpr std::uint8_t kSender = 1;
constexpr std::uint8_t kReceiver = 2;
constexpr std::size_t kPayloadSizes[] = {16, 256, 4096};

// The longest encoded frame and its delimiter.
constexpr std::size_t kWireCapacity =
    wire::CobsMaxEncodedSize(wire::kMaxFrameBytes) + 1;
// Calls into the output that one step may make and still be replayed.
constexpr std::size_t kMaxCalls = 8;

// A line built without printf, so nothing on the board touches a heap.
class Text {
 public:
  Text& operator<<(std::string_view text) {
    const std::size_t size = std::min(text.size(), buffer_.size() - size_);
    std::memcpy(buffer_.data() + size_, text.data(), size);
    size_ += size;
    return *this;
  }
  Text& operator<<(std::uint32_t value) {
    const auto result = std::to_chars(buffer_.data() + size_,
                                      buffer_.data() + buffer_.size(), value);
    if (result.ec == std::errc()) {
      size_ = static_cast<std::size_t>(result.ptr - buffer_.data());
    }
    return *this;
  }
  // Each byte as two lowercase hex digits.
  Text& Hex(std::span<const std::uint8_t> bytes) {
    for (std::uint8_t byte : bytes) {
      Digit(byte >> 4);
      Digit(byte & 0xF);
    }
    return *this;
  }
  // Eight lowercase hex digits, as the node prints a fingerprint.
  Text& Hex32(std::uint32_t value) {
    for (int shift = 28; shift >= 0; shift -= 4) Digit((value >> shift) & 0xF);
    return *this;
  }
  std::string_view view() const { return {buffer_.data(), size_}; }

 private:
  void Digit(unsigned nibble) {
    if (size_ < buffer_.size()) buffer_[size_++] = "0123456789abcdef"[nibble];
  }

  std::array<char, 192> buffer_{};
  std::size_t size_ = 0;
};

// Source bytes for replayed calls: their contents do not matter, only
// where they start (memcpy takes a different path for each relative
// alignment).
alignas(64) std::array<std::uint8_t, kWireCapacity + 64> replay_source;

// A node's output: keeps the last console line (each step ends in the line
// it is judged by) and every network byte, and logs each call so that its
// own cost can be measured again and taken off (Replay).
class CapturingOutput final : public secure_node::NodeOutput {
 public:
  void ConsoleLine(std::string_view line) override {
    line_size_ = std::min(line.size(), line_.size());
    std::memcpy(line_.data(), line.data(), line_size_);
    Log(Call::kLine, line.data(), line_size_);
  }
  void NetworkBytes(std::span<const std::uint8_t> bytes) override {
    const std::size_t size = std::min(bytes.size(), wire_.size() - wire_size_);
    std::memcpy(wire_.data() + wire_size_, bytes.data(), size);
    wire_size_ += size;
    Log(Call::kBytes, bytes.data(), size);
  }

  void Clear() {
    line_size_ = 0;
    wire_size_ = 0;
    calls_ = 0;
  }
  std::string_view last_line() const { return {line_.data(), line_size_}; }
  std::span<const std::uint8_t> wire() const {
    return {wire_.data(), wire_size_};
  }
  std::size_t calls() const { return calls_; }

  // Makes the calls logged since Clear() on `target`, a cleared capture,
  // with the same sizes and source alignments.
  void Replay(secure_node::NodeOutput& target) const {
    for (std::size_t i = 0; i < calls_; ++i) {
      const Entry& entry = log_[i];
      const std::uint8_t* source = replay_source.data() + entry.misalignment;
      if (entry.call == Call::kLine) {
        target.ConsoleLine({reinterpret_cast<const char*>(source), entry.size});
      } else {
        target.NetworkBytes({source, entry.size});
      }
    }
  }

 private:
  enum class Call : std::uint8_t { kLine, kBytes };
  struct Entry {
    Call call;
    std::uint8_t misalignment;  // the source's address modulo 64
    std::size_t size;
  };

  void Log(Call call, const void* source, std::size_t size) {
    if (calls_ < log_.size()) {
      log_[calls_] = {call,
                      static_cast<std::uint8_t>(
                          reinterpret_cast<std::uintptr_t>(source) % 64),
                      size};
    }
    ++calls_;
  }

  // Cache-line aligned, like replay_source, so a replay's copies start as
  // the node's did.
  alignas(64) std::array<std::uint8_t, kWireCapacity> wire_{};
  std::size_t wire_size_ = 0;
  std::array<char, 256> line_{};
  std::size_t line_size_ = 0;
  std::array<Entry, kMaxCalls> log_{};
  std::size_t calls_ = 0;
};

// Static storage for an object built at run time and never destroyed: the
// nodes are far too big for the stack, and a static with a destructor would
// be registered with atexit.
template <typename T>
class StaticSlot {
 public:
  template <typename... Args>
  T& Emplace(Args&&... args) {
    return *new (storage_) T(std::forward<Args>(args)...);
  }

 private:
  alignas(T) std::byte storage_[sizeof(T)];
};

using Flash = storage::RamFlash<16 * 1024, 2>;
using Store = storage::RecordStore<secure_node::records::kMaxRecordKeys>;

// One node with its own pools, workspace and RAM flash.
struct Station {
  CapturingOutput output;
  StaticSlot<Flash> flash;
  StaticSlot<Store> store;
  StaticSlot<secure_node::NodeResources> resources;
  StaticSlot<Node> node_slot;
  Node* node = nullptr;  // built in node_slot by Bring()
};

// Time stands still: nothing the node schedules ever becomes due.
const base::FakeClock kFixedClock(1'000'000);
// The fleet secret the node's tests use; only the pair root reaches a node.
constexpr std::array<std::uint8_t, secure_node::kFleetSecretBytes>
    kFleetSecret = [] {
      std::array<std::uint8_t, secure_node::kFleetSecretBytes> secret{};
      secret.fill(0xaa);
      return secret;
    }();

Station sender;
Station receiver;
CapturingOutput replay_target;
alignas(64) std::array<std::uint8_t, Node::kMaxPayloadBytes> payload;

void Fail(std::string_view what, std::string_view line) {
  Text out;
  out << "FAIL " << what << ": " << line << "\r\n";
  board::ConsoleWrite(out.view());
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// Builds a station's node on its own mounted store and provisions it with
// its one link, as the provisioning tool would.
bool Bring(Station& station, std::uint8_t id, std::uint8_t peer) {
  Store& store = station.store.Emplace(station.flash.Emplace());
  if (!store.Mount().ok()) return false;
  Node& node = station.node_slot.Emplace(
      station.output, station.resources.Emplace(), store, kFixedClock);
  station.node = &node;
  node.Start();
  Text provision;
  provision << "PROVISION " << std::uint32_t{id};
  station.output.Clear();
  node.ExecuteLine(provision.view());
  if (!StartsWith(station.output.last_line(), "OK PROVISION")) {
    Fail("provision", station.output.last_line());
    return false;
  }
  std::array<std::uint8_t, secure_node::kLinkKeyBytes> root;
  if (!secure_node::DerivePairRoot(kFleetSecret, id, peer, root)) return false;
  Text link;
  link << "LINK " << std::uint32_t{peer} << " ";
  link.Hex(root);
  station.output.Clear();
  node.ExecuteLine(link.view());
  if (!StartsWith(station.output.last_line(), "OK LINK")) {
    Fail("link", station.output.last_line());
    return false;
  }
  return true;
}

// What the capture's own handling of a step's output costs.
std::uint64_t CaptureCost(const CapturingOutput& output) {
  replay_target.Clear();
  secure_node::NodeOutput& target = replay_target;
  return board_bench::CountInstructions([&] { output.Replay(target); });
}

std::uint64_t NodeCost(std::uint64_t measured, const CapturingOutput& output) {
  const std::uint64_t capture = CaptureCost(output);
  return measured > capture ? measured - capture : 0;
}

struct MessageCounts {
  std::uint64_t send = 0;
  std::uint64_t receive = 0;
  std::uint64_t ack = 0;
};

// One message of `size` bytes from the sender to the receiver, and (where
// the node acknowledges) its ACK back. False, after a FAIL line, if any
// step did not end as it should.
bool Message(std::uint32_t id, std::size_t size, MessageCounts& counts) {
  const auto seed = static_cast<std::uint32_t>(size);
  Text send;
  send << "SEND " << std::uint32_t{kReceiver} << " " << id << " "
       << static_cast<std::uint32_t>(size) << " " << seed;
  Text sent;
  sent << "OK SEND id=" << id << " ";
  secure_node::GeneratePayload(seed, std::span(payload.data(), size));
  Text received;
  received << "RX src=" << std::uint32_t{kSender} << " id=" << id
           << " len=" << static_cast<std::uint32_t>(size) << " fnv=";
  received.Hex32(secure_node::Fnv1a32(std::span(payload.data(), size)));
  Text delivered;
  delivered << "DELIVERED id=" << id << " ";

  Node& a = *sender.node;
  Node& b = *receiver.node;
  CapturingOutput& a_out = sender.output;
  CapturingOutput& b_out = receiver.output;

  a_out.Clear();
  const std::uint64_t send_count =
      board_bench::CountInstructions([&] { a.ExecuteLine(send.view()); });
  if (!StartsWith(a_out.last_line(), sent.view()) || a_out.wire().empty()) {
    Fail("send", a_out.last_line());
    return false;
  }
  counts.send = NodeCost(send_count, a_out);

  // The frame stays in the sender's capture while the receiver consumes it.
  const std::span<const std::uint8_t> frame = a_out.wire();
  b_out.Clear();
  const std::uint64_t receive_count = board_bench::CountInstructions([&] {
    for (const std::uint8_t byte : frame) b.NetworkByte(byte);
  });
  const bool acknowledged = !b_out.wire().empty();
  if (b_out.last_line() != received.view() ||
      acknowledged != kNodeAcknowledges) {
    Fail("receive", b_out.last_line());
    return false;
  }
  counts.receive = NodeCost(receive_count, b_out);

  if (!kNodeAcknowledges) return true;
  const std::span<const std::uint8_t> ack = b_out.wire();
  a_out.Clear();
  const std::uint64_t ack_count = board_bench::CountInstructions([&] {
    for (const std::uint8_t byte : ack) a.NetworkByte(byte);
  });
  if (!StartsWith(a_out.last_line(), delivered.view())) {
    Fail("ack", a_out.last_line());
    return false;
  }
  counts.ack = NodeCost(ack_count, a_out);
  return true;
}

void Report(std::string_view what, std::size_t size, std::uint64_t count) {
  Text name;
  name << what << "_" << static_cast<std::uint32_t>(size);
  board_bench::Report(name.view(), count, size);
}

}  // namespace

int main() {
  if (!Bring(sender, kSender, kReceiver) ||
      !Bring(receiver, kReceiver, kSender)) {
    return 1;
  }
  // Message ids are the same on every build, so that the lines the nodes
  // format (and their digit counts) are too.
  std::uint32_t id = 1;
  MessageCounts counts;
  for (const std::size_t size : kPayloadSizes) {
    if (!Message(id++, size, counts)) return 1;  // warm-up
  }
  for (const std::size_t size : kPayloadSizes) {
    if (!Message(id++, size, counts)) return 1;
    Report("send", size, counts.send);
    Report("receive", size, counts.receive);
    if (kNodeAcknowledges) Report("ack", size, counts.ack);
    Report("end_to_end", size, counts.send + counts.receive + counts.ack);
  }
  return 0;
}
