#include "apps/secure_node/node.h"

#include <charconv>
#include <optional>

#include "apps/secure_node/line_writer.h"
#include "apps/secure_node/payload.h"
#include "apps/secure_node/stored_records.h"
#include "base/byte_order.h"
#include "base/secure_wipe.h"

namespace secure_node {
namespace {

constexpr std::size_t kMaxArgs = 6;

// Splits a line at spaces into at most kMaxArgs words; returns the count, or
// kMaxArgs + 1 if there were more.
std::size_t SplitWords(std::string_view line,
                       std::array<std::string_view, kMaxArgs>& words) {
  std::size_t count = 0;
  while (!line.empty()) {
    const std::size_t start = line.find_first_not_of(' ');
    if (start == std::string_view::npos) break;
    line.remove_prefix(start);
    const std::size_t end = line.find(' ');
    if (count == kMaxArgs) return kMaxArgs + 1;
    words[count++] = line.substr(0, end);
    line.remove_prefix(end == std::string_view::npos ? line.size() : end);
  }
  return count;
}

template <typename T>
std::optional<T> ParseUnsigned(std::string_view text) {
  T value{};
  const auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size())
    return std::nullopt;
  return value;
}

std::optional<std::uint8_t> HexNibble(char c) {
  if (c >= '0' && c <= '9') return static_cast<std::uint8_t>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<std::uint8_t>(c - 'a' + 10);
  if (c >= 'A' && c <= 'F') return static_cast<std::uint8_t>(c - 'A' + 10);
  return std::nullopt;
}

bool ValidNodeId(std::uint32_t id) { return id >= 1 && id <= 254; }

}  // namespace

std::string_view StorageReason(base::Status status) {
  std::string_view name = base::StatusName<storage::StoreCode>(status);
  // remove_prefix, not substr: substr may throw, and a node links no
  // exception machinery.
  const std::size_t dot = name.find('.');
  if (dot != std::string_view::npos) name.remove_prefix(dot + 1);
  return name;
}

void Node::Start() {
  Restore();
  // READY says how long an accepted message may wait for its outcome at
  // most, so a harness knows when a missing one is a loss.
  LineWriter ready;
  ready << "READY arq_lifetime_ms=" << kOutboundWorstCaseLifetimeUs / 1000;
  Reply(ready.view());
}

void Node::Restore() {
  std::array<std::uint8_t, 1> identity{};
  std::size_t size = 0;
  const base::Status found = store_.Read(records::kIdentity, identity, size);
  base::Status error = freshness_.Load();
  if (error.ok() && found.ok() && size == 1 && ValidNodeId(identity[0])) {
    if (!resources_.crypto.Reprovision(NodeWorkspaceConfig(clock_)).ok()) {
      error = storage::StoreCode::kFlashFailed;
    } else {
      error = keys_.Load(identity[0]);
      if (error.ok()) id_ = identity[0];
    }
  } else if (!found.ok() && found != storage::StoreCode::kNotFound) {
    error = found;
  }
  if (!error.ok()) {
    // Without its freshness the node must not send: it could reuse a nonce.
    storage_failed_ = true;
    keys_.WipeRam();
    id_ = 0;
    LineWriter out;
    out << "ERR STORAGE reason=" << StorageReason(error);
    return Reply(out.view());
  }
  if (id_ == 0) return;
  LineWriter out;
  out << "RESTORED node=" << static_cast<unsigned>(id_)
      << " epoch=" << freshness_.epoch()
      << " links=" << static_cast<std::uint32_t>(keys_.link_count());
  Reply(out.view());
}

void Node::WipeLine() {
  base::SecureWipe(line_.data(), line_.size());
  line_size_ = 0;
  line_overflow_ = false;
}

