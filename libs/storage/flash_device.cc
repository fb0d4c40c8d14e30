#include "storage/flash_device.h"

namespace storage {

const char* FlashErrorName(FlashError error) {
  switch (error) {
    case FlashError::kOk:
      return "ok";
    case FlashError::kOutOfRange:
      return "out_of_range";
    case FlashError::kMisaligned:
      return "misaligned";
    case FlashError::kDeviceFailed:
      return "device_failed";
    case FlashError::kPowerLost:
      return "power_lost";
  }
  return "unknown";
}

}  // namespace storage
