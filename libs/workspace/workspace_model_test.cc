// Seeded randomized model-based test: random operations drive a real
// workspace and a small reference model side by side; after every step the
// observable state (session states and bindings, key slot counters and
// nonce positions, which buffers are leased, violations, lockout, security
// state, and what decrypts) must agree, and the wipe invariants must hold.
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <utility>
#include <vector>

#include "base/fake_clock.h"
#include "base/test_rng.h"
#include "gtest/gtest.h"
#include "test_support.h"
#include "workspace/workspace.h"

namespace workspace {
namespace {

using testing::AllZero;
using testing::SlotIsWiped;
using testing::UnleasedBuffersAreZero;

constexpr std::size_t kSlots = 3;
constexpr std::size_t kSessions = 4;
constexpr std::size_t kBuffer = 128;
using ModelWorkspace = SecureCryptoWorkspace<kBuffer, kSlots, kSessions>;

#if defined(__arm__)
constexpr int kSteps = 4000;
constexpr std::uint64_t kSeeds[] = {0x5eed0001};
#else
constexpr int kSteps = 4000;
constexpr std::uint64_t kSeeds[] = {0x5eed0001, 0x5eed0002, 0x5eed0003,
                                    0x5eed0004, 0x5eed0005};
#endif

ModelWorkspace ws;  // static storage; re-provisioned per seed
base::FakeClock fake_clock;

// ---- The reference model: plain data and the rules written directly. ----

struct MSlot {
  bool loaded = false;
  std::uint32_t generation = 0;
  std::uint32_t fixed = 0;
  std::uint64_t next = 0;
  std::uint64_t messages = 0;
  std::uint64_t bytes = 0;
  std::uint64_t loaded_at = 0;
};

struct MSession {
  SessionState state = SessionState::kIdle;
  std::uint16_t slot = 0;
  std::uint32_t generation = 0;
  std::uint64_t encrypted = 0;
  std::uint64_t decrypted = 0;
};

struct Model {
  MSlot slots[kSlots];
  MSession sessions[kSessions];
  bool leased[kBufferCount] = {};
  std::uint32_t violations = 0;
  bool locked = false;
  std::uint32_t generation = 0;
};

struct Sent {
  std::vector<std::uint8_t> wire;  // ciphertext || tag
  std::vector<std::uint8_t> aad;
  std::vector<std::uint8_t> plaintext;
  Nonce nonce;
  std::uint32_t generation;  // the key it was sealed under
};

class ModelTest : public ::testing::Test {
 protected:
  void Run(std::uint64_t seed);

  WorkspaceConfig config_;
  Model m_;
  base::TestRng rng_{1};
  std::vector<Sent> sent_;
  std::vector<OutputLease> outputs_;
  std::vector<InputLease> inputs_;
  std::vector<ScratchLease> scratch_;
  int decrypt_outcomes_[32] = {};
  int decrypt_ok_ = 0, auth_failures_ = 0, rotations_refused_ = 0,
      lockouts_ = 0;

  static constexpr RotationPolicy kPolicy = {.max_key_age_us = 20'000,
                                             .max_messages_per_key = 5,
                                             .max_bytes_per_key = 300};
  static constexpr std::uint32_t kThreshold = 24;

  std::vector<std::uint8_t> RandomBytes(std::size_t n) {
    std::vector<std::uint8_t> v(n);
    for (auto& b : v) b = static_cast<std::uint8_t>(rng_.Next());
    return v;
  }

  void WipeModel() {
    for (auto& s : m_.slots) s = MSlot();
    for (auto& s : m_.sessions) s = MSession();
    for (bool& l : m_.leased) l = false;
  }

  // All held leases went stale with a lockout / re-provisioning.
  void DropStaleLeases() {
    for (auto& l : outputs_) EXPECT_FALSE(l.valid());
    for (auto& l : inputs_) EXPECT_FALSE(l.valid());
    for (auto& l : scratch_) EXPECT_FALSE(l.valid());
    outputs_.clear();
    inputs_.clear();
    scratch_.clear();
  }

