// SecureCryptoWorkspace: a compile-time sized, heap-free place where keys,
// sessions and message buffers live, and where AES-GCM runs.
//
//   workspace::SmallWorkspace ws(config);  // config.clock: the caller's
//   ws.LoadKey(KeySlotId{0}, key, {.fixed_field = device_id});
//   SessionId s = ws.OpenSession().value();
//   ws.BindKey(s, KeySlotId{0});
//   ws.Activate(s);
//   auto sealed = ws.Encrypt(s, aad, plaintext);  // Result<OutputLease>
//   send(sealed->nonce(), sealed->bytes());       // ciphertext || tag
//   // sealed's destructor wipes and unlocks the output buffer
//
// Structure. SecureCryptoWorkspace<B, K, S> only provides storage: five
// B-byte buffers (two input, two output, one scratch), K key slots and S
// sessions. All logic is in the non-template WorkspaceCore (workspace.cc),
// compiled once whatever the presets, so every preset runs the same code.
//
// Invariants (checked by the tests through the Inspect...ForTesting views):
//  I1 A buffer that is not leased is all zero.
//  I2 An empty key slot holds no key material: AesGcm cleared (schedule and
//     H zero) and raw key bytes zero.
//  I3 An Idle session record is all zero.
//  I4 A session in KeyLoaded or Active is bound to a loaded slot whose
//     generation equals the one it bound to; reloading or clearing a slot
//     moves every session bound to it to Expired at once.
//  I5 No nonce is issued twice under one loaded key (nonce.h): Encrypt
//     takes the next invocation, SealInPlace the caller's only if it is
//     above every one used so far (kNonceReused otherwise); encryption
//     is refused (kRotationRequired) once the rotation policy says the key
//     is spent (rotation_policy.h), counting the usage of the current load
//     plus whatever KeyParams::resume_usage carried over from earlier ones.
//  I6 A refused request changes no session, slot or buffer; only the
//     statistics and the violation counter may move (see "Violations").
//  I7 While locked out, nothing holds key material and every request but
//     Reprovision is refused with kLockedOut.
//
// Violations. These count towards config.violation_threshold; the request
// that reaches it triggers the lockout (I7) after returning its own error:
//   * kAuthenticationFailed (a forged or corrupted message);
//   * kInvalidNonceLength / kInputTooShort on decrypt (malformed messages
//     from the wire);
//   * kSessionExpired on a use of an Expired session (use after rotation).
// The first two are what anyone who can put a frame on the wire can cause,
// so config.authentication_failures_are_violations = false takes both out
// of the count: the request is still refused, its buffers wiped and its
// statistic (authentication_failures, malformed_inputs) counted, but a
// forger can no longer lock the workspace. Use of an Expired session is a
// local matter and always counts. Programming errors of the local caller
// (bad ids, wrong states, oversized plaintext or input) are refused but not
// counted: they are not evidence of attack.
//
// Concurrency. The workspace does no locking; the global instance is only
// reachable through WithCryptoWorkspace (global.h), which holds the
// base::CriticalSection its caller installed. A private instance is confined to
// one context.
#ifndef LIBS_WORKSPACE_PUBLIC_WORKSPACE_WORKSPACE_H_
#define LIBS_WORKSPACE_PUBLIC_WORKSPACE_WORKSPACE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "base/cache_line.h"
#include "base/clock.h"
#include "crypto/aes_gcm.h"
#include "workspace/internal/records.h"
#include "workspace/lease.h"
#include "workspace/nonce.h"
#include "workspace/rotation_policy.h"
#include "workspace/session_state.h"
#include "workspace/status.h"

namespace workspace {

// Distinct types, so a session id can never index key slots (a bug of the
// original design, where the two counts differ).
struct SessionId {
  std::uint16_t value = 0;
  friend constexpr bool operator==(SessionId, SessionId) = default;
};
struct KeySlotId {
  std::uint16_t value = 0;
  friend constexpr bool operator==(KeySlotId, KeySlotId) = default;
};

// The full GCM tag: shorter tags weaken forgery resistance for no gain here.
inline constexpr std::size_t kTagBytes = crypto::AesGcm::kMaxTagBytes;

struct WorkspaceConfig {
  RotationPolicy rotation;
  // The violation that brings the count to this value locks the workspace.
  std::uint32_t violation_threshold = 8;
  // The caller's time source (o1heap style: the library says where time is
  // needed, the caller says how it is read): firmware passes the board's
  // timer (board::BoardClock, board/board_clock.h), tests a base::FakeClock.
  // Must outlive the workspace. None (the default) is an invalid config:
  // the workspace stays locked out until given one.
  const base::Clock* clock = nullptr;
  // Whether failed decrypts of wire input (kAuthenticationFailed, and
  // kInvalidNonceLength / kInputTooShort on decrypt) count as violations.
  // false is for a caller that faces an untrusted network: otherwise forged
  // frames alone reach violation_threshold and lock the node out, so that
  // caller applies its own (e.g. per-link) policy to
  // stats().authentication_failures and stats().malformed_inputs instead.
  // Last, so the layout and positional initialisers of the fields above
  // are unchanged.
  bool authentication_failures_are_violations = true;