void Node::ConsoleByte(std::uint8_t byte) {
  // CR, LF and CR LF each end one line: a terminal's Enter sends CR, the
  // harness sends LF, and a CR LF pair is one line end, not two.
  const bool lf_after_cr = byte == '\n' && last_console_byte_ == '\r';
  last_console_byte_ = byte;
  if (lf_after_cr) return;
  if (byte == '\r' || byte == '\n') {
    if (echo_) output_.ConsoleEcho("\r\n");
    if (line_overflow_) {
      Reply("ERR LINE reason=too_long");
    } else if (line_size_ > 0) {
      ExecuteLine(std::string_view(line_.data(), line_size_));
    }
    WipeLine();
    return;
  }
  if (byte == 0x08 || byte == 0x7f) {  // backspace / DEL: edit the line
    if (line_size_ > 0 && !line_overflow_) {
      line_[--line_size_] = 0;
      if (echo_) output_.ConsoleEcho("\b \b");
    }
    return;
  }
  if (line_size_ == line_.size()) {
    line_overflow_ = true;
    return;
  }
  line_[line_size_++] = static_cast<char>(byte);
  if (echo_) {
    const char typed = static_cast<char>(byte);
    output_.ConsoleEcho(std::string_view(&typed, 1));
  }
}

void Node::ExecuteLine(std::string_view line) {
  std::array<std::string_view, kMaxArgs> words;
  const std::size_t count = SplitWords(line, words);
  if (count == 0) return;
  const std::string_view command = words[0];
  if (count > kMaxArgs) {
    LineWriter out;
    out << "ERR " << command << " reason=bad_arguments";
    Reply(out.view());
    return;
  }
  const std::span<const std::string_view> args(words.data() + 1, count - 1);
  if (command == "PROVISION") {
    Provision(args);
  } else if (command == "LINK") {
    Link(args);
  } else if (command == "SEND") {
    Send(args);
  } else if (command == "ROTATE") {
    Rotate(args);
  } else if (command == "STATS" && args.empty()) {
    ReportStats();
  } else if (command == "HELP" && args.empty()) {
    Help();
  } else if (command == "CLOCK") {
    Clock(args);
  } else if (command == "ECHO" && args.size() == 1 &&
             (args[0] == "on" || args[0] == "off")) {
    echo_ = args[0] == "on";
    Reply(echo_ ? "OK ECHO on" : "OK ECHO off");
  } else if (command == "RESET" && args.empty()) {
    Reset();
  } else if (command == "TAMPER" && args.empty()) {
    Tamper();
  } else if (command == "STATS" || command == "RESET" || command == "TAMPER" ||
             command == "HELP" || command == "ECHO") {
    LineWriter out;
    out << "ERR " << command << " reason=bad_arguments";
    Reply(out.view());
  } else {
    LineWriter out;
    out << "ERR " << command << " reason=unknown_command";
    Reply(out.view());
  }
}

void Node::Help() {
  // One line per command, then the OK that ends the reply (PROTOCOL.md).
  static constexpr std::string_view kLines[] = {
      "HELP PROVISION <id 1..254>           take this identity",
      "HELP LINK <peer> <64 hex digits>     install the pair root of a link",
      "HELP SEND <dst> <id> <bytes> <seed>  send a generated message",
      "HELP ROTATE <epoch>                  move every link to a new epoch",
      "HELP STATS                           counters on one line",
      "HELP RESET                           wipe secrets and identity",
      "HELP TAMPER                          local tamper: wipe and lock out",
      "HELP ECHO on|off                     echo typed characters",
      "HELP CLOCK [step | advance <us>]     the node's clock; stepped: "
      "time moves only by CLOCK advance",
  };
  for (const std::string_view line : kLines) Reply(line);
  Reply("OK HELP");
}