  void Violation() {
    if (++m_.violations >= kThreshold) {
      m_.locked = true;
      WipeModel();
      ++lockouts_;
    }
  }

  void ExpireBoundTo(std::size_t slot) {
    for (auto& s : m_.sessions) {
      if ((s.state == SessionState::kKeyLoaded ||
           s.state == SessionState::kActive) &&
          s.slot == slot) {
        s.state = SessionState::kExpired;
      }
    }
  }

  // The lowest free buffer of {first, first + 1}, or -1.
  int FreeOf(BufferId first) const {
    const int f = static_cast<int>(first);
    if (!m_.leased[f]) return f;
    if (!m_.leased[f + 1]) return f + 1;
    return -1;
  }

  bool RotationDueModel(const MSlot& s, std::uint64_t extra_bytes) const {
    const std::uint64_t now = fake_clock.NowMicroseconds();
    return s.next == kSpentInvocation ||
           s.messages >= kPolicy.max_messages_per_key ||
           s.bytes + extra_bytes > kPolicy.max_bytes_per_key ||
           (s.bytes >= kPolicy.max_bytes_per_key) ||
           now - s.loaded_at >= kPolicy.max_key_age_us;
  }

  // Errors every session operation checks first, in the workspace's order.
  // Returns kOk if the event is legal for the session.
  base::Status SessionPrecheck(std::uint16_t id, SessionEvent event) {
    if (m_.locked) return Code::kLockedOut;
    if (id >= kSessions) return Code::kInvalidSession;
    const Transition t = Next(m_.sessions[id].state, event);
    return t.status;
  }