  bool valid() const {
    return rotation.valid() && violation_threshold != 0 && clock != nullptr;
  }
};

// Parameters of a key load (see nonce.h).
struct KeyParams {
  std::uint32_t fixed_field = 0;       // this device / direction
  std::uint64_t first_invocation = 0;  // resume a persisted counter
  // The rotation budget belongs to the key, not to one load of it. A caller
  // that evicts a key (ClearKey, or LoadKey over its slot) and loads the
  // same key again later passes back the usage it read just before
  // evicting (KeyStatus(slot)->usage); the slot's usage then starts from
  // it, loaded_at_us included, so messages, bytes and age keep counting
  // from the first load. Empty: a fresh budget, age from now. The workspace
  // cannot tell whose usage it is: passing another key's, or none for a
  // reloaded key, is the caller's error, like a wrong first_invocation.
  // loaded_at_us is in this workspace's clock; a value in the future (the
  // clock restarted since) is taken as now, never as a younger key, and a
  // saved nonces_exhausted stays set.
  std::optional<KeyUsage> resume_usage = std::nullopt;
};

enum class SecurityState : std::uint8_t {
  kSecure = 0,
  kKeyRotationRequired,  // some loaded key is past its rotation policy
  kSecurityViolation,    // violations since provisioning, or locked out
};
const char* SecurityStateName(SecurityState state);

struct KeySlotStatus {
  bool loaded = false;
  std::uint8_t key_bytes = 0;
  std::uint32_t generation = 0;
  std::uint32_t fixed_field = 0;
  KeyUsage usage;
  std::uint64_t nonces_remaining = 0;
  RotationReason rotation = RotationReason::kNone;  // why rotation is due now
};

struct SessionInfo {
  SessionState state = SessionState::kIdle;
  KeySlotId key_slot;
  std::uint32_t key_generation = 0;
  std::uint64_t messages_encrypted = 0;
  std::uint64_t messages_decrypted = 0;
};

// Counters an operator can read. They cover the current provisioning
// period (since construction or the last Reprovision), except lockouts and
// reprovisions, which count over the object's lifetime, and the "now"
// fields.
struct WorkspaceStats {
  std::uint64_t encryptions = 0;
  std::uint64_t decryptions = 0;  // successful ones
  std::uint64_t bytes_encrypted = 0;
  std::uint64_t bytes_decrypted = 0;
  std::uint64_t authentication_failures = 0;
  std::uint64_t expired_session_uses = 0;
  std::uint64_t malformed_inputs = 0;
  std::uint64_t rotation_refusals = 0;   // encrypts refused: key spent
  std::uint64_t nonce_refusals = 0;      // SealInPlace: invocation reused
  std::uint64_t buffer_exhaustions = 0;  // requests refused: no buffer
  std::uint64_t keys_loaded = 0;
  std::uint64_t key_wipes = 0;    // slot wipes of a loaded key
  std::uint64_t bytes_wiped = 0;  // buffer bytes wiped on release
  std::uint64_t lockouts = 0;
  std::uint64_t reprovisions = 0;
  std::uint32_t violations = 0;      // towards the lockout threshold
  std::uint32_t buffers_leased = 0;  // now
  std::uint32_t peak_buffers_leased = 0;
  std::uint32_t key_generation = 0;    // of the last key loaded
  std::uint64_t last_rotation_us = 0;  // clock time of the last key load
  bool locked_out = false;
};

class WorkspaceCore : private internal::LeaseOwner {
 public:
  WorkspaceCore(const WorkspaceCore&) = delete;
  WorkspaceCore& operator=(const WorkspaceCore&) = delete;

  std::size_t buffer_bytes() const { return buffer_bytes_; }
  // Largest plaintext: a buffer holds ciphertext and tag.
  std::size_t max_message_bytes() const { return buffer_bytes_ - kTagBytes; }
  std::size_t key_slot_count() const { return slot_count_; }
  std::size_t session_count() const { return session_count_; }