void Node::Clock(std::span<const std::string_view> args) {
  if (args.size() == 1 && args[0] == "step") {
    clock_.Step();
  } else if (args.size() == 2 && args[0] == "advance") {
    const auto micros = ParseUnsigned<std::uint64_t>(args[1]);
    if (!micros) return Reply("ERR CLOCK reason=bad_arguments");
    if (!clock_.stepped()) return Reply("ERR CLOCK reason=not_stepped");
    if (!clock_.Advance(*micros)) return Reply("ERR CLOCK reason=out_of_range");
    // What fell due goes out before the reply, so a reader of the reply
    // knows every frame the step caused is already on the wire.
    Service();
  } else if (!args.empty()) {
    return Reply("ERR CLOCK reason=bad_arguments");
  }
  const std::uint64_t now = clock_.NowMicroseconds();
  LineWriter out;
  out << "OK CLOCK mode=" << (clock_.stepped() ? "stepped" : "board")
      << " now=" << now << " due_in=";
  if (const std::optional<std::uint64_t> due = outbound_.NextDeadline()) {
    out << (*due > now ? *due - now : std::uint64_t{0});
  } else {
    out << "none";
  }
  // Every network byte goes through the frame reader: what it was fed is
  // what the node has handled.
  out << " net_in=" << reader_.bytes_fed();
  Reply(out.view());
}

void Node::Provision(std::span<const std::string_view> args) {
  // The fleet secret never reaches a node: the one-argument form only.
  if (args.size() != 1) return Reply("ERR PROVISION reason=bad_arguments");
  if (locked_out_) return Reply("ERR PROVISION reason=locked_out");
  if (storage_failed_) return Reply("ERR PROVISION reason=storage_failed");
  if (id_ != 0) return Reply("ERR PROVISION reason=already_provisioned");
  const auto id = ParseUnsigned<std::uint32_t>(args[0]);
  if (!id || !ValidNodeId(*id)) return Reply("ERR PROVISION reason=bad_id");
  if (!resources_.crypto.Reprovision(NodeWorkspaceConfig(clock_)).ok()) {
    return Reply("ERR PROVISION reason=workspace_refused");
  }
  const std::array<std::uint8_t, 1> identity = {static_cast<std::uint8_t>(*id)};
  if (!store_.Write(records::kIdentity, identity).ok()) {
    return Reply("ERR PROVISION reason=storage_failed");
  }
  id_ = identity[0];
  keys_.SetSelf(id_);
  LineWriter out;
  out << "OK PROVISION node=" << static_cast<unsigned>(id_);
  Reply(out.view());
}

void Node::Link(std::span<const std::string_view> args) {
  if (args.size() != 2) return Reply("ERR LINK reason=bad_arguments");
  if (id_ == 0) return Reply("ERR LINK reason=not_provisioned");
  const auto peer = ParseUnsigned<std::uint32_t>(args[0]);
  if (!peer || !ValidNodeId(*peer) || *peer == id_)
    return Reply("ERR LINK reason=bad_peer");
  if (args[1].size() != 2 * kLinkKeyBytes)
    return Reply("ERR LINK reason=bad_key");
  std::array<std::uint8_t, kLinkKeyBytes> root;
  bool valid = true;
  for (std::size_t i = 0; i < kLinkKeyBytes; ++i) {
    const auto high = HexNibble(args[1][2 * i]);
    const auto low = HexNibble(args[1][2 * i + 1]);
    valid = valid && high && low;
    root[i] = valid ? static_cast<std::uint8_t>(*high << 4 | *low) : 0;
  }
  const LinkKeys::LinkError error =
      valid ? keys_.Install(static_cast<std::uint8_t>(*peer), root)
            : LinkKeys::LinkError::kOk;
  base::SecureWipe(root.data(), root.size());
  if (!valid) return Reply("ERR LINK reason=bad_key");
  switch (error) {
    case LinkKeys::LinkError::kOk:
      break;
    case LinkKeys::LinkError::kBadPeer:
      return Reply("ERR LINK reason=bad_peer");
    case LinkKeys::LinkError::kTooManyLinks:
      return Reply("ERR LINK reason=too_many_links");
    case LinkKeys::LinkError::kStorageFailed:
      return Reply("ERR LINK reason=storage_failed");
  }
  LineWriter out;
  out << "OK LINK peer=" << *peer
      << " links=" << static_cast<std::uint32_t>(keys_.link_count());
  Reply(out.view());
}

