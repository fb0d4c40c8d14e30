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
  base::Status status;
  S to;
};

// Written out by hand from the lifecycle in the header, not derived from it.
constexpr Case kCases[] = {
    {S::kIdle, E::kAllocate, base::OkStatus(), S::kAllocated},
    {S::kIdle, E::kBindKey, Code::kSessionIdle, S::kIdle},
    {S::kIdle, E::kActivate, Code::kSessionIdle, S::kIdle},
    {S::kIdle, E::kUse, Code::kSessionIdle, S::kIdle},
    {S::kIdle, E::kExpire, Code::kSessionIdle, S::kIdle},
    {S::kIdle, E::kRelease, Code::kSessionIdle, S::kIdle},

    {S::kAllocated, E::kAllocate, Code::kSessionInUse, S::kAllocated},
    {S::kAllocated, E::kBindKey, base::OkStatus(), S::kKeyLoaded},
    {S::kAllocated, E::kActivate, Code::kSessionHasNoKey, S::kAllocated},
    {S::kAllocated, E::kUse, Code::kSessionNotActive, S::kAllocated},
    {S::kAllocated, E::kExpire, Code::kSessionHasNoKey, S::kAllocated},
    {S::kAllocated, E::kRelease, base::OkStatus(), S::kIdle},

    {S::kKeyLoaded, E::kAllocate, Code::kSessionInUse, S::kKeyLoaded},
    {S::kKeyLoaded, E::kBindKey, Code::kSessionAlreadyBound, S::kKeyLoaded},
    {S::kKeyLoaded, E::kActivate, base::OkStatus(), S::kActive},
    {S::kKeyLoaded, E::kUse, Code::kSessionNotActive, S::kKeyLoaded},
    {S::kKeyLoaded, E::kExpire, base::OkStatus(), S::kExpired},
    {S::kKeyLoaded, E::kRelease, base::OkStatus(), S::kIdle},

    {S::kActive, E::kAllocate, Code::kSessionInUse, S::kActive},
    {S::kActive, E::kBindKey, Code::kSessionAlreadyBound, S::kActive},
    {S::kActive, E::kActivate, Code::kSessionAlreadyActive, S::kActive},
    {S::kActive, E::kUse, base::OkStatus(), S::kActive},
    {S::kActive, E::kExpire, base::OkStatus(), S::kExpired},
    {S::kActive, E::kRelease, base::OkStatus(), S::kIdle},

    {S::kExpired, E::kAllocate, Code::kSessionInUse, S::kExpired},
    {S::kExpired, E::kBindKey, base::OkStatus(), S::kKeyLoaded},
    {S::kExpired, E::kActivate, Code::kSessionExpired, S::kExpired},
    {S::kExpired, E::kUse, Code::kSessionExpired, S::kExpired},
    {S::kExpired, E::kExpire, Code::kSessionExpired, S::kExpired},
    {S::kExpired, E::kRelease, base::OkStatus(), S::kIdle},
};

TEST(SessionStateTest, EveryPairMatchesTheLifecycle) {
  static_assert(sizeof kCases / sizeof kCases[0] ==
                kSessionStateCount * kSessionEventCount);
  for (const Case& c : kCases) {
    const Transition t = Next(c.from, c.event);
    EXPECT_EQ(t.status, c.status)
        << SessionStateName(c.from) << " + " << SessionEventName(c.event)
        << ": got " << base::StatusName<Code>(t.status);
    EXPECT_EQ(t.next, c.to)
        << SessionStateName(c.from) << " + " << SessionEventName(c.event);
  }
}

TEST(SessionStateTest, EveryPairIsCoveredExactlyOnce) {
  int seen[kSessionStateCount][kSessionEventCount] = {};
  for (const Case& c : kCases)
    ++seen[static_cast<int>(c.from)][static_cast<int>(c.event)];
  for (int s = 0; s < kSessionStateCount; ++s) {
    for (int e = 0; e < kSessionEventCount; ++e)
      EXPECT_EQ(seen[s][e], 1) << s << "," << e;
  }
}

TEST(SessionStateTest, IllegalTransitionsNeverMoveTheState) {
  for (int s = 0; s < kSessionStateCount; ++s) {
    for (int e = 0; e < kSessionEventCount; ++e) {
      const Transition t = Next(static_cast<S>(s), static_cast<E>(e));
      if (t.status != base::OkStatus()) {
        EXPECT_EQ(t.next, static_cast<S>(s));
      }
    }
  }
}

TEST(SessionStateTest, CorruptedStateIsRefused) {
  const Transition t = Next(static_cast<S>(17), E::kUse);
  EXPECT_EQ(t.status, Code::kInvalidSession);
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
      EXPECT_STRNE(SessionStateName(static_cast<S>(a)),
                   SessionStateName(static_cast<S>(b)));
    }
  }
  for (int a = 0; a < kSessionEventCount; ++a) {
    for (int b = a + 1; b < kSessionEventCount; ++b) {
      EXPECT_STRNE(SessionEventName(static_cast<E>(a)),
                   SessionEventName(static_cast<E>(b)));
    }
  }
  // Every refusal: its own "workspace.<code>" name, in the workspace domain.
  constexpr int kLast = static_cast<int>(kLastCode);
  for (int a = 1; a <= kLast; ++a) {
    const base::Status status = static_cast<Code>(a);
    EXPECT_EQ(status.domain(), base::Domain::kWorkspace);
    EXPECT_TRUE(base::StatusName<Code>(status).starts_with("workspace.")) << a;
    for (int b = a + 1; b <= kLast; ++b) {
      EXPECT_NE(CodeName(static_cast<Code>(a)), CodeName(static_cast<Code>(b)));
    }
  }
  EXPECT_EQ(base::StatusName<Code>(Code::kSessionExpired),
            "workspace.session_expired");
  EXPECT_EQ(base::StatusName<Code>(base::OkStatus()), "ok");
}

}  // namespace
}  // namespace workspace
