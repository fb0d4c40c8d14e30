#include "workspace/workspace.h"

#include <array>
#include <cstring>

#include "base/byte_order.h"
#include "base/secure_wipe.h"

namespace workspace {

using internal::KeySlot;

namespace {

// The rotation budget's view of a key slot (internal/records.h).
KeyUsage UsageOf(const KeySlot& slot) {
  return KeyUsage{.loaded_at_us = slot.metadata().loaded_at_us,
                  .messages = slot.statistics().messages_sealed,
                  .bytes = slot.statistics().bytes_sealed,
                  .nonces_exhausted = slot.invocations() == kSpentInvocation};
}

// Whether a text of `bytes` is more than one AES-GCM message may hold. The
// in-place calls have no buffer to bound their text; this is their limit.
// (A function of a 64-bit value, so a 32-bit size_t compares without a
// warning that the comparison is always false there.)
bool BeyondGcmLimit(std::uint64_t bytes) {
  return bytes > crypto::AesGcm::kMaxTextBytes;
}

}  // namespace
using internal::SessionRecord;

const char* BufferName(BufferId id) {
  switch (id) {
    case BufferId::kInput0:
      return "input0";
    case BufferId::kInput1:
      return "input1";
    case BufferId::kOutput0:
      return "output0";
    case BufferId::kOutput1:
      return "output1";
    case BufferId::kScratch:
      return "scratch";
  }
  return "invalid";
}

const char* SecurityStateName(SecurityState state) {
  switch (state) {
    case SecurityState::kSecure:
      return "Secure";
    case SecurityState::kKeyRotationRequired:
      return "KeyRotationRequired";
    case SecurityState::kSecurityViolation:
      return "SecurityViolation";
  }
  return "Invalid";
}

WorkspaceCore::WorkspaceCore(const StorageView& storage,
                             const WorkspaceConfig& config)
    : buffer_base_(storage.buffers),
      buffer_bytes_(storage.buffer_bytes),
      slots_(storage.slots),
      slot_count_(static_cast<std::uint16_t>(storage.slot_count)),
      sessions_(storage.sessions),
      session_count_(static_cast<std::uint16_t>(storage.session_count)) {
  // Establishes I1-I3 whatever memory the storage came from (stack, heap,
  // or static), then adopts the configuration.
  static_cast<void>(Reprovision(config));
  stats_.reprovisions = 0;  // construction is not a re-provisioning
}

WorkspaceCore::~WorkspaceCore() { WipeEverything(); }

// --- Provisioning ---

void WorkspaceCore::WipeEverything() {
  for (std::size_t i = 0; i < kBufferCount; ++i) {
    const BufferId id = static_cast<BufferId>(i);
    // The whole buffer: a lease being invalidated may have written anywhere.
    base::SecureWipe(BufferData(id), buffer_bytes_);
    if (buffers_[i].leased) --stats_.buffers_leased;
    buffers_[i].leased = false;
    buffers_[i].dirty_bytes = 0;
    ++buffers_[i].epoch;  // outstanding leases go stale
  }
  for (std::size_t i = 0; i < slot_count_; ++i) WipeSlot(slots_[i]);
  for (std::size_t i = 0; i < session_count_; ++i) WipeSession(sessions_[i]);
}

base::Status WorkspaceCore::Reprovision(const WorkspaceConfig& config) {
  WipeEverything();
  // A new accounting period: everything but the lifetime counters restarts,
  // so an operator reads what happened under the current provisioning.
  WorkspaceStats fresh;
  fresh.lockouts = stats_.lockouts;
  fresh.reprovisions = stats_.reprovisions + 1;
  fresh.key_generation = stats_.key_generation;
  stats_ = fresh;
  if (!config.valid()) {
    locked_out_ = true;
    stats_.locked_out = true;
    return Code::kInvalidConfig;
  }
  config_ = config;
  locked_out_ = false;
  stats_.locked_out = false;
  return base::OkStatus();
}

void WorkspaceCore::RecordViolation() {
  ++stats_.violations;
  if (stats_.violations >= config_.violation_threshold && !locked_out_) {
    WipeEverything();
    locked_out_ = true;
    stats_.locked_out = true;
    ++stats_.lockouts;
  }
}

void WorkspaceCore::RecordWireFailure() {
  if (config_.authentication_failures_are_violations) RecordViolation();
}

SecurityState WorkspaceCore::CheckSecurityState() const {
  if (locked_out_ || stats_.violations != 0)
    return SecurityState::kSecurityViolation;
  const std::uint64_t now = config_.clock->NowMicroseconds();
  for (std::size_t i = 0; i < slot_count_; ++i) {
    const KeySlot& slot = slots_[i];
    if (slot.configured() && RotationDue(config_.rotation, UsageOf(slot),
                                         now) != RotationReason::kNone) {
      return SecurityState::kKeyRotationRequired;
    }
  }
  return SecurityState::kSecure;
}

// --- Key slots ---

KeySlot* WorkspaceCore::Slot(KeySlotId slot) const {
  return slot.value < slot_count_ ? &slots_[slot.value] : nullptr;
}

void WorkspaceCore::WipeSlot(KeySlot& slot) {
  if (slot.configured()) ++stats_.key_wipes;
  slot.Clear();
}

void WorkspaceCore::ExpireSessionsOf(std::size_t slot_index) {
  for (std::size_t i = 0; i < session_count_; ++i) {
    SessionRecord& record = sessions_[i];
    if (HoldsKey(record.state) && record.key_slot == slot_index) {
      record.state = Next(record.state, SessionEvent::kExpire).next;
    }
  }
}

base::Status WorkspaceCore::LoadKey(KeySlotId slot_id,
                                    std::span<const std::uint8_t> key,
                                    const KeyParams& params) {
  if (locked_out_) return Code::kLockedOut;
  KeySlot* slot = Slot(slot_id);
  if (slot == nullptr) return Code::kInvalidKeySlot;
  if (key.size() != 16 && key.size() != 24 && key.size() != 32)
    return Code::kInvalidKeyLength;

  // Rotation: the old key and everything bound to it go first.
  ExpireSessionsOf(slot_id.value);
  WipeSlot(*slot);
  // Generations are never reused (0 means empty), so a session can tell its
  // key from any later key of the same slot.
  std::uint32_t generation = key_generation_ + 1;
  if (generation == 0) generation = 1;
  std::array<std::uint8_t, kFixedFieldBytes> fixed_field;
  base::StoreBe32(fixed_field.data(), params.fixed_field);
  if (!slot->Configure(slot_id.value, key, generation, fixed_field).ok()) {
    WipeSlot(*slot);
    return Code::kCryptoError;
  }
  key_generation_ = generation;
  const std::uint64_t now = config_.clock->NowMicroseconds();
  // The same key again (resume_usage): its budget goes on from where it was.
  KeyUsage usage = params.resume_usage.value_or(KeyUsage{.loaded_at_us = now});
  // A load time not yet reached would make the key younger than a fresh
  // load (RotationDue reads it as age 0 until the clock gets there).
  if (usage.loaded_at_us > now) usage.loaded_at_us = now;
  // Once spent, spent, whatever first_invocation now says.
  const std::uint64_t next_invocation =
      usage.nonces_exhausted ? kSpentInvocation : params.first_invocation;
  // Cannot fail: the slot was configured and has sealed nothing.
  static_cast<void>(slot->Resume(next_invocation, usage.messages, usage.bytes,
                                 usage.loaded_at_us));
  ++stats_.keys_loaded;
  stats_.key_generation = key_generation_;
  stats_.last_rotation_us = now;
  return base::OkStatus();
}

base::Status WorkspaceCore::ClearKey(KeySlotId slot_id) {
  if (locked_out_) return Code::kLockedOut;
  KeySlot* slot = Slot(slot_id);
  if (slot == nullptr) return Code::kInvalidKeySlot;
  if (!slot->configured()) return Code::kKeySlotEmpty;
  ExpireSessionsOf(slot_id.value);
  WipeSlot(*slot);
  return base::OkStatus();
}

base::Result<KeySlotStatus> WorkspaceCore::KeyStatus(KeySlotId slot_id) const {
  const KeySlot* slot = Slot(slot_id);
  if (slot == nullptr) return Code::kInvalidKeySlot;
  KeySlotStatus status;
  status.loaded = slot->configured();
  status.key_bytes = slot->metadata().active_key_bytes;
  status.generation = slot->metadata().active_key_id;
  status.fixed_field = base::LoadBe32(slot->fixed_field().data());
  status.usage = UsageOf(*slot);
  status.nonces_remaining = slot->nonces_remaining();
  if (slot->configured()) {
    status.rotation = RotationDue(config_.rotation, status.usage,
                                  config_.clock->NowMicroseconds());
  }
  return status;
}

// --- Sessions ---

SessionRecord* WorkspaceCore::Record(SessionId session) const {
  return session.value < session_count_ ? &sessions_[session.value] : nullptr;
}

void WorkspaceCore::WipeSession(SessionRecord& record) {
  base::SecureWipe(&record, sizeof record);
}

base::Status WorkspaceCore::Step(SessionId session, SessionEvent event) {
  if (locked_out_) return Code::kLockedOut;
  SessionRecord* record = Record(session);
  if (record == nullptr) return Code::kInvalidSession;
  const Transition t = Next(record->state, event);
  if (!t.status.ok()) [[unlikely]] {
    if (t.status == Code::kSessionExpired && event == SessionEvent::kUse) {
      ++stats_.expired_session_uses;
      RecordViolation();
    }
    return t.status;
  }
  record->state = t.next;
  return base::OkStatus();
}

base::Result<SessionId> WorkspaceCore::OpenSession() {
  if (locked_out_) return Code::kLockedOut;
  for (std::uint16_t i = 0; i < session_count_; ++i) {
    if (sessions_[i].state == SessionState::kIdle) {
      const SessionId id{i};
      const base::Status status = Step(id, SessionEvent::kAllocate);
      if (!status.ok()) return status;
      return SessionId{id};
    }
  }
  return Code::kNoFreeSession;
}

base::Status WorkspaceCore::AllocateSession(SessionId session) {
  return Step(session, SessionEvent::kAllocate);
}

base::Status WorkspaceCore::BindKey(SessionId session, KeySlotId slot_id) {
  if (locked_out_) return Code::kLockedOut;
  SessionRecord* record = Record(session);
  if (record == nullptr) return Code::kInvalidSession;
  KeySlot* slot = Slot(slot_id);
  if (slot == nullptr) return Code::kInvalidKeySlot;
  // State errors first: they say more about the caller's bug than the slot.
  const Transition t = Next(record->state, SessionEvent::kBindKey);
  if (!t.status.ok()) return t.status;
  if (!slot->configured()) return Code::kKeySlotEmpty;
  record->state = t.next;
  record->key_slot = slot_id.value;
  record->key_generation = slot->metadata().active_key_id;
  return base::OkStatus();
}

base::Status WorkspaceCore::Activate(SessionId session) {
  return Step(session, SessionEvent::kActivate);
}

base::Status WorkspaceCore::ExpireSession(SessionId session) {
  return Step(session, SessionEvent::kExpire);
}

base::Status WorkspaceCore::ReleaseSession(SessionId session) {
  const base::Status status = Step(session, SessionEvent::kRelease);
  if (status.ok()) WipeSession(*Record(session));
  return status;
}

base::Result<SessionInfo> WorkspaceCore::Session(SessionId session) const {
  const SessionRecord* record = Record(session);
  if (record == nullptr) return Code::kInvalidSession;
  SessionInfo info;
  info.state = record->state;
  info.key_slot = KeySlotId{record->key_slot};
  info.key_generation = record->key_generation;
  info.messages_encrypted = record->messages_encrypted;
  info.messages_decrypted = record->messages_decrypted;
  return info;
}

base::Status WorkspaceCore::UsableSlot(SessionId session, KeySlot*& slot) {
  const base::Status status = Step(session, SessionEvent::kUse);
  if (!status.ok()) return status;
  const SessionRecord& record = *Record(session);
  slot = &slots_[record.key_slot];
  // I4: an Active session's key is live. If this ever failed it would be a
  // workspace bug; refuse rather than encrypt under the wrong key.
  // An empty slot's generation is 0, never a bound session's, so one
  // compare covers "loaded" too.
  if (slot->metadata().active_key_id != record.key_generation)
    return Code::kSessionExpired;
  return base::OkStatus();
}

// --- Buffers ---

bool WorkspaceCore::Lease(BufferId first, std::size_t dirty_bytes,
                          BufferId& leased) {
  const std::size_t candidates = first == BufferId::kScratch ? 1 : 2;
  for (std::size_t i = 0; i < candidates; ++i) {
    BufferState& state = buffers_[Index(first) + i];
    if (!state.leased) {
      state.leased = true;
      state.dirty_bytes = dirty_bytes;
      leased = static_cast<BufferId>(Index(first) + i);
      if (++stats_.buffers_leased > stats_.peak_buffers_leased) {
        stats_.peak_buffers_leased = stats_.buffers_leased;
      }
      return true;
    }
  }
  ++stats_.buffer_exhaustions;
  return false;
}

void WorkspaceCore::WipeAndUnlock(BufferId id) {
  BufferState& state = buffers_[Index(id)];
  base::SecureWipe(BufferData(id), state.dirty_bytes);
  stats_.bytes_wiped += state.dirty_bytes;
  state.dirty_bytes = 0;
  state.leased = false;
  ++state.epoch;
  --stats_.buffers_leased;
}

void WorkspaceCore::ReleaseLease(BufferId id, std::uint32_t epoch) {
  if (LeaseIsCurrent(id, epoch)) WipeAndUnlock(id);
}

bool WorkspaceCore::LeaseIsCurrent(BufferId id, std::uint32_t epoch) const {
  const BufferState& state = buffers_[Index(id)];
  return state.leased && state.epoch == epoch;
}

base::Result<InputLease> WorkspaceCore::AcquireInput() {
  if (locked_out_) return Code::kLockedOut;
  BufferId id;
  // The caller may write anywhere in it: the release wipes all of it.
  if (!Lease(BufferId::kInput0, buffer_bytes_, id))
    return Code::kNoBufferAvailable;
  return InputLease(this, id, buffers_[Index(id)].epoch, BufferData(id),
                    buffer_bytes_);
}

base::Result<ScratchLease> WorkspaceCore::AcquireScratch() {
  if (locked_out_) return Code::kLockedOut;
  BufferId id;
  if (!Lease(BufferId::kScratch, buffer_bytes_, id))
    return Code::kNoBufferAvailable;
  return ScratchLease(this, id, buffers_[Index(id)].epoch, BufferData(id),
                      buffer_bytes_);
}

// --- AES-GCM ---

// The checks and counts every way of sealing or opening shares, so the
// copying and the in-place calls cannot drift apart. Inline, so each call
// compiles as if the lines were written in it: the copying calls' board
// instruction counts did not change when these were taken out of them.
inline base::Status WorkspaceCore::CheckBudget(const KeySlot& slot,
                                               std::size_t length) {
  const RotationReason reason =
      CheckEncryption(config_.rotation, UsageOf(slot),
                      config_.clock->NowMicroseconds(), length);
  if (reason != RotationReason::kNone) {
    ++stats_.rotation_refusals;
    return Code::kRotationRequired;
  }
  return base::OkStatus();
}

inline void WorkspaceCore::CountSealed(SessionRecord& record,
                                       std::size_t length) {
  ++record.messages_encrypted;
  ++stats_.encryptions;
  stats_.bytes_encrypted += length;
}

base::Result<OutputLease> WorkspaceCore::SealInto(
    KeySlot& slot, SessionRecord& record, std::span<const std::uint8_t> aad,
    const std::uint8_t* plaintext, std::size_t length) {
  if (const base::Status budget = CheckBudget(slot, length); !budget.ok())
    return budget;
  BufferId out;
  if (!Lease(BufferId::kOutput0, length + kTagBytes, out))
    return Code::kNoBufferAvailable;

  // The slot's context takes the next nonce (CheckEncryption saw one is
  // left) and counts the message in the key's budget.
  Nonce nonce;
  std::uint8_t* data = BufferData(out);
  const base::Status status =
      slot.Seal(aad, {plaintext, length}, {data, length}, nonce,
                std::span<std::uint8_t, kTagBytes>(data + length, kTagBytes));
  if (!status.ok()) {
    WipeAndUnlock(out);
    return Code::kCryptoError;
  }
  CountSealed(record, length);
  return OutputLease(this, out, buffers_[Index(out)].epoch, data, buffer_bytes_,
                     length, kTagBytes, nonce);
}

base::Result<OutputLease> WorkspaceCore::Encrypt(
    SessionId session, std::span<const std::uint8_t> aad,
    std::span<const std::uint8_t> plaintext) {
  KeySlot* slot = nullptr;
  const base::Status status = UsableSlot(session, slot);
  if (!status.ok()) return status;
  if (plaintext.size() > max_message_bytes()) return Code::kInputTooLarge;
  return SealInto(*slot, *Record(session), aad, plaintext.data(),
                  plaintext.size());
}

base::Result<OutputLease> WorkspaceCore::Encrypt(
    SessionId session, std::span<const std::uint8_t> aad, InputLease input,
    std::size_t length) {
  // `input` is released (wiped) when this function returns, on every path.
  if (locked_out_) return Code::kLockedOut;
  if (!input.OwnedBy(this) || !input.valid()) return Code::kStaleLease;
  KeySlot* slot = nullptr;
  const base::Status status = UsableSlot(session, slot);
  if (!status.ok()) return status;
  if (length > max_message_bytes()) return Code::kInputTooLarge;
  return SealInto(*slot, *Record(session), aad, input.buffer().data(), length);
}

inline void WorkspaceCore::CountOpened(SessionRecord& record,
                                       std::size_t length) {
  ++record.messages_decrypted;
  ++stats_.decryptions;
  stats_.bytes_decrypted += length;
}

inline base::Status WorkspaceCore::RefuseOpen(base::Status cipher_status) {
  if (cipher_status != crypto::Code::kAuthenticationFailed)
    return Code::kCryptoError;
  ++stats_.authentication_failures;
  RecordWireFailure();
  return Code::kAuthenticationFailed;
}

base::Result<OutputLease> WorkspaceCore::OpenFrom(
    KeySlot& slot, SessionRecord& record, std::span<const std::uint8_t> nonce,
    std::span<const std::uint8_t> aad, BufferId input, std::size_t length) {
  const std::size_t text = length - kTagBytes;
  BufferId out;
  if (!Lease(BufferId::kOutput0, text, out)) return Code::kNoBufferAvailable;
  const std::uint8_t* in = BufferData(input);
  std::uint8_t* data = BufferData(out);
  // The slot's cipher directly: the workspace counts decryptions itself
  // (per session and in total), so the context's per-key open counts would
  // be a third count of the same event.
  const base::Status status = slot.cipher().Decrypt(
      nonce, aad, {in, text}, {in + text, kTagBytes}, {data, text});
  if (!status.ok()) {
    // The output goes back before the count, whose lockout would wipe and
    // unlock it under this lease.
    WipeAndUnlock(out);
    return RefuseOpen(status);
  }
  CountOpened(record, text);
  Nonce used;
  std::memcpy(used.data(), nonce.data(), kNonceBytes);
  return OutputLease(this, out, buffers_[Index(out)].epoch, data, buffer_bytes_,
                     text, 0, used);
}

base::Status WorkspaceCore::RefuseMalformed(
    std::span<const std::uint8_t> nonce) {
  // As much wire input as a forged tag, so under the same policy: a sender
  // who may not lock the node with bad tags must not do it with short
  // frames instead.
  ++stats_.malformed_inputs;
  RecordWireFailure();
  return nonce.size() != kNonceBytes ? Code::kInvalidNonceLength
                                     : Code::kInputTooShort;
}

base::Result<OutputLease> WorkspaceCore::Decrypt(
    SessionId session, std::span<const std::uint8_t> nonce,
    std::span<const std::uint8_t> aad,
    std::span<const std::uint8_t> ciphertext_and_tag) {
  KeySlot* slot = nullptr;
  const base::Status status = UsableSlot(session, slot);
  if (!status.ok()) return status;
  const std::size_t length = ciphertext_and_tag.size();
  if (length > buffer_bytes_) return Code::kInputTooLarge;
  if (nonce.size() != kNonceBytes || length < kTagBytes)
    return RefuseMalformed(nonce);
  BufferId in;
  if (!Lease(BufferId::kInput0, length, in)) return Code::kNoBufferAvailable;
  if (length != 0)
    std::memcpy(BufferData(in), ciphertext_and_tag.data(), length);
  base::Result<OutputLease> result =
      OpenFrom(*slot, *Record(session), nonce, aad, in, length);
  // The input is wiped only if the lockout a failure may have caused did
  // not already wipe and unlock it.
  if (buffers_[Index(in)].leased) WipeAndUnlock(in);
  return result;
}

base::Result<OutputLease> WorkspaceCore::Decrypt(
    SessionId session, std::span<const std::uint8_t> nonce,
    std::span<const std::uint8_t> aad, InputLease input, std::size_t length) {
  if (locked_out_) return Code::kLockedOut;
  if (!input.OwnedBy(this) || !input.valid()) return Code::kStaleLease;
  KeySlot* slot = nullptr;
  const base::Status status = UsableSlot(session, slot);
  if (!status.ok()) return status;
  if (length > buffer_bytes_) return Code::kInputTooLarge;
  if (nonce.size() != kNonceBytes || length < kTagBytes)
    return RefuseMalformed(nonce);
  return OpenFrom(*slot, *Record(session), nonce, aad, input.id(), length);
}

// --- AES-GCM in the caller's buffer ---

base::Status WorkspaceCore::SealInPlace(
    SessionId session, std::uint64_t invocation,
    std::span<const std::uint8_t> aad, std::span<std::uint8_t> text,
    std::span<std::uint8_t, kTagBytes> tag) {
  KeySlot* slot = nullptr;
  const base::Status status = UsableSlot(session, slot);
  if (!status.ok()) return status;
  if (BeyondGcmLimit(text.size())) return Code::kInputTooLarge;
  if (const base::Status budget = CheckBudget(*slot, text.size()); !budget.ok())
    return budget;
  // The context builds the nonce from the slot's fixed field and the
  // caller's invocation, and moves the key's counter past it only if it
  // seals. The nonce is no secret and the caller can rebuild it: it stays
  // here.
  Nonce nonce;
  const base::Status sealed =
      slot->SealAt(invocation, aad, text, text, nonce, tag);
  if (!sealed.ok()) [[unlikely]] {
    if (sealed == crypto::Code::kNonceReused) {
      ++stats_.nonce_refusals;
      return Code::kNonceReused;
    }
    // Only for the all-ones invocation: the budget check above saw the
    // key's own counter short of it. Nothing at or above it is a nonce.
    if (sealed == crypto::Code::kNonceExhausted) {
      ++stats_.rotation_refusals;
      return Code::kRotationRequired;
    }
    return Code::kCryptoError;
  }
  CountSealed(*Record(session), text.size());
  return base::OkStatus();
}

base::Status WorkspaceCore::OpenInPlace(
    SessionId session, std::span<const std::uint8_t> nonce,
    std::span<const std::uint8_t> aad, std::span<std::uint8_t> text,
    std::span<const std::uint8_t, kTagBytes> tag) {
  KeySlot* slot = nullptr;
  const base::Status status = UsableSlot(session, slot);
  if (!status.ok()) return status;
  if (BeyondGcmLimit(text.size())) return Code::kInputTooLarge;
  if (nonce.size() != kNonceBytes) return RefuseMalformed(nonce);
  // AesGcm verifies the whole text before it writes any of it, and on a
  // mismatch writes zeros instead of plaintext: no unauthenticated
  // plaintext is ever in the caller's buffer. Its own counts are skipped
  // as in OpenFrom.
  const base::Status opened =
      slot->cipher().Decrypt(nonce, aad, text, tag, text);
  if (!opened.ok()) return RefuseOpen(opened);
  CountOpened(*Record(session), text.size());
  return base::OkStatus();
}

// --- Test-only views ---

std::span<const std::uint8_t> WorkspaceCore::InspectBufferForTesting(
    BufferId id) const {
  if (Index(id) >= kBufferCount) return {};
  return {BufferData(id), buffer_bytes_};
}

std::span<const std::byte> WorkspaceCore::InspectKeySlotForTesting(
    KeySlotId slot) const {
  const KeySlot* s = Slot(slot);
  if (s == nullptr) return {};
  return {reinterpret_cast<const std::byte*>(s), sizeof *s};
}

std::span<const std::byte> WorkspaceCore::InspectKeyScheduleForTesting(
    KeySlotId slot) const {
  const KeySlot* s = Slot(slot);
  if (s == nullptr) return {};
  return {reinterpret_cast<const std::byte*>(&s->layout().active),
          sizeof s->layout().active};
}

std::span<const std::byte> WorkspaceCore::InspectSessionForTesting(
    SessionId session) const {
  const SessionRecord* record = Record(session);
  if (record == nullptr) return {};
  return {reinterpret_cast<const std::byte*>(record), sizeof *record};
}

}  // namespace workspace