void Node::Send(std::span<const std::string_view> args) {
  if (args.size() != 4) return Reply("ERR SEND reason=bad_arguments");
  const auto destination = ParseUnsigned<std::uint32_t>(args[0]);
  const auto message_id = ParseUnsigned<std::uint32_t>(args[1]);
  const auto length = ParseUnsigned<std::uint32_t>(args[2]);
  const auto seed = ParseUnsigned<std::uint32_t>(args[3]);
  if (!destination || !message_id || !length || !seed) {
    return Reply("ERR SEND reason=bad_arguments");
  }
  const auto refuse = [&](std::string_view reason) {
    RefuseSend("ERR", *message_id, reason);
  };
  const auto busy = [&](std::string_view reason) {
    ++stats_.busy;
    RefuseSend("BUSY", *message_id, reason);
  };
  if (locked_out_) return refuse("locked_out");
  if (id_ == 0) return refuse("not_provisioned");
  if (!ValidNodeId(*destination) || *destination == id_) {
    return refuse("bad_destination");
  }
  if (*length > kMaxPayloadBytes) return refuse("too_long");
  const auto peer = static_cast<std::uint8_t>(*destination);
  if (!keys_.HasLink(peer)) return refuse("no_link");
  // The sequence is made safe against a power cut before it is used: a
  // new ceiling is persisted first when needed (freshness.h).
  const Freshness::SendReservation reservation = freshness_.ReserveSend(peer);
  if (reservation.status == Freshness::SendStatus::kExhausted) {
    return refuse("sequence_exhausted");
  }
  if (reservation.status == Freshness::SendStatus::kStorageFailed) {
    return refuse("storage_failed");
  }
  // Backpressure before anything is sealed: a BUSY spends no nonce.
  switch (outbound_.CanAdmit(peer, reservation.sequence)) {
    case Outbound::Admission::kOk:
      break;
    case Outbound::Admission::kWindowFull:
      return busy("window_full");
    case Outbound::Admission::kTooManyPeers:
      return busy("too_many_peers");
    case Outbound::Admission::kSequenceRefused:
      return refuse("sequence_refused");
  }
  const std::size_t text_bytes = 4 + *length;
  const std::size_t frame_bytes =
      wire::kHeaderBytes + text_bytes + wire::kTagBytes;
  pool::UniqueBlock frame_block;
  auto* frame =
      reinterpret_cast<std::uint8_t*>(LargeBlock(frame_block, frame_bytes));
  if (frame == nullptr) return busy("no_buffer");

  // One buffer per message: the payload is generated straight into the
  // frame, sealed there, and the frame block is what waits for the ACK.
  const wire::LinkHeader header{
      .source = id_,
      .destination = peer,
      .epoch = freshness_.epoch(),
      .sequence = reservation.sequence,
      .ciphertext_length = static_cast<std::uint16_t>(text_bytes),
      .type = wire::FrameType::kData};
  const std::span<std::uint8_t> sealed_frame(frame, frame_bytes);
  std::uint8_t* const text = frame + wire::kHeaderBytes;
  base::StoreBe32(text, *message_id);
  GeneratePayload(*seed, std::span(text + 4, *length));
  const base::Status sealed = SealFrame(header, sealed_frame);
  if (!sealed.ok()) {
    // On a refusal frame_block still holds plaintext: the pool wipes it on
    // its way back.
    if (sealed == workspace::Code::kRotationRequired) {
      return refuse("rotation_required");
    }
    if (sealed == workspace::Code::kLockedOut) {
      EnterLockout();
      return refuse("locked_out");
    }
    if (sealed == workspace::Code::kKeySlotEmpty)
      return refuse("key_unavailable");
    return refuse("encrypt_failed");
  }
  if (!outbound_.Admit(peer, header.sequence, clock_.NowMicroseconds(),
                       *message_id, std::move(frame_block), frame_bytes)) {
    return refuse("sequence_refused");  // never: CanAdmit said yes
  }
  ++stats_.tx;
  TransmitFrame(sealed_frame);  // the block now belongs to outbound_

  LineWriter out;
  out << "OK SEND id=" << *message_id << " seq=" << header.sequence
      << " epoch=" << header.epoch;
  Reply(out.view());
}

