// The refusals of libs/workspace, as base::Status codes (domain
// "workspace"). Success is base::OkStatus(); a value or a refusal is a
// base::Result<T>.
//
// Every refusal has its own name so that a caller, an operator reading a
// log, and a test can tell exactly which rule a request broke. A refused
// request changes no session, key slot or buffer; the only state a refusal
// may advance is the violation counter, and only for the refusals listed as
// violations in workspace.h.
#ifndef LIBS_WORKSPACE_PUBLIC_WORKSPACE_STATUS_H_
#define LIBS_WORKSPACE_PUBLIC_WORKSPACE_STATUS_H_

#include <cstdint>
#include <string_view>

#include "base/status.h"

namespace workspace {

enum class Code : std::uint8_t {
  // --- Arguments -------------------------------------------------------------
  kInvalidSession = 1,  // session id >= session count
  kInvalidKeySlot,      // key slot id >= key slot count
  kInvalidKeyLength,    // AES key not 16, 24 or 32 bytes
  kInputTooLarge,       // message does not fit a buffer (with its tag)
  kInvalidNonceLength,  // decrypt: nonce is not the 12-byte construction
  kInputTooShort,       // decrypt: input shorter than the 16-byte tag
  kInvalidConfig,       // zero threshold or limit, or no clock

  // --- Session state machine (session_state.h) -------------------------------
  kSessionIdle,           // the session was never allocated / was released
  kSessionInUse,          // allocate of a session that is not Idle
  kSessionHasNoKey,       // activate / expire of a session with no key bound
  kSessionAlreadyBound,   // bind of a session that already holds a live key
  kSessionAlreadyActive,  // activate of an Active session
  kSessionNotActive,      // encrypt / decrypt before Activate
  kSessionExpired,        // its key was rotated or cleared, or it was expired
  kNoFreeSession,         // OpenSession with every session in use

  // --- Key slots -------------------------------------------------------------
  kKeySlotEmpty,  // bind to / clear of a slot with no key

  // --- Buffers ---------------------------------------------------------------
  kNoBufferAvailable,  // both buffers of the needed kind are leased
  kStaleLease,         // empty lease, or invalidated by lockout / reprovision

  // --- Nonce discipline and rotation (rotation_policy.h) ---------------------
  kRotationRequired,  // invocation counter, message or byte budget spent

  // --- Authentication and lockout --------------------------------------------
  kAuthenticationFailed,  // tag mismatch: nothing released, violation counted
  kLockedOut,             // violation threshold reached: re-provision first

  // --- Should not happen -----------------------------------------------------
  kCryptoError,  // libs/crypto refused arguments the workspace had checked

  // --- Caller-chosen nonces (SealInPlace)
  // -------------------------------------
  // Last, so the values above stay what logs already show.
  kNonceReused,  // invocation not above every one used under the key
};

// The last code, for tests that walk all of them.
inline constexpr Code kLastCode = Code::kNonceReused;

constexpr base::Domain StatusDomain(Code) { return base::Domain::kWorkspace; }

constexpr std::string_view CodeName(Code code) {
  switch (code) {
    case Code::kInvalidSession:
      return "workspace.invalid_session";
    case Code::kInvalidKeySlot:
      return "workspace.invalid_key_slot";
    case Code::kInvalidKeyLength:
      return "workspace.invalid_key_length";
    case Code::kInputTooLarge:
      return "workspace.input_too_large";
    case Code::kInvalidNonceLength:
      return "workspace.invalid_nonce_length";
    case Code::kInputTooShort:
      return "workspace.input_too_short";
    case Code::kInvalidConfig:
      return "workspace.invalid_config";
    case Code::kSessionIdle:
      return "workspace.session_idle";
    case Code::kSessionInUse:
      return "workspace.session_in_use";
    case Code::kSessionHasNoKey:
      return "workspace.session_has_no_key";
    case Code::kSessionAlreadyBound:
      return "workspace.session_already_bound";
    case Code::kSessionAlreadyActive:
      return "workspace.session_already_active";
    case Code::kSessionNotActive:
      return "workspace.session_not_active";
    case Code::kSessionExpired:
      return "workspace.session_expired";
    case Code::kNoFreeSession:
      return "workspace.no_free_session";
    case Code::kKeySlotEmpty:
      return "workspace.key_slot_empty";
    case Code::kNoBufferAvailable:
      return "workspace.no_buffer_available";
    case Code::kStaleLease:
      return "workspace.stale_lease";
    case Code::kRotationRequired:
      return "workspace.rotation_required";
    case Code::kAuthenticationFailed:
      return "workspace.authentication_failed";
    case Code::kLockedOut:
      return "workspace.locked_out";
    case Code::kCryptoError:
      return "workspace.crypto_error";
    case Code::kNonceReused:
      return "workspace.nonce_reused";
  }
  return "";
}

}  // namespace workspace

#endif  // LIBS_WORKSPACE_PUBLIC_WORKSPACE_STATUS_H_
