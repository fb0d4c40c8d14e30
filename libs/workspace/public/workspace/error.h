// Error values of libs/workspace, and the Result<T> that carries them.
//
// Every refusal has its own name so that a caller, an operator reading a
// log, and a test can tell exactly which rule a request broke. A refused
// request changes no session, key slot or buffer; the only state a refusal
// may advance is the violation counter, and only for the refusals listed as
// violations in workspace.h.
#ifndef LIBS_WORKSPACE_PUBLIC_WORKSPACE_ERROR_H_
#define LIBS_WORKSPACE_PUBLIC_WORKSPACE_ERROR_H_

#include <cstdint>
#include <utility>

namespace workspace {

enum class Error : std::uint8_t {
  kOk = 0,

  // --- Arguments -------------------------------------------------------------
  kInvalidSession,      // session id >= session count
  kInvalidKeySlot,      // key slot id >= key slot count
  kInvalidKeyLength,    // AES key not 16, 24 or 32 bytes
  kInputTooLarge,       // message does not fit a buffer (with its tag)
  kInvalidNonceLength,  // decrypt: nonce is not the 12-byte construction
  kInputTooShort,       // decrypt: input shorter than the 16-byte tag
  kInvalidConfig,       // zero threshold or limit, or no clock

  // --- Session state machine (session_state.h) --------------------------------
  kSessionIdle,           // the session was never allocated / was released
  kSessionInUse,          // allocate of a session that is not Idle
  kSessionHasNoKey,       // activate / expire of a session with no key bound
  kSessionAlreadyBound,   // bind of a session that already holds a live key
  kSessionAlreadyActive,  // activate of an Active session
  kSessionNotActive,      // encrypt / decrypt before Activate
  kSessionExpired,        // its key was rotated or cleared, or it was expired
  kNoFreeSession,         // OpenSession with every session in use

  // --- Key slots ----------------------------------------------------------------
  kKeySlotEmpty,  // bind to / clear of a slot with no key

  // --- Buffers ------------------------------------------------------------------
  kNoBufferAvailable,  // both buffers of the needed kind are leased
  kStaleLease,         // empty lease, or invalidated by lockout / reprovision

  // --- Nonce discipline and rotation (rotation_policy.h) -------------------------
  kRotationRequired,  // invocation counter, message or byte budget spent

  // --- Authentication and lockout -------------------------------------------------
  kAuthenticationFailed,  // tag mismatch: nothing released, violation counted
  kLockedOut,             // violation threshold reached: re-provision first

  // --- Should not happen ------------------------------------------------------------
  kCryptoError,  // libs/crypto refused arguments the workspace had checked
};

// A short constant name ("kSessionExpired") for logs and test messages.
const char* ErrorName(Error error);

// A value or an Error. T must be default-constructible and movable (leases
// and ids are); the value is meaningful only when ok().
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(Error error) : error_(error) {}  // NOLINT: implicit by design
  Result(T value) : error_(Error::kOk), value_(std::move(value)) {}  // NOLINT

  bool ok() const { return error_ == Error::kOk; }
  Error error() const { return error_; }
  T& value() & { return value_; }
  const T& value() const& { return value_; }
  T&& value() && { return std::move(value_); }
  T* operator->() { return &value_; }
  const T* operator->() const { return &value_; }

 private:
  Error error_;
  T value_{};
};

}  // namespace workspace

#endif  // LIBS_WORKSPACE_PUBLIC_WORKSPACE_ERROR_H_