base::Status Node::SealFrame(const wire::LinkHeader& header,
                             std::span<std::uint8_t> frame) {
  const auto session =
      keys_.SessionFor(header.destination, header.epoch,
                       freshness_.last_sent(header.destination));
  if (!session) return workspace::Code::kKeySlotEmpty;
  const auto header_bytes = wire::SerializeHeader(header);
  std::copy(header_bytes.begin(), header_bytes.end(), frame.begin());
  const std::size_t text_bytes = header.ciphertext_length;
  // The link owns the counter: the nonce's invocation is (epoch, sequence)
  // of the header, and the workspace only refuses one that is not above
  // every invocation already used under the key.
  const base::Status status = resources_.crypto.SealInPlace(
      *session, wire::FrameInvocation(header), frame.first(wire::kHeaderBytes),
      frame.subspan(wire::kHeaderBytes, text_bytes),
      frame.subspan(wire::kHeaderBytes + text_bytes).first<wire::kTagBytes>());
  // Sealed: the sequence is spent whatever happens to the frame now.
  if (status.ok()) freshness_.CommitSend(header.destination, header.sequence);
  return status;
}

void Node::RefuseSend(std::string_view verdict, std::uint32_t message_id,
                      std::string_view reason) {
  LineWriter out;
  out << verdict << " SEND id=" << message_id << " reason=" << reason;
  Reply(out.view());
}

void Node::TransmitFrame(std::span<const std::uint8_t> frame) {
  // Encoded on the way out: the UART reads the frame where it lies.
  wire::CobsEncodeTo(frame, [this](std::span<const std::uint8_t> piece) {
    output_.NetworkBytes(piece);
  });
  constexpr std::uint8_t kDelimiter[1] = {wire::kFrameDelimiter};
  output_.NetworkBytes(kDelimiter);
}

void Node::Service() {
  const std::optional<std::uint64_t> next = outbound_.NextDeadline();
  const std::uint64_t now = clock_.NowMicroseconds();
  if (!next || *next > now) return;
  for (Outbound::Event event = outbound_.Poll(now);
       event.kind != Outbound::Event::Kind::kNone;
       event = outbound_.Poll(now)) {
    if (event.kind == Outbound::Event::Kind::kRetransmit) {
      TransmitFrame(event.frame);
    } else {
      ReportEnded(event, "unreachable");
    }
  }
}

void Node::ReportEnded(const Outbound::Event& event, std::string_view cause) {
  LineWriter out;
  if (cause.empty()) {
    ++stats_.delivered;
    out << "DELIVERED";
  } else {
    ++stats_.failed;
    out << "FAILED";
  }
  out << " id=" << event.message_id
      << " dst=" << static_cast<unsigned>(event.peer)
      << " seq=" << event.sequence
      << " tx=" << static_cast<unsigned>(event.transmissions);
  if (!cause.empty()) out << " cause=" << cause;
  Reply(out.view());
}

void Node::AbandonInFlight(std::string_view cause) {
  while (const std::optional<Outbound::Event> event = outbound_.Abandon()) {
    ReportEnded(*event, cause);
  }
}

std::byte* Node::LargeBlock(pool::UniqueBlock& block, std::size_t size) {
  auto allocated = resources_.buffers.Allocate(size);
  if (!allocated.ok()) return nullptr;
  block = std::move(allocated).value();
  return block.data();
}

void Node::Rotate(std::span<const std::string_view> args) {
  if (args.size() != 1) return Reply("ERR ROTATE reason=bad_arguments");
  const auto epoch = ParseUnsigned<std::uint32_t>(args[0]);
  if (!epoch) return Reply("ERR ROTATE reason=bad_arguments");
  // The persisted epoch, not this life's: RESET never rewinds it, so no
  // epoch's keys and sequences are ever used twice.
  if (*epoch <= freshness_.epoch())
    return Reply("ERR ROTATE reason=not_increasing");
  if (!freshness_.AdvanceEpoch(*epoch).ok()) {
    return Reply("ERR ROTATE reason=storage_failed");
  }
  // New epoch, new keys: sequences and replay windows start over, which is
  // safe because every (key, nonce) pair is new.
  AbandonInFlight("rotated");
  keys_.ForgetDerived();
  for (auto& window : ack_replay_) window.Reset();
  LineWriter out;
  out << "OK ROTATE epoch=" << *epoch;
  Reply(out.view());
}

