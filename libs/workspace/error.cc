#include "workspace/error.h"

namespace workspace {

const char* ErrorName(Error error) {
  switch (error) {
    case Error::kOk: return "kOk";
    case Error::kInvalidSession: return "kInvalidSession";
    case Error::kInvalidKeySlot: return "kInvalidKeySlot";
    case Error::kInvalidKeyLength: return "kInvalidKeyLength";
    case Error::kInputTooLarge: return "kInputTooLarge";
    case Error::kInvalidNonceLength: return "kInvalidNonceLength";
    case Error::kInputTooShort: return "kInputTooShort";
    case Error::kInvalidConfig: return "kInvalidConfig";
    case Error::kSessionIdle: return "kSessionIdle";
    case Error::kSessionInUse: return "kSessionInUse";
    case Error::kSessionHasNoKey: return "kSessionHasNoKey";
    case Error::kSessionAlreadyBound: return "kSessionAlreadyBound";
    case Error::kSessionAlreadyActive: return "kSessionAlreadyActive";
    case Error::kSessionNotActive: return "kSessionNotActive";
    case Error::kSessionExpired: return "kSessionExpired";
    case Error::kNoFreeSession: return "kNoFreeSession";
    case Error::kKeySlotEmpty: return "kKeySlotEmpty";
    case Error::kNoBufferAvailable: return "kNoBufferAvailable";
    case Error::kStaleLease: return "kStaleLease";
    case Error::kRotationRequired: return "kRotationRequired";
    case Error::kAuthenticationFailed: return "kAuthenticationFailed";
    case Error::kLockedOut: return "kLockedOut";
    case Error::kCryptoError: return "kCryptoError";
  }
  return "kUnknown";
}

}  // namespace workspace
