// The session lifecycle as an explicit, pure state machine.
//
//   Idle --Allocate--> Allocated --BindKey--> KeyLoaded --Activate--> Active
//                                               |  ^                  |  ^
//                                        Expire |  | BindKey          |  | Use
//                                               v  | (re-key)  Expire |--+
//                                              Expired <--------------+
//
// A session in KeyLoaded or Active also moves to Expired when its key slot
// is reloaded, cleared or wiped (the workspace applies kExpire for it).
// Release is legal from every state but Idle and always returns to Idle.
// Use (encrypt / decrypt) is legal only in Active and leaves it there.
//
// Every (state, event) pair not drawn above is illegal and has a named
// refusal (a workspace::Code); Next() then returns that refusal and the
// unchanged state, so a refused request can never move a session. The table is
// constexpr and is the single source of truth: the workspace asks it before
// every change.
#ifndef LIBS_WORKSPACE_PUBLIC_WORKSPACE_SESSION_STATE_H_
#define LIBS_WORKSPACE_PUBLIC_WORKSPACE_SESSION_STATE_H_

#include <cstdint>

#include "base/status.h"
#include "workspace/status.h"

namespace workspace {

enum class SessionState : std::uint8_t {
  kIdle = 0,   // free; its record is all zero
  kAllocated,  // owned by a caller, no key yet
  kKeyLoaded,  // bound to a live key slot, not yet usable
  kActive,     // may encrypt and decrypt
  kExpired,    // its key is gone or was retired; only re-key or release
};

enum class SessionEvent : std::uint8_t {
  kAllocate,
  kBindKey,
  kActivate,
  kUse,     // encrypt or decrypt
  kExpire,  // explicit, or the bound key slot was rotated / cleared
  kRelease,
};

inline constexpr int kSessionStateCount = 5;
inline constexpr int kSessionEventCount = 6;

struct Transition {
  base::Status status;  // ok when legal
  SessionState next;    // the state after the event (unchanged on refusal)
};

// The transition table.
constexpr Transition Next(SessionState state, SessionEvent event) {
  using S = SessionState;
  using E = SessionEvent;
  const auto ok = [](S next) { return Transition{base::OkStatus(), next}; };
  const auto refuse = [state](Code code) { return Transition{code, state}; };
  switch (state) {
    case S::kIdle:
      if (event == E::kAllocate) return ok(S::kAllocated);
      return refuse(Code::kSessionIdle);
    case S::kAllocated:
      switch (event) {
        case E::kAllocate:
          return refuse(Code::kSessionInUse);
        case E::kBindKey:
          return ok(S::kKeyLoaded);
        case E::kActivate:
          return refuse(Code::kSessionHasNoKey);
        case E::kUse:
          return refuse(Code::kSessionNotActive);
        case E::kExpire:
          return refuse(Code::kSessionHasNoKey);
        case E::kRelease:
          return ok(S::kIdle);
      }
      break;
    case S::kKeyLoaded:
      switch (event) {
        case E::kAllocate:
          return refuse(Code::kSessionInUse);
        case E::kBindKey:
          return refuse(Code::kSessionAlreadyBound);
        case E::kActivate:
          return ok(S::kActive);
        case E::kUse:
          return refuse(Code::kSessionNotActive);
        case E::kExpire:
          return ok(S::kExpired);
        case E::kRelease:
          return ok(S::kIdle);
      }
      break;
    case S::kActive:
      switch (event) {
        case E::kAllocate:
          return refuse(Code::kSessionInUse);
        case E::kBindKey:
          return refuse(Code::kSessionAlreadyBound);
        case E::kActivate:
          return refuse(Code::kSessionAlreadyActive);
        case E::kUse:
          return ok(S::kActive);
        case E::kExpire:
          return ok(S::kExpired);
        case E::kRelease:
          return ok(S::kIdle);
      }
      break;
    case S::kExpired:
      switch (event) {
        case E::kAllocate:
          return refuse(Code::kSessionInUse);
        case E::kBindKey:
          return ok(S::kKeyLoaded);
        case E::kActivate:
          return refuse(Code::kSessionExpired);
        case E::kUse:
          return refuse(Code::kSessionExpired);
        case E::kExpire:
          return refuse(Code::kSessionExpired);
        case E::kRelease:
          return ok(S::kIdle);
      }
      break;
  }
  // Unreachable for valid enumerators; a corrupted state value is refused.
  return refuse(Code::kInvalidSession);
}

// True when the session holds a key binding (the states a key rotation
// expires).
constexpr bool HoldsKey(SessionState state) {
  return state == SessionState::kKeyLoaded || state == SessionState::kActive;
}

const char* SessionStateName(SessionState state);
const char* SessionEventName(SessionEvent event);

}  // namespace workspace

#endif  // LIBS_WORKSPACE_PUBLIC_WORKSPACE_SESSION_STATE_H_