void Node::ReportStats() {
  StatsLineWriter out;
  const std::uint64_t now = clock_.NowMicroseconds();
  out << "STATS node=" << static_cast<unsigned>(id_)
      << " epoch=" << freshness_.epoch() << " tx=" << stats_.tx
      << " rx_ok=" << stats_.rx_ok << " rej_malformed=" << stats_.rej_malformed
      << " rej_misrouted=" << stats_.rej_misrouted
      << " rej_unknown_peer=" << stats_.rej_unknown_peer
      << " rej_epoch=" << stats_.rej_epoch
      << " rej_replay=" << stats_.rej_replay
      << " rej_forged=" << stats_.rej_forged
      << " rej_locked_out=" << stats_.rej_locked_out
      << " rej_storage=" << stats_.rej_storage
      << " delivered=" << stats_.delivered << " failed=" << stats_.failed
      << " busy=" << stats_.busy
      << " in_flight=" << static_cast<std::uint32_t>(outbound_.in_flight())
      << " retransmissions="
      << static_cast<std::uint32_t>(outbound_.stats().retransmissions)
      << " acks_tx=" << stats_.acks_tx << " acks_rx=" << stats_.acks_rx
      << " ack_unknown=" << stats_.ack_unknown
      << " ack_send_failed=" << stats_.ack_send_failed
      << " rx_duplicates=" << stats_.rx_duplicates
      << " reacks_limited=" << stats_.reacks_limited
      << " framing_overflow=" << reader_.stats().overflows
      << " violations=" << resources_.crypto.stats().violations
      << " locked_out=" << static_cast<unsigned>(locked_out_)
      << " links=" << static_cast<std::uint32_t>(keys_.link_count())
      << " links_quarantined=" << health_.QuarantinedLinks(now)
      << " quarantines=" << health_.quarantines() << " store_writes="
      << static_cast<std::uint32_t>(freshness_.store_writes())
      << " key_derivations=" << keys_.derivations() << " pool_hwm=";
  for (std::size_t c = 0; c < NodeRouter::class_count(); ++c) {
    if (c != 0) out << '/';
    out << resources_.buffers.stats(c).high_water;
  }
  out << " pool_failures=";
  for (std::size_t c = 0; c < NodeRouter::class_count(); ++c) {
    if (c != 0) out << '/';
    out << resources_.buffers.stats(c).allocation_failures;
  }
  output_.AppendReceiveStats(out);
  Reply(out.view());
}

void Node::WipeSecrets() {
  // Roots (RAM and store), then every key slot, session and workspace
  // buffer; the workspace stays unusable for encryption until keys are
  // loaded again. The identity goes too: the node must be provisioned
  // again. Freshness (epoch, ceilings, floors) and the replay windows stay.
  (void)keys_.WipeAll();
  (void)store_.Scrub(records::kIdentity);
  (void)resources_.crypto.Reprovision(NodeWorkspaceConfig(clock_));
  id_ = 0;
  WipeLine();
}

void Node::EnterLockout() {
  AbandonInFlight("locked_out");
  WipeSecrets();
  locked_out_ = true;
}

void Node::Reset() {
  AbandonInFlight("reset");
  WipeSecrets();
  locked_out_ = false;
  storage_failed_ = false;
  stats_ = NodeStats{};
  health_.Reset();
  reack_budget_.Reset();
  for (auto& window : ack_replay_) window.Reset();
  resources_.buffers.ResetHighWater();
  Reply("OK RESET");
  Start();
}

