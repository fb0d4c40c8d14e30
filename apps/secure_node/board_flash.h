// The board's non-volatile storage (board/storage.h) as a storage::FlashDevice,
// so the node's record store runs on it unchanged on every board.
#ifndef APPS_SECURE_NODE_BOARD_FLASH_H_
#define APPS_SECURE_NODE_BOARD_FLASH_H_

#include "base/status.h"
#include "board/storage.h"
#include "storage/flash_device.h"

namespace secure_node {

class BoardFlash final : public storage::FlashDevice {
 public:
  std::size_t sector_bytes() const override {
    return board::StorageInfo().sector_bytes;
  }
  std::size_t sector_count() const override {
    return board::StorageInfo().sector_count;
  }
  std::size_t program_bytes() const override {
    return board::StorageInfo().program_bytes;
  }

  base::Status Read(std::size_t offset, std::span<std::uint8_t> out) override {
    if (!InRange(offset, out.size())) return storage::FlashCode::kOutOfRange;
    if (!board::StorageRead(offset, out.data(), out.size())) {
      return storage::FlashCode::kDeviceFailed;
    }
    return base::OkStatus();
  }
  base::Status Program(std::size_t offset,
                       std::span<const std::uint8_t> data) override {
    if (!InRange(offset, data.size())) return storage::FlashCode::kOutOfRange;
    if (offset % program_bytes() != 0 || data.size() % program_bytes() != 0) {
      return storage::FlashCode::kMisaligned;
    }
    if (!board::StorageProgram(offset, data.data(), data.size())) {
      return storage::FlashCode::kDeviceFailed;
    }
    return base::OkStatus();
  }
  base::Status Erase(std::size_t sector) override {
    if (sector >= sector_count()) return storage::FlashCode::kOutOfRange;
    if (!board::StorageErase(sector)) return storage::FlashCode::kDeviceFailed;
    return base::OkStatus();
  }

 private:
  bool InRange(std::size_t offset, std::size_t size) const {
    const std::size_t total = sector_bytes() * sector_count();
    return offset <= total && size <= total - offset;
  }
};

}  // namespace secure_node

#endif  // APPS_SECURE_NODE_BOARD_FLASH_H_
