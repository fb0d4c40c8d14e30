// The session transition table, checked against an independently written
// expectation for all 5 x 6 (state, event) pairs.
#include "workspace/session_state.h"

#include <cstring>

#include "gtest/gtest.h"

namespace workspace {
namespace {

using S = SessionState;
using E = SessionEvent;

struct Case {
  S from;
  E event;
  Error error;
  S to;
};

// Written out by hand from the lifecycle in the header, not derived from it.
constexpr Case kCases[] = {
    {S::kIdle, E::kAllocate, Error::kOk, S::kAllocated},
    {S::kIdle, E::kBindKey, Error::kSessionIdle, S::kIdle},
    {S::kIdle, E::kActivate, Error::kSessionIdle, S::kIdle},
    {S::kIdle, E::kUse, Error::kSessionIdle, S::kIdle},
    {S::kIdle, E::kExpire, Error::kSessionIdle, S::kIdle},
    {S::kIdle, E::kRelease, Error::kSessionIdle, S::kIdle},

    {S::kAllocated, E::kAllocate, Error::kSessionInUse, S::kAllocated},
    {S::kAllocated, E::kBindKey, Error::kOk, S::kKeyLoaded},
    {S::kAllocated, E::kActivate, Error::kSessionHasNoKey, S::kAllocated},
    {S::kAllocated, E::kUse, Error::kSessionNotActive, S::kAllocated},
    {S::kAllocated, E::kExpire, Error::kSessionHasNoKey, S::kAllocated},
    {S::kAllocated, E::kRelease, Error::kOk, S::kIdle},

    {S::kKeyLoaded, E::kAllocate, Error::kSessionInUse, S::kKeyLoaded},
    {S::kKeyLoaded, E::kBindKey, Error::kSessionAlreadyBound, S::kKeyLoaded},
    {S::kKeyLoaded, E::kActivate, Error::kOk, S::kActive},
    {S::kKeyLoaded, E::kUse, Error::kSessionNotActive, S::kKeyLoaded},
    {S::kKeyLoaded, E::kExpire, Error::kOk, S::kExpired},
    {S::kKeyLoaded, E::kRelease, Error::kOk, S::kIdle},

    {S::kActive, E::kAllocate, Error::kSessionInUse, S::kActive},
    {S::kActive, E::kBindKey, Error::kSessionAlreadyBound, S::kActive},
    {S::kActive, E::kActivate, Error::kSessionAlreadyActive, S::kActive},
    {S::kActive, E::kUse, Error::kOk, S::kActive},
    {S::kActive, E::kExpire, Error::kOk, S::kExpired},
    {S::kActive, E::kRelease, Error::kOk, S::kIdle},

    {S::kExpired, E::kAllocate, Error::kSessionInUse, S::kExpired},
    {S::kExpired, E::kBindKey, Error::kOk, S::kKeyLoaded},
    {S::kExpired, E::kActivate, Error::kSessionExpired, S::kExpired},
    {S::kExpired, E::kUse, Error::kSessionExpired, S::kExpired},
    {S::kExpired, E::kExpire, Error::kSessionExpired, S::kExpired},
    {S::kExpired, E::kRelease, Error::kOk, S::kIdle},
};

TEST(SessionStateTest, EveryPairMatchesTheLifecycle) {
  static_assert(sizeof kCases / sizeof kCases[0] == kSessionStateCount * kSessionEventCount);
  for (const Case& c : kCases) {
    const Transition t = Next(c.from, c.event);
    EXPECT_EQ(t.error, c.error) << SessionStateName(c.from) << " + " << SessionEventName(c.event)
                                << ": got " << ErrorName(t.error);
    EXPECT_EQ(t.next, c.to) << SessionStateName(c.from) << " + " << SessionEventName(c.event);
  }
}

TEST(SessionStateTest, EveryPairIsCoveredExactlyOnce) {
  int seen[kSessionStateCount][kSessionEventCount] = {};
  for (const Case& c : kCases) ++seen[static_cast<int>(c.from)][static_cast<int>(c.event)];
  for (int s = 0; s < kSessionStateCount; ++s) {
    for (int e = 0; e < kSessionEventCount; ++e) EXPECT_EQ(seen[s][e], 1) << s << "," << e;
  }
}

TEST(SessionStateTest, IllegalTransitionsNeverMoveTheState) {
  for (int s = 0; s < kSessionStateCount; ++s) {
    for (int e = 0; e < kSessionEventCount; ++e) {
      const Transition t = Next(static_cast<S>(s), static_cast<E>(e));
      if (t.error != Error::kOk) {
        EXPECT_EQ(t.next, static_cast<S>(s));
      }
    }
  }
}

TEST(SessionStateTest, CorruptedStateIsRefused) {
  const Transition t = Next(static_cast<S>(17), E::kUse);
  EXPECT_EQ(t.error, Error::kInvalidSession);
  EXPECT_EQ(t.next, static_cast<S>(17));
}

TEST(SessionStateTest, HoldsKeyOnlyInKeyLoadedAndActive) {
  EXPECT_FALSE(HoldsKey(S::kIdle));
  EXPECT_FALSE(HoldsKey(S::kAllocated));
  EXPECT_TRUE(HoldsKey(S::kKeyLoaded));
  EXPECT_TRUE(HoldsKey(S::kActive));
  EXPECT_FALSE(HoldsKey(S::kExpired));
}

TEST(SessionStateTest, NamesAreDistinct) {
  for (int a = 0; a < kSessionStateCount; ++a) {
    for (int b = a + 1; b < kSessionStateCount; ++b) {
      EXPECT_STRNE(SessionStateName(static_cast<S>(a)), SessionStateName(static_cast<S>(b)));
    }
  }
  for (int a = 0; a < kSessionEventCount; ++a) {
    for (int b = a + 1; b < kSessionEventCount; ++b) {
      EXPECT_STRNE(SessionEventName(static_cast<E>(a)), SessionEventName(static_cast<E>(b)));
    }
  }
  for (int a = 0; a <= static_cast<int>(Error::kCryptoError); ++a) {
    for (int b = a + 1; b <= static_cast<int>(Error::kCryptoError); ++b) {
      EXPECT_STRNE(ErrorName(static_cast<Error>(a)), ErrorName(static_cast<Error>(b)));
    }
  }
}

}  // namespace
}  // namespace workspace