void Node::Tamper() {
  EnterLockout();
  Reply("OK TAMPER locked_out=1");
}

void Node::NetworkByte(std::uint8_t byte) {
  if (auto frame = reader_.Feed(byte)) ReceiveFrame(*frame);
}

void Node::Reject(std::uint8_t source, std::string_view reason) {
  LineWriter out;
  out << "REJECT src=" << static_cast<unsigned>(source) << " reason=" << reason;
  Reply(out.view());
}

void Node::ReceiveFrame(std::span<std::uint8_t> encoded) {
  // Decoded and, once authentic, decrypted where it was received: the
  // reader's buffer is the frame's one home until it is handled.
  const base::Result<std::size_t> decoded = wire::CobsDecodeInPlace(encoded);
  if (!decoded.ok()) {
    ++stats_.rej_malformed;
    return Reject(0, "malformed");
  }
  const std::span<std::uint8_t> frame = encoded.first(decoded.value());
  const base::Result<wire::LinkHeader> parsed = wire::ParseFrameHeader(frame);
  if (!parsed.ok()) {
    ++stats_.rej_malformed;
    return Reject(0, "malformed");
  }
  const wire::LinkHeader& header = parsed.value();
  const bool data = header.type == wire::FrameType::kData;
  // DATA carries at least the message id; an ACK exactly one sequence.
  if (data ? header.ciphertext_length < 4
           : header.ciphertext_length != wire::kAckPlaintextBytes) {
    ++stats_.rej_malformed;
    return Reject(0, "malformed");
  }
  if (id_ == 0 || header.destination != id_) {
    ++stats_.rej_misrouted;
    return Reject(header.source, "misrouted");
  }
  if (!ValidNodeId(header.source) || header.source == id_) {
    ++stats_.rej_unknown_peer;
    return Reject(header.source, "unknown_peer");
  }
  if (!keys_.HasLink(header.source)) {  // no root: this node has no such link
    ++stats_.rej_unknown_peer;
    return Reject(header.source, "unknown_peer");
  }
  if (header.epoch != freshness_.epoch()) {
    ++stats_.rej_epoch;
    return Reject(header.source, "epoch");
  }
  const std::span<std::uint8_t> text =
      frame.subspan(wire::kHeaderBytes, header.ciphertext_length);
  if (data) {
    ReceiveData(header, frame);
  } else {
    ReceiveAck(header, frame);
  }
  // The plaintext, if any, was opened in this buffer.
  base::SecureWipe(text.data(), text.size());
}

bool Node::OpenFrame(const wire::LinkHeader& header,
                     std::span<std::uint8_t> frame) {
  if (locked_out_) {
    ++stats_.rej_locked_out;
    Reject(header.source, "locked_out");
    return false;
  }
  const auto session = keys_.SessionFor(header.source, header.epoch,
                                        freshness_.last_sent(header.source));
  if (!session) {
    ++stats_.rej_unknown_peer;
    Reject(header.source, "unknown_peer");
    return false;
  }
  const std::size_t text_bytes = header.ciphertext_length;
  // In place is safe here: only this code writes the reader's buffer, so
  // the bytes decrypted are the bytes authenticated (workspace.h).
  const base::Status opened = resources_.crypto.OpenInPlace(
      *session, wire::FrameNonce(header), frame.first(wire::kHeaderBytes),
      frame.subspan(wire::kHeaderBytes, text_bytes),
      frame.subspan(wire::kHeaderBytes + text_bytes).first<wire::kTagBytes>());
  if (opened.ok()) return true;
  if (opened == workspace::Code::kLockedOut) {
    EnterLockout();
    ++stats_.rej_locked_out;
    Reject(header.source, "locked_out");
    return false;
  }
  // Counted against the claimed link only, never the node (link_health.h).
  (void)health_.RecordFailure(header.source, clock_.NowMicroseconds());
  ++stats_.rej_forged;
  Reject(header.source, "forged");
  return false;
}

