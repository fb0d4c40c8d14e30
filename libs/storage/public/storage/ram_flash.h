// A FlashDevice in RAM: a member array that follows the NOR rules exactly,
// with hooks that simulate power cuts at byte granularity. Used by the tests
// on the host and on the boards, and usable as a volatile store on a board.
//
// Power cuts: CutPowerAfter(n) lets n more bytes be programmed or erased
// (each byte programmed or erased counts one); the operation that would
// touch byte n+1 stops right there, with the bytes before the cut applied
// and the rest untouched, and returns FlashCode::kPowerLost. Every later
// Program or Erase returns kPowerLost without touching anything until
// RestorePower(); Read keeps working, as a test reading the image after a cut
// needs it to. Erase proceeds from the sector's first byte to its last, so a
// cut erase leaves a prefix erased.
#ifndef LIBS_STORAGE_PUBLIC_STORAGE_RAM_FLASH_H_
#define LIBS_STORAGE_PUBLIC_STORAGE_RAM_FLASH_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "storage/flash_device.h"

namespace storage {

template <std::size_t kSectorBytes, std::size_t kSectorCount,
          std::size_t kProgramBytes = 4>
class RamFlash final : public FlashDevice {
 public:
  static_assert(kProgramBytes == 1 || kProgramBytes == 2 ||
                    kProgramBytes == 4 || kProgramBytes == 8,
                "program_bytes must be 1, 2, 4 or 8");
  static_assert(kSectorBytes > 0 && kSectorBytes % kProgramBytes == 0,
                "a sector is a whole number of program units");
  static_assert(kSectorCount > 0, "at least one sector");

  static constexpr std::size_t kTotalBytes = kSectorBytes * kSectorCount;

  RamFlash() { data_.fill(0xFF); }

  std::size_t sector_bytes() const override { return kSectorBytes; }
  std::size_t sector_count() const override { return kSectorCount; }
  std::size_t program_bytes() const override { return kProgramBytes; }

  base::Status Read(std::size_t offset, std::span<std::uint8_t> out) override {
    if (!InRange(offset, out.size())) return FlashCode::kOutOfRange;
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = data_[offset + i];
    return base::OkStatus();
  }

  base::Status Program(std::size_t offset,
                       std::span<const std::uint8_t> data) override {
    if (power_lost_) return FlashCode::kPowerLost;
    if (!InRange(offset, data.size())) return FlashCode::kOutOfRange;
    if (offset % kProgramBytes != 0 || data.size() % kProgramBytes != 0) {
      return FlashCode::kMisaligned;
    }
    std::size_t done;
    const base::Status status = Spend(data.size(), done);
    for (std::size_t i = 0; i < done; ++i) {
      data_[offset + i] &= data[i];  // NOR: bits only go from 1 to 0
    }
    bytes_programmed_ += done;
    return status;
  }

  base::Status Erase(std::size_t sector) override {
    if (power_lost_) return FlashCode::kPowerLost;
    if (sector >= kSectorCount) return FlashCode::kOutOfRange;
    ++erases_[sector];  // an interrupted erase still wears the sector
    const std::size_t base = sector * kSectorBytes;
    std::size_t done;
    const base::Status status = Spend(kSectorBytes, done);
    for (std::size_t i = 0; i < done; ++i) data_[base + i] = 0xFF;
    return status;
  }

  // --- Test hooks -----------------------------------------------------------

  // Power fails after `byte_operations` more bytes programmed or erased.
  void CutPowerAfter(std::size_t byte_operations) {
    cut_armed_ = true;
    budget_ = byte_operations;
  }
  // Power is back: Program and Erase work again; no cut is pending.
  void RestorePower() {
    cut_armed_ = false;
    power_lost_ = false;
  }
  // True from the moment a cut stopped an operation until RestorePower().
  bool power_lost() const { return power_lost_; }

  // Bytes programmed since construction (each byte of each Program call
  // that was applied).
  std::uint64_t bytes_programmed() const { return bytes_programmed_; }
  // Erase calls on `sector` since construction, interrupted ones included.
  std::uint64_t erases(std::size_t sector) const {
    return sector < kSectorCount ? erases_[sector] : 0;
  }
  // The raw image, e.g. to check that a scrubbed secret is gone.
  std::span<const std::uint8_t> contents() const { return data_; }

 private:
  bool InRange(std::size_t offset, std::size_t size) const {
    // Written so that no sum can overflow.
    return offset <= kTotalBytes && size <= kTotalBytes - offset;
  }

  // Accounts for an operation on `bytes` bytes: sets `done` to how many of
  // them happen before the power fails (all of them when no cut comes
  // first); kPowerLost when the cut stops the operation.
  base::Status Spend(std::size_t bytes, std::size_t& done) {
    done = bytes;
    if (!cut_armed_) return base::OkStatus();
    if (bytes <= budget_) {
      budget_ -= bytes;
      return base::OkStatus();
    }
    done = budget_;
    cut_armed_ = false;
    power_lost_ = true;
    return FlashCode::kPowerLost;
  }

  std::array<std::uint8_t, kTotalBytes> data_;
  std::array<std::uint64_t, kSectorCount> erases_{};
  std::uint64_t bytes_programmed_ = 0;
  std::size_t budget_ = 0;
  bool cut_armed_ = false;
  bool power_lost_ = false;
};

}  // namespace storage

#endif  // LIBS_STORAGE_PUBLIC_STORAGE_RAM_FLASH_H_
