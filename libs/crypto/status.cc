#include "crypto/status.h"

namespace crypto {

const char* StatusName(Status status) {
  switch (status) {
    case Status::kOk: return "kOk";
    case Status::kInvalidKeyLength: return "kInvalidKeyLength";
    case Status::kInvalidIvLength: return "kInvalidIvLength";
    case Status::kInvalidTagLength: return "kInvalidTagLength";
    case Status::kMessageTooLong: return "kMessageTooLong";
    case Status::kAadTooLong: return "kAadTooLong";
    case Status::kNullBuffer: return "kNullBuffer";
    case Status::kOverlappingBuffers: return "kOverlappingBuffers";
    case Status::kNonContiguousOutput: return "kNonContiguousOutput";
    case Status::kBadState: return "kBadState";
    case Status::kAuthenticationFailed: return "kAuthenticationFailed";
    case Status::kNonceExhausted: return "kNonceExhausted";
  }
  return "unknown";
}

}  // namespace crypto