void Node::ReceiveData(const wire::LinkHeader& header,
                       std::span<std::uint8_t> frame) {
  const wire::ReplayWindow::Verdict verdict =
      freshness_.CheckReceived(header.source, header.sequence);
  // A duplicate inside the window is authenticated and acknowledged again
  // (its sender missed the ACK); older than the window cannot be judged.
  if (verdict != wire::ReplayWindow::Verdict::kFresh &&
      verdict != wire::ReplayWindow::Verdict::kReplayed) {
    ++stats_.rej_replay;
    return Reject(header.source, "replay");
  }
  if (!OpenFrame(header, frame)) return;
  if (verdict == wire::ReplayWindow::Verdict::kReplayed) {
    ++stats_.rx_duplicates;
    if (!reack_budget_.Take(header.source, clock_.NowMicroseconds())) {
      ++stats_.reacks_limited;
      return;
    }
    return SendAck(header.source, header.sequence);
  }
  // Persisted before delivery: after a power cut this frame is recognised
  // as delivered, never delivered twice (freshness.h). Not acknowledged on
  // a refusal, so the sender tries again.
  if (freshness_.RecordReceived(header.source, header.sequence) !=
      Freshness::ReceiveRecord::kRecorded) {
    ++stats_.rej_storage;
    return Reject(header.source, "storage");
  }
  ++stats_.rx_ok;
  const std::span<const std::uint8_t> plaintext =
      frame.subspan(wire::kHeaderBytes, header.ciphertext_length);
  const std::uint32_t message_id = base::LoadBe32(plaintext.data());
  const std::span<const std::uint8_t> payload = plaintext.subspan(4);
  LineWriter out;
  out << "RX src=" << static_cast<unsigned>(header.source)
      << " id=" << message_id << " len=" << payload.size() << " fnv=";
  out.Hex(Fnv1a32(payload));
  Reply(out.view());
  SendAck(header.source, header.sequence);
}

void Node::ReceiveAck(const wire::LinkHeader& header,
                      std::span<std::uint8_t> frame) {
  wire::ReplayWindow& window = ack_replay_[header.source];
  if (window.Check(header.sequence) != wire::ReplayWindow::Verdict::kFresh) {
    ++stats_.rej_replay;
    return Reject(header.source, "replay");
  }
  if (!OpenFrame(header, frame)) return;
  window.Accept(header.sequence);
  const std::uint32_t acknowledged =
      base::LoadBe32(frame.data() + wire::kHeaderBytes);
  const std::optional<Outbound::Event> ended = outbound_.Acknowledge(
      header.source, acknowledged, clock_.NowMicroseconds());
  if (!ended) {
    // Authentic but stale: a duplicate ACK of a message already ended.
    ++stats_.ack_unknown;
    return Reject(header.source, "ack_unknown");
  }
  ++stats_.acks_rx;
  ReportEnded(*ended, "");
}

void Node::SendAck(std::uint8_t peer, std::uint32_t sequence) {
  // An ACK takes the next sequence of this node's one send counter, so its
  // nonce is as unique as any DATA frame's.
  const Freshness::SendReservation reservation = freshness_.ReserveSend(peer);
  if (reservation.status != Freshness::SendStatus::kOk) {
    ++stats_.ack_send_failed;  // the sender will retransmit; we ACK then
    return;
  }
  const wire::LinkHeader header{.source = id_,
                                .destination = peer,
                                .epoch = freshness_.epoch(),
                                .sequence = reservation.sequence,
                                .ciphertext_length = wire::kAckPlaintextBytes,
                                .type = wire::FrameType::kAck};
  std::array<std::uint8_t,
             wire::kHeaderBytes + wire::kAckPlaintextBytes + wire::kTagBytes>
      frame;
  base::StoreBe32(frame.data() + wire::kHeaderBytes, sequence);
  const base::Status sealed = SealFrame(header, frame);
  if (!sealed.ok()) {
    ++stats_.ack_send_failed;
    if (sealed == workspace::Code::kLockedOut) EnterLockout();
    return;
  }
  ++stats_.acks_tx;
  TransmitFrame(frame);
}

}  // namespace secure_node
