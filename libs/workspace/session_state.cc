#include "workspace/session_state.h"

namespace workspace {

// The table is checked at compile time for the properties the workspace
// relies on: Release always reaches Idle except from Idle, and Use never
// leaves Active.
static_assert(Next(SessionState::kActive, SessionEvent::kUse).next ==
              SessionState::kActive);
static_assert(Next(SessionState::kExpired, SessionEvent::kRelease).next ==
              SessionState::kIdle);
static_assert(Next(SessionState::kIdle, SessionEvent::kRelease).status ==
              Code::kSessionIdle);

const char* SessionStateName(SessionState state) {
  switch (state) {
    case SessionState::kIdle:
      return "Idle";
    case SessionState::kAllocated:
      return "Allocated";
    case SessionState::kKeyLoaded:
      return "KeyLoaded";
    case SessionState::kActive:
      return "Active";
    case SessionState::kExpired:
      return "Expired";
  }
  return "Invalid";
}

const char* SessionEventName(SessionEvent event) {
  switch (event) {
    case SessionEvent::kAllocate:
      return "Allocate";
    case SessionEvent::kBindKey:
      return "BindKey";
    case SessionEvent::kActivate:
      return "Activate";
    case SessionEvent::kUse:
      return "Use";
    case SessionEvent::kExpire:
      return "Expire";
    case SessionEvent::kRelease:
      return "Release";
  }
  return "Invalid";
}

}  // namespace workspace