  void Compare(int step);
  void StepOnce(int step);
};

void ModelTest::Compare(int step) {
  SCOPED_TRACE(::testing::Message() << "step " << step);
  ASSERT_EQ(ws.locked_out(), m_.locked);
  ASSERT_EQ(ws.stats().violations, m_.violations);
  for (std::uint16_t i = 0; i < kSessions; ++i) {
    const SessionInfo info = ws.Session(SessionId{i}).value();
    const MSession& s = m_.sessions[i];
    ASSERT_EQ(info.state, s.state) << "session " << i;
    if (s.state == SessionState::kIdle) {
      ASSERT_TRUE(AllZero(ws.InspectSessionForTesting(SessionId{i})));
    }
    if (s.state == SessionState::kKeyLoaded ||
        s.state == SessionState::kActive) {
      ASSERT_EQ(info.key_slot.value, s.slot);
      ASSERT_EQ(info.key_generation, s.generation);
    }
    ASSERT_EQ(info.messages_encrypted, s.encrypted);
    ASSERT_EQ(info.messages_decrypted, s.decrypted);
  }
  for (std::uint16_t i = 0; i < kSlots; ++i) {
    const KeySlotStatus k = ws.KeyStatus(KeySlotId{i}).value();
    const MSlot& s = m_.slots[i];
    ASSERT_EQ(k.loaded, s.loaded) << "slot " << i;
    if (!s.loaded) {
      ASSERT_TRUE(SlotIsWiped(ws, KeySlotId{i})) << "slot " << i;
      continue;
    }
    ASSERT_EQ(k.generation, s.generation);
    ASSERT_EQ(k.fixed_field, s.fixed);
    ASSERT_EQ(k.usage.messages, s.messages);
    ASSERT_EQ(k.usage.bytes, s.bytes);
    ASSERT_EQ(k.nonces_remaining, kSpentInvocation - s.next);
  }
  for (std::size_t b = 0; b < kBufferCount; ++b) {
    ASSERT_EQ(ws.IsLeased(static_cast<BufferId>(b)), m_.leased[b])
        << BufferName(static_cast<BufferId>(b));
  }
  ASSERT_TRUE(UnleasedBuffersAreZero(ws));
  SecurityState expected = SecurityState::kSecure;
  if (m_.locked || m_.violations != 0) {
    expected = SecurityState::kSecurityViolation;
  } else {
    for (const MSlot& s : m_.slots) {
      if (s.loaded && RotationDueModel(s, 0))
        expected = SecurityState::kKeyRotationRequired;
    }
  }
  ASSERT_EQ(ws.CheckSecurityState(), expected);
}

void ModelTest::StepOnce(int step) {
  SCOPED_TRACE(::testing::Message() << "step " << step);
  // Mostly valid ids, sometimes one past the end.
  std::uint16_t sid = static_cast<std::uint16_t>(
      rng_.OneIn(16) ? kSessions : rng_.Below(kSessions));
  std::uint16_t kid =
      static_cast<std::uint16_t>(rng_.OneIn(16) ? kSlots : rng_.Below(kSlots));
  std::uint16_t use_sid = sid;
  // Work mostly goes to Active sessions, as it would in a device; the rest
  // probes the refusals.
  if (!rng_.OneIn(4)) {
    for (std::uint16_t i = 0; i < kSessions; ++i) {
      const std::uint16_t c = static_cast<std::uint16_t>((sid + i) % kSessions);
      if (m_.sessions[c].state == SessionState::kActive) {
        use_sid = c;
        break;
      }
    }
  }
  const std::uint16_t op = static_cast<std::uint16_t>(rng_.Below(16));
  // Lifecycle steps mostly pick a session (and slot) they can advance, so
  // sessions reach Active often enough for real traffic.
  auto pick_session = [&](SessionState a, SessionState b) {
    for (std::uint16_t i = 0; i < kSessions; ++i) {
      const std::uint16_t c = static_cast<std::uint16_t>((sid + i) % kSessions);
      if (m_.sessions[c].state == a || m_.sessions[c].state == b) return c;
    }
    return sid;
  };
  if (rng_.OneIn(2)) {
    if (op == 2) sid = pick_session(SessionState::kIdle, SessionState::kIdle);
    if (op == 3)
      sid = pick_session(SessionState::kAllocated, SessionState::kExpired);
    if (op == 4)
      sid = pick_session(SessionState::kKeyLoaded, SessionState::kKeyLoaded);
    if (op == 3) {
      for (std::uint16_t i = 0; i < kSlots; ++i) {
        if (m_.slots[(kid + i) % kSlots].loaded) {
          kid = static_cast<std::uint16_t>((kid + i) % kSlots);
          break;
        }
      }
    }
  }
  const bool is_use = op >= 7 && op <= 11;
  const SessionId session{is_use ? use_sid : sid};
  const KeySlotId slot{kid};
  switch (op) {
    case 0: {  // LoadKey
      static constexpr std::size_t kLengths[] = {16, 24, 32, 32, 16, 20};
      const std::size_t len = kLengths[rng_.Below(6)];
      const auto key = RandomBytes(len);
      const std::uint32_t fixed = static_cast<std::uint32_t>(rng_.Next());
      const std::uint64_t first =
          rng_.OneIn(6) ? kSpentInvocation - 2 : rng_.Below(1000);
      base::Status expected = base::OkStatus();
      if (m_.locked)
        expected = Code::kLockedOut;
      else if (kid >= kSlots)
        expected = Code::kInvalidKeySlot;
      else if (len != 16 && len != 24 && len != 32)
        expected = Code::kInvalidKeyLength;
      ASSERT_EQ(ws.LoadKey(slot, key,
                           {.fixed_field = fixed, .first_invocation = first}),
                expected);
      if (expected == base::OkStatus()) {
        ExpireBoundTo(kid);
        if (++m_.generation == 0) ++m_.generation;
        m_.slots[kid] = MSlot{true,
                              m_.generation,
                              fixed,
                              first,
                              0,
                              0,
                              fake_clock.NowMicroseconds()};
      }
      break;
    }
    case 1: {  // ClearKey
      base::Status expected = base::OkStatus();
      if (m_.locked)
        expected = Code::kLockedOut;
      else if (kid >= kSlots)
        expected = Code::kInvalidKeySlot;
      else if (!m_.slots[kid].loaded)
        expected = Code::kKeySlotEmpty;
      ASSERT_EQ(ws.ClearKey(slot), expected);
      if (expected == base::OkStatus()) {
        ExpireBoundTo(kid);
        m_.slots[kid] = MSlot();
      }
      break;
    }
    case 2: {  // Allocate
      const base::Status expected =
          SessionPrecheck(sid, SessionEvent::kAllocate);
      ASSERT_EQ(ws.AllocateSession(session), expected);
      if (expected == base::OkStatus())
        m_.sessions[sid].state = SessionState::kAllocated;
      break;
    }
    case 3: {  // BindKey
      base::Status expected = base::OkStatus();
      if (m_.locked)
        expected = Code::kLockedOut;
      else if (sid >= kSessions)
        expected = Code::kInvalidSession;
      else if (kid >= kSlots)
        expected = Code::kInvalidKeySlot;
      else if (Next(m_.sessions[sid].state, SessionEvent::kBindKey)
                   .status.ok() == false)
        expected = Next(m_.sessions[sid].state, SessionEvent::kBindKey).status;
      else if (!m_.slots[kid].loaded)
        expected = Code::kKeySlotEmpty;
      ASSERT_EQ(ws.BindKey(session, slot), expected);
      if (expected == base::OkStatus()) {
        m_.sessions[sid].state = SessionState::kKeyLoaded;
        m_.sessions[sid].slot = kid;
        m_.sessions[sid].generation = m_.slots[kid].generation;
      }
      break;
    }
    case 4: {  // Activate
      const base::Status expected =
          SessionPrecheck(sid, SessionEvent::kActivate);
      ASSERT_EQ(ws.Activate(session), expected);
      if (expected == base::OkStatus())
        m_.sessions[sid].state = SessionState::kActive;
      break;
    }
    case 5: {  // Expire
      const base::Status expected = SessionPrecheck(sid, SessionEvent::kExpire);
      ASSERT_EQ(ws.ExpireSession(session), expected);
      if (expected == base::OkStatus())
        m_.sessions[sid].state = SessionState::kExpired;
      break;
    }
    case 6: {                     // Release
      if (!rng_.OneIn(3)) break;  // keep sessions around long enough to work
      const base::Status expected =
          SessionPrecheck(sid, SessionEvent::kRelease);
      ASSERT_EQ(ws.ReleaseSession(session), expected);
      if (expected == base::OkStatus()) m_.sessions[sid] = MSession();
      break;
    }
    case 7:
    case 8:
    case 9: {  // Encrypt (span or staged)
      const bool staged = !inputs_.empty() && rng_.OneIn(3);
      const std::size_t len = rng_.Below(kBuffer - kTagBytes + 8);
      const auto plaintext = RandomBytes(len);
      const auto aad = RandomBytes(rng_.Below(24));
      base::Status expected = SessionPrecheck(use_sid, SessionEvent::kUse);
      bool violation = expected == Code::kSessionExpired;
      int out = -1;
      if (expected == base::OkStatus()) {
        MSlot& s = m_.slots[m_.sessions[use_sid].slot];
        if (len > kBuffer - kTagBytes)
          expected = Code::kInputTooLarge;
        else if (RotationDueModel(s, len))
          expected = Code::kRotationRequired;
        else if ((out = FreeOf(BufferId::kOutput0)) < 0)
          expected = Code::kNoBufferAvailable;
      }
      base::Result<OutputLease> result = OutputLease();
      if (staged) {
        InputLease input = std::move(inputs_.back());
        inputs_.pop_back();
        m_.leased[static_cast<int>(input.id())] =
            false;  // consumed whatever happens
        if (!m_.locked && len <= kBuffer)
          std::memcpy(input.buffer().data(), plaintext.data(), len);
        result = ws.Encrypt(session, aad, std::move(input), len);
      } else {
        result = ws.Encrypt(session, aad, plaintext);
      }
      ASSERT_EQ(result.status(), expected)
          << base::StatusName<Code>(result.status()) << " staged=" << staged;
      if (expected == Code::kRotationRequired) ++rotations_refused_;
      if (violation) Violation();
      if (expected != base::OkStatus()) break;
      MSession& ms = m_.sessions[use_sid];
      MSlot& s = m_.slots[ms.slot];
      ASSERT_EQ(static_cast<int>(result->id()), out);
      ASSERT_EQ(FixedFieldOf(result->nonce()), s.fixed);
      ASSERT_EQ(InvocationOf(result->nonce()), s.next);
      ASSERT_EQ(result->bytes().size(), len + kTagBytes);
      ++s.next;
      ++s.messages;
      s.bytes += len;
      ++ms.encrypted;
      Sent record{{result->bytes().begin(), result->bytes().end()},
                  aad,
                  plaintext,
                  result->nonce(),
                  s.generation};
      if (sent_.size() >= 24) sent_.erase(sent_.begin());
      sent_.push_back(std::move(record));
      if (rng_.OneIn(5)) {
        m_.leased[out] = true;
        outputs_.push_back(std::move(result.value()));
      }
      break;
    }
    case 10:
    case 11: {  // Decrypt a sent message, maybe tampered, or a malformed one
      if (sent_.empty()) break;
      std::size_t pick = rng_.Below(static_cast<std::uint32_t>(sent_.size()));
      if (use_sid < kSessions && rng_.OneIn(2)) {
        for (std::size_t i = 0; i < sent_.size(); ++i) {
          if (sent_[i].generation == m_.sessions[use_sid].generation) pick = i;
        }
      }
      const Sent& msg = sent_[pick];
      std::vector<std::uint8_t> wire = msg.wire;
      std::vector<std::uint8_t> nonce(msg.nonce.begin(), msg.nonce.end());
      bool tampered = false;
      bool malformed = false;
      switch (rng_.Below(16)) {
        case 0:
          wire[rng_.Below(static_cast<std::uint32_t>(wire.size()))] ^= 0x10;
          tampered = true;
          break;
        case 1:
          nonce.resize(rng_.OneIn(2) ? 8 : 16);
          malformed = true;
          break;
        case 2:
          wire.resize(rng_.Below(kTagBytes));
          malformed = true;
          break;
        default:
          break;
      }
      base::Status expected = SessionPrecheck(use_sid, SessionEvent::kUse);
      bool violation = expected == Code::kSessionExpired;
      int out = -1;
      if (expected == base::OkStatus()) {
        if (malformed) {
          expected = nonce.size() != kNonceBytes ? Code::kInvalidNonceLength
                                                 : Code::kInputTooShort;
          violation = true;
        } else if (FreeOf(BufferId::kInput0) < 0 ||
                   (out = FreeOf(BufferId::kOutput0)) < 0) {
          expected = Code::kNoBufferAvailable;
        } else if (tampered ||
                   m_.sessions[use_sid].generation != msg.generation) {
          expected = Code::kAuthenticationFailed;
          violation = true;
        }
      }
      auto result = ws.Decrypt(session, nonce, msg.aad, wire);
      ++decrypt_outcomes_[expected.code()];
      ASSERT_EQ(result.status(), expected)
          << base::StatusName<Code>(result.status());
      if (expected == Code::kAuthenticationFailed) ++auth_failures_;
      if (violation) Violation();
      if (expected != base::OkStatus()) break;
      ++decrypt_ok_;
      ++m_.sessions[use_sid].decrypted;
      ASSERT_EQ(static_cast<int>(result->id()), out);
      ASSERT_EQ(result->text().size(), msg.plaintext.size());
      ASSERT_TRUE(msg.plaintext.empty() ||
                  std::memcmp(result->text().data(), msg.plaintext.data(),
                              msg.plaintext.size()) == 0);
      if (rng_.OneIn(6)) {
        m_.leased[out] = true;
        outputs_.push_back(std::move(result.value()));
      }
      break;
    }
    case 12: {  // Acquire an input or the scratch buffer and scribble on it
      const bool scratch = rng_.OneIn(3);
      base::Status expected = base::OkStatus();
      int id = scratch ? (m_.leased[4] ? -1 : 4) : FreeOf(BufferId::kInput0);
      if (m_.locked)
        expected = Code::kLockedOut;
      else if (id < 0)
        expected = Code::kNoBufferAvailable;
      if (scratch) {
        auto lease = ws.AcquireScratch();
        ASSERT_EQ(lease.status(), expected);
        if (lease.ok()) {
          std::memset(lease->buffer().data(), 0xa5, rng_.Below(kBuffer) + 1);
          scratch_.push_back(std::move(lease.value()));
        }
      } else {
        auto lease = ws.AcquireInput();
        ASSERT_EQ(lease.status(), expected);
        if (lease.ok()) {
          ASSERT_EQ(static_cast<int>(lease->id()), id);
          std::memset(lease->buffer().data(), 0x3c, rng_.Below(kBuffer) + 1);
          inputs_.push_back(std::move(lease.value()));
        }
      }
      if (expected == base::OkStatus()) m_.leased[id] = true;
      break;
    }
    case 13: {  // Release held leases (oldest first)
      if (!outputs_.empty()) {
        m_.leased[static_cast<int>(outputs_.front().id())] = false;
        outputs_.erase(outputs_.begin());
      }
      if (!inputs_.empty() && rng_.OneIn(2)) {
        m_.leased[static_cast<int>(inputs_.front().id())] = false;
        inputs_.erase(inputs_.begin());
      }
      if (!scratch_.empty() && rng_.OneIn(2)) {
        m_.leased[4] = false;
        scratch_.clear();
      }
      break;
    }
    case 14:
      fake_clock.Advance(rng_.Below(3000));
      break;
    case 15:
      if (m_.locked || rng_.OneIn(40)) {
        ASSERT_EQ(ws.Reprovision(config_), base::OkStatus());
        WipeModel();
        m_.locked = false;
        m_.violations = 0;
        DropStaleLeases();
      }
      break;
  }
  if (m_.locked) DropStaleLeases();
}

void ModelTest::Run(std::uint64_t seed) {
  rng_ = base::TestRng(seed);
  config_.rotation = kPolicy;
  config_.violation_threshold = kThreshold;
  config_.clock = &fake_clock;
  ASSERT_EQ(ws.Reprovision(config_), base::OkStatus());
  m_ = Model();
  // Generations continue across re-provisioning (never reused).
  m_.generation = ws.stats().key_generation;
  sent_.clear();
  for (int step = 0; step < kSteps; ++step) {
    StepOnce(step);
    if (HasFatalFailure()) return;
    Compare(step);
    if (HasFatalFailure()) return;
  }
  outputs_.clear();
  inputs_.clear();
  scratch_.clear();
  EXPECT_TRUE(UnleasedBuffersAreZero(ws));
  EXPECT_EQ(ws.stats().buffers_leased, 0u);
}

TEST_F(ModelTest, RandomOperationsMatchTheModel) {
  for (std::uint64_t seed : kSeeds) {
    SCOPED_TRACE(::testing::Message() << "seed 0x" << std::hex << seed);
    Run(seed);
    if (HasFatalFailure()) return;
  }
  // The run must have exercised the interesting paths, or it proves little.
  EXPECT_GT(decrypt_ok_, 0);
  EXPECT_GT(auth_failures_, 0);
  EXPECT_GT(rotations_refused_, 0);
  EXPECT_GT(lockouts_, 0);
  std::printf(
      "model run: %d decrypted, %d forgeries refused, %d rotation refusals, %d "
      "lockouts\n",
      decrypt_ok_, auth_failures_, rotations_refused_, lockouts_);
  for (int i = 0; i < 32; ++i) {
    if (decrypt_outcomes_[i] == 0) continue;
    const std::string_view name =
        i == 0 ? "ok" : CodeName(static_cast<Code>(i));
    std::printf("  decrypt %.*s: %d\n", static_cast<int>(name.size()),
                name.data(), decrypt_outcomes_[i]);
  }
}

}  // namespace
}  // namespace workspace