  // --- Provisioning ---
  // Wipes every key, buffer and session (outstanding leases go stale),
  // clears the lockout and the violation count, and adopts config. An invalid
  // config leaves the workspace wiped and locked out (kInvalidConfig): it fails
  // safe. Who may call this is a system policy decision (e.g. only the
  // provisioning task).
  base::Status Reprovision(const WorkspaceConfig& config);
  bool locked_out() const { return locked_out_; }

  // --- Key slots ---
  // Loads a 16/24/32-byte key into slot (rotating out whatever it held:
  // sessions bound to the old key expire, its usage is wiped with it). The
  // nonce sequence starts at params.first_invocation under params.fixed_field;
  // the usage at params.resume_usage if set, else zero.
  base::Status LoadKey(KeySlotId slot, std::span<const std::uint8_t> key,
                       const KeyParams& params = {});
  // Wipes slot; bound sessions expire. kKeySlotEmpty if it held no key.
  base::Status ClearKey(KeySlotId slot);
  // What the slot holds; usage is what to save for KeyParams::resume_usage
  // before evicting a key that will be loaded again.
  base::Result<KeySlotStatus> KeyStatus(KeySlotId slot) const;

  // --- Sessions (session_state.h) ---
  // The lowest Idle session, now Allocated; kNoFreeSession if none.
  base::Result<SessionId> OpenSession();
  base::Status AllocateSession(SessionId session);
  base::Status BindKey(SessionId session, KeySlotId slot);
  base::Status Activate(SessionId session);
  base::Status ExpireSession(SessionId session);
  base::Status ReleaseSession(SessionId session);
  base::Result<SessionInfo> Session(SessionId session) const;

  // --- Buffers ---
  base::Result<InputLease> AcquireInput();
  base::Result<ScratchLease> AcquireScratch();
  bool IsLeased(BufferId id) const { return buffers_[Index(id)].leased; }

  // --- AES-GCM ---
  // Encrypts plaintext under the session's key with the next nonce of the
  // key's sequence; the result holds ciphertext || tag in an output buffer.
  // GCM reads the plaintext exactly once, so it is read in place. Errors, in
  // the order checked: kLockedOut, kInvalidSession, state errors,
  // kInputTooLarge, kRotationRequired, kNoBufferAvailable.
  base::Result<OutputLease> Encrypt(SessionId session,
                                    std::span<const std::uint8_t> aad,
                                    std::span<const std::uint8_t> plaintext);
  // The same for a message staged in an input buffer (input.buffer()[0,
  // length)). The input lease is consumed - wiped and released - whatever
  // the outcome. kStaleLease if it is empty, stale or from elsewhere.
  base::Result<OutputLease> Encrypt(SessionId session,
                                    std::span<const std::uint8_t> aad,
                                    InputLease input, std::size_t length);

  // Decrypts ciphertext || tag received with nonce. The input is first
  // copied into an input buffer: GCM reads the ciphertext twice (tag check,
  // then decryption), and a copy the caller cannot touch means the bytes
  // decrypted are the bytes authenticated even if the caller's memory is
  // written by DMA or another core in between. Plaintext is released only
  // after the tag verifies; otherwise both buffers are wiped,
  // stats().authentication_failures and (unless
  // config.authentication_failures_are_violations is false) the violations
  // are counted and kAuthenticationFailed returned. Decrypt is allowed after
  // rotation became due (it creates no new nonce).
  base::Result<OutputLease> Decrypt(
      SessionId session, std::span<const std::uint8_t> nonce,
      std::span<const std::uint8_t> aad,
      std::span<const std::uint8_t> ciphertext_and_tag);
  // The same for ciphertext || tag staged in an input buffer (consumed).
  base::Result<OutputLease> Decrypt(SessionId session,
                                    std::span<const std::uint8_t> nonce,
                                    std::span<const std::uint8_t> aad,
                                    InputLease input, std::size_t length);

  // --- AES-GCM in the caller's buffer ---
  // For a caller that keeps each message in one buffer of its own (a link
  // frame: header, text, tag) and numbers its messages itself (a link's
  // epoch and sequence as the invocation counter): no workspace buffer is
  // leased and no byte is copied. The text is the caller's before and
  // after: the workspace wipes none of it.

  // Encrypts text in place under the session's key with the nonce
  // fixed field || invocation (the fixed field of the session's key slot)
  // and writes the tag. The caller chooses the invocation; the workspace
  // enforces what makes that safe: it must be above every invocation used
  // under the loaded key so far (the key slot's counter, which Encrypt
  // draws from too), and then is the last one used. Checked and counted as
  // Encrypt (the rotation budget, the session's and the workspace's
  // statistics). Errors, in the order checked: kLockedOut, kInvalidSession,
  // state errors, kInputTooLarge (text over AES-GCM's 2^36 - 32 bytes: no
  // buffer limits it), kRotationRequired (the key's budget is spent, or
  // invocation is the all-ones value, at and above which no nonce is
  // left), kNonceReused (invocation used or skipped over: a bug in the
  // caller's numbering, counted in stats().nonce_refusals, not a
  // violation), kCryptoError (text, aad and tag overlap other than text in
  // place; aes_gcm.h). A refusal changes neither text nor tag.
  base::Status SealInPlace(SessionId session, std::uint64_t invocation,
                           std::span<const std::uint8_t> aad,
                           std::span<std::uint8_t> text,
                           std::span<std::uint8_t, kTagBytes> tag);

  // Verifies the tag over (aad, text) under the session's key and nonce,
  // then decrypts text in place. On a mismatch text is zeroed (it holds
  // neither unauthenticated plaintext nor the ciphertext any more) and the
  // failure is counted as by Decrypt: stats().authentication_failures, and
  // a violation unless config.authentication_failures_are_violations is
  // false. Errors, in the order checked: kLockedOut, kInvalidSession, state
  // errors, kInputTooLarge (as for SealInPlace), kInvalidNonceLength
  // (malformed input, counted as by Decrypt), kCryptoError (overlapping
  // buffers; text untouched), kAuthenticationFailed. Allowed after rotation
  // became due, as Decrypt.
  //
  // What it gives up compared with Decrypt is the copy. GCM reads the
  // ciphertext twice, for the tag and then to decrypt it; Decrypt reads
  // both times from an input buffer nobody else can reach, so what it
  // decrypts is what it authenticated. OpenInPlace reads the caller's
  // buffer both times: if anything else writes it in between (a DMA
  // transfer still running into it, another core, an interrupt handler
  // that also fills it), the plaintext returned as authentic can be the
  // decryption of bytes that were never authenticated, and CTR mode lets
  // whoever wrote them flip plaintext bits at will. Use it only on a buffer
  // that nothing but the calling context writes from the call until it
  // returns: e.g. a frame the CPU copied (or COBS-decoded) out of a UART
  // receive ring into memory only it touches; never a buffer a DMA channel
  // or another core may still write.
  base::Status OpenInPlace(SessionId session,
                           std::span<const std::uint8_t> nonce,
                           std::span<const std::uint8_t> aad,
                           std::span<std::uint8_t> text,
                           std::span<const std::uint8_t, kTagBytes> tag);

  // --- Health ---
  // kSecurityViolation if locked out or any violation since provisioning;
  // else kKeyRotationRequired if any loaded key is due for rotation; else
  // kSecure.
  SecurityState CheckSecurityState() const;
  const WorkspaceStats& stats() const { return stats_; }
  const WorkspaceConfig& config() const { return config_; }

  // --- Test-only read-only views (never exposes a leased buffer's owner) ---
  std::span<const std::uint8_t> InspectBufferForTesting(BufferId id) const;
  // The object representation of the whole key slot (a CryptoContext).
  std::span<const std::byte> InspectKeySlotForTesting(KeySlotId slot) const;
  // The object representation of the slot's AesGcm (schedule and H).
  std::span<const std::byte> InspectKeyScheduleForTesting(KeySlotId slot) const;
  std::span<const std::byte> InspectSessionForTesting(SessionId session) const;

 protected:
  struct StorageView {
    std::uint8_t* buffers;  // kBufferCount consecutive buffers of buffer_bytes
    std::size_t buffer_bytes;
    internal::KeySlot* slots;
    std::size_t slot_count;
    internal::SessionRecord* sessions;
    std::size_t session_count;
  };

  WorkspaceCore(const StorageView& storage, const WorkspaceConfig& config);
  ~WorkspaceCore();

 private:
  struct BufferState {
    bool leased = false;
    std::uint32_t epoch = 0;
    std::size_t dirty_bytes = 0;  // prefix that may be non-zero
  };

  static constexpr std::size_t Index(BufferId id) {
    return static_cast<std::size_t>(id);
  }
  std::uint8_t* BufferData(BufferId id) const {
    return buffer_base_ + Index(id) * buffer_bytes_;
  }

  // internal::LeaseOwner
  void ReleaseLease(BufferId id, std::uint32_t epoch) override;
  bool LeaseIsCurrent(BufferId id, std::uint32_t epoch) const override;

  // A free buffer of the pair {first, first + 1}, leased with dirty_bytes;
  // false (and counted) if both are leased.
  bool Lease(BufferId first, std::size_t dirty_bytes, BufferId& leased);
  void WipeAndUnlock(BufferId id);

  // The session's state machine step; on success applies it. Counts an
  // expired-session use as a violation.
  base::Status Step(SessionId session, SessionEvent event);
  internal::SessionRecord* Record(SessionId session) const;
  internal::KeySlot* Slot(KeySlotId slot) const;
  // Checks the session may encrypt / decrypt and returns its key slot.
  base::Status UsableSlot(SessionId session, internal::KeySlot*& slot);

  void WipeSlot(internal::KeySlot& slot);
  void WipeSession(internal::SessionRecord& record);
  void ExpireSessionsOf(std::size_t slot_index);
  void WipeEverything();
  void RecordViolation();
  // A failed decrypt of wire input: a violation only if the config says so.
  void RecordWireFailure();
  // The refusal of a decrypt whose nonce or length is malformed.
  base::Status RefuseMalformed(std::span<const std::uint8_t> nonce);

  // The key's rotation budget for one more message of `length` bytes:
  // kRotationRequired (counted) once it is spent.
  base::Status CheckBudget(const internal::KeySlot& slot, std::size_t length);
  // Counts a message of `length` bytes sealed for the session.
  void CountSealed(internal::SessionRecord& record, std::size_t length);
  // Counts a message of `length` bytes opened for the session.
  void CountOpened(internal::SessionRecord& record, std::size_t length);
  // The workspace's refusal for the cipher's refusal of a decryption; a
  // failed tag is counted, and may lock out: wipe what the request holds
  // before calling this.
  base::Status RefuseOpen(base::Status cipher_status);

  base::Result<OutputLease> SealInto(internal::KeySlot& slot,
                                     internal::SessionRecord& record,
                                     std::span<const std::uint8_t> aad,
                                     const std::uint8_t* plaintext,
                                     std::size_t length);
  base::Result<OutputLease> OpenFrom(internal::KeySlot& slot,
                                     internal::SessionRecord& record,
                                     std::span<const std::uint8_t> nonce,
                                     std::span<const std::uint8_t> aad,
                                     BufferId input, std::size_t length);

  std::uint8_t* const buffer_base_;
  const std::size_t buffer_bytes_;
  internal::KeySlot* const slots_;
  const std::uint16_t slot_count_;
  internal::SessionRecord* const sessions_;
  const std::uint16_t session_count_;

  BufferState buffers_[kBufferCount];
  WorkspaceConfig config_;
  std::uint32_t key_generation_ = 0;
  bool locked_out_ = true;  // until the constructor has provisioned
  WorkspaceStats stats_;
};

namespace internal {

// Buffers come first and are aligned to the cache line, so each can be
// cache-maintained (e.g. for DMA) without touching its neighbours.
inline constexpr std::size_t kBufferAlignment = base::kCacheLineBytes;

template <std::size_t kBufferBytes, std::size_t kKeyCount,
          std::size_t kSessionCount>
struct WorkspaceStorage {
  alignas(
      kBufferAlignment) std::uint8_t buffers[kBufferCount][kBufferBytes] = {};
  KeySlot slots[kKeyCount];
  SessionRecord sessions[kSessionCount] = {};
};

}  // namespace internal

template <std::size_t kBufferBytes, std::size_t kKeyCount,
          std::size_t kSessionCount>
class SecureCryptoWorkspace
    : private internal::WorkspaceStorage<kBufferBytes, kKeyCount,
                                         kSessionCount>,
      public WorkspaceCore {
  using Storage =
      internal::WorkspaceStorage<kBufferBytes, kKeyCount, kSessionCount>;

 public:
  static_assert(kBufferBytes > kTagBytes,
                "a buffer must hold a tag and some text");
  static_assert(kBufferBytes % internal::kBufferAlignment == 0,
                "buffers are whole cache lines");
  static_assert(kKeyCount >= 1 && kKeyCount <= 0xffff);
  static_assert(kSessionCount >= 1 && kSessionCount <= 0xffff);

  static constexpr std::size_t kBuffer = kBufferBytes;
  static constexpr std::size_t kKeys = kKeyCount;
  static constexpr std::size_t kSessions = kSessionCount;
  static constexpr std::size_t kMaxMessageBytes = kBufferBytes - kTagBytes;

  explicit SecureCryptoWorkspace(const WorkspaceConfig& config = {})
      : WorkspaceCore(StorageView{&this->Storage::buffers[0][0], kBufferBytes,
                                  this->Storage::slots, kKeyCount,
                                  this->Storage::sessions, kSessionCount},
                      config) {}
};

}  // namespace workspace

#endif  // LIBS_WORKSPACE_PUBLIC_WORKSPACE_WORKSPACE_H_
