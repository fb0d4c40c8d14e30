// Fuzzes the record store (storage/record_store.h) on a RamFlash whose
// contents the input corrupts, mixed with the store's own operations and
// power cuts. One input is a program of operations:
//
//   Write, Erase, Scrub, Read   checked against a std::map model while the
//                               flash holds only what the store wrote
//   Corrupt                     overwrites a run of flash bytes with input
//                               bytes (bit rot, a foreign image, an attacker
//                               with the chip), mounted or not
//   Remount                     a reboot: a new store object mounts the
//                               flash as it is
//   Cut                         a power cut after some bytes of a Write,
//                               Erase or Scrub, then a reboot
//
// What must hold: no crash, no sanitizer report, on any image. After every
// Mount, each value the store hands out is, byte for byte, the value of a
// record of that key with a valid CRC in the image Mount found (never
// garbage presented as valid), and a second Mount finds the same contents
// and writes nothing. While nothing was corrupted since the last Mount, the
// store behaves exactly like the map, across power cuts as its README
// promises. Sector 2 of the device is never touched.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "base/fuzz_input.h"
#include "base/status.h"
#include "storage/crc32.h"
#include "storage/ram_flash.h"
#include "storage/record_store.h"

namespace {

using storage::StoreCode;

// Small sectors so that compaction, kFull and every record layout are a
// few operations away; 8 index entries for 10 usable keys, so kIndexFull
// is too.
constexpr std::size_t kSectorBytes = 256;
constexpr std::size_t kMaxKeys = 8;
using Store = storage::RecordStore<kMaxKeys>;
using Value = std::vector<std::uint8_t>;
using Contents = std::map<std::uint16_t, Value>;

void Require(bool condition) {
  if (!condition) std::abort();
}

using Input = base::FuzzInput;

// Keys 1..10, plus the two reserved ones.
std::uint16_t PickKey(Input& in) {
  const std::uint8_t pick = in.Byte() % 12;
  if (pick == 0) return 0x0000;
  if (pick == 1) return 0xFFFF;
  return pick - 1;
}

// 0..69 bytes (over 64 is refused) of a pattern the input seeds: values of
// one key differ, and any byte value, 0x00 and 0xFF included, occurs.
Value PickValue(Input& in) {
  const std::size_t size = in.Byte() % 70;
  const std::uint8_t seed = in.Byte();
  Value value(size);
  for (std::size_t i = 0; i < size; ++i) {
    value[i] = static_cast<std::uint8_t>(seed + i * 37 + (i >> 3) * seed);
  }
  return value;
}

bool ValidKey(std::uint16_t key) { return key != 0x0000 && key != 0xFFFF; }

template <std::size_t kProgramBytes>
class Harness {
 public:
  using Flash = storage::RamFlash<kSectorBytes, 3, kProgramBytes>;

  void Run(Input& in) {
    MountAndLearn();
    while (!in.empty()) {
      switch (in.Byte() % 8) {
        case 0:
        case 1:
          Write(PickKey(in), PickValue(in));
          break;
        case 2:
          Erase(PickKey(in), /*scrub=*/false);
          break;
        case 3:
          Erase(PickKey(in), /*scrub=*/true);
          break;
        case 4:
          ReadAll();
          break;
        case 5:
          Corrupt(in);
          break;
        case 6:
          MountAndLearn();
          break;
        case 7:
          Cut(in);
          break;
      }
    }
    MountAndLearn();
    // The store owns sectors 0 and 1 only.
    const auto image = flash_.contents();
    for (std::size_t i = 2 * kSectorBytes; i < image.size(); ++i) {
      Require(image[i] == 0xFF);
    }
  }

 private:
  void Write(std::uint16_t key, const Value& value) {
    if (!store_) return;
    const base::Status status = store_->Write(key, value);
    if (!ValidKey(key)) {
      Require(status == StoreCode::kBadKey);
      return;
    }
    if (value.size() > storage::kMaxValueBytes) {
      Require(status == StoreCode::kTooLarge);
      return;
    }
    if (Failed(status)) return;
    if (status.ok()) {
      model_[key] = value;
      return;
    }
    if (!known_) return;
    const bool new_key = model_.count(key) == 0;
    if (status == StoreCode::kIndexFull) {
      Require(new_key && model_.size() == kMaxKeys);
    } else {
      Require(status == StoreCode::kFull);
    }
  }

  void Erase(std::uint16_t key, bool scrub) {
    if (!store_) return;
    const base::Status status = scrub ? store_->Scrub(key) : store_->Erase(key);
    if (!ValidKey(key)) {
      Require(status == StoreCode::kBadKey);
      return;
    }
    if (Failed(status)) return;
    Require(status.ok());
    model_.erase(key);
    if (scrub && known_) RequireNoLiveCopy(key);
  }

  // No cut is armed, so the device never fails; but on flash corrupted
  // while mounted the store may find a record running past the device's
  // end, and refuses (unmounted) rather than trust it.
  bool Failed(base::Status status) {
    if (status != StoreCode::kFlashFailed) return false;
    Require(!known_ && !store_->mounted());
    store_.reset();
    return true;
  }

  // After a Scrub, no record of the key that could still read as valid is
  // left: every old copy has lost its CRC.
  void RequireNoLiveCopy(std::uint16_t key) {
    const auto image = flash_.contents();
    for (std::size_t sector = 0; sector < 2; ++sector) {
      for (std::size_t at = 16; at + 8 <= kSectorBytes; at += kProgramBytes) {
        Require(!ValidRecordAt(image, sector * kSectorBytes + at, key));
      }
    }
  }

  void ReadAll() {
    if (!store_ || !known_) return;
    for (std::uint16_t key = 1; key <= 10; ++key) {
      std::array<std::uint8_t, storage::kMaxValueBytes> out;
      std::size_t size = 0;
      const base::Status status = store_->Read(key, out, size);
      const auto it = model_.find(key);
      if (it == model_.end()) {
        Require(status == StoreCode::kNotFound);
        continue;
      }
      Require(status.ok() &&
              Value(out.begin(), out.begin() + size) == it->second);
    }
  }

  // Overwrites up to 32 bytes anywhere in sectors 0 and 1. NOR can only
  // clear bits, so the sector is read, erased and programmed back whole.
  void Corrupt(Input& in) {
    const std::size_t offset = in.Word16() % (2 * kSectorBytes);
    const std::size_t size = 1 + in.Byte() % 32;
    const std::size_t sector = offset / kSectorBytes;
    std::array<std::uint8_t, kSectorBytes> bytes;
    Require(flash_.Read(sector * kSectorBytes, bytes).ok());
    for (std::size_t i = offset % kSectorBytes;
         i < kSectorBytes && i < offset % kSectorBytes + size; ++i) {
      bytes[i] = in.Byte();
    }
    Require(flash_.Erase(sector).ok());
    Require(flash_.Program(sector * kSectorBytes, bytes).ok());
    known_ = false;
  }

  // A power cut during a Write, Erase or Scrub, then a reboot: the key
  // changed reads its old value or its new one, every other key its own.
  void Cut(Input& in) {
    const std::size_t budget = in.Byte();
    const std::uint8_t op = in.Byte() % 3;
    const std::uint16_t key = PickKey(in);
    const Value value = PickValue(in);
    if (!store_ || !ValidKey(key) || value.size() > storage::kMaxValueBytes) {
      return;
    }
    flash_.CutPowerAfter(budget);
    const base::Status status = op == 0   ? store_->Write(key, value)
                                : op == 1 ? store_->Erase(key)
                                          : store_->Scrub(key);
    const bool cut = flash_.power_lost();
    flash_.RestorePower();
    if (!cut) {
      // Finished before the budget ran out: an ordinary operation.
      if (Failed(status)) return;
      if (status.ok()) {
        if (op == 0) {
          model_[key] = value;
        } else {
          model_.erase(key);
        }
      }
      return;
    }
    Require(status == StoreCode::kFlashFailed);
    const Contents before = model_;
    const bool was_known = known_;
    known_ = false;  // until the reboot shows what the cut left
    MountAndLearn();
    if (!was_known || !store_) return;
    for (std::uint16_t other = 1; other <= 10; ++other) {
      const auto now = model_.find(other);
      const auto old = before.find(other);
      const bool same = (now == model_.end()) == (old == before.end()) &&
                        (now == model_.end() || now->second == old->second);
      if (other != key) {
        Require(same);
      } else if (!same) {
        // The new state: the value written, or gone.
        Require(op == 0 ? now != model_.end() && now->second == value
                        : now == model_.end());
      }
    }
  }

  // A reboot: a fresh store object mounts the flash as it is. Learns the
  // contents from it, checking that each value is a valid record of the
  // image as found; a second mount must agree and write nothing.
  void MountAndLearn() {
    const auto image = flash_.contents();
    const std::vector<std::uint8_t> found(image.begin(), image.end());
    store_.reset();
    store_.emplace(flash_);
    const base::Status status = store_->Mount();
    if (!status.ok()) {
      // Only a device failure (none here) or more keys than the index.
      Require(status == StoreCode::kIndexFull && !known_);
      Require(!store_->mounted());
      store_.reset();
      model_.clear();
      known_ = false;
      return;
    }
    const Contents contents = Learn(found);
    if (known_) Require(contents == model_);
    model_ = contents;
    known_ = true;

    const std::uint64_t programmed = flash_.bytes_programmed();
    const std::uint64_t erases0 = flash_.erases(0);
    const std::uint64_t erases1 = flash_.erases(1);
    store_.reset();
    store_.emplace(flash_);
    Require(store_->Mount().ok());
    Require(flash_.bytes_programmed() == programmed);
    Require(flash_.erases(0) == erases0 && flash_.erases(1) == erases1);
    Require(Learn(found) == model_);
  }

  Contents Learn(const std::vector<std::uint8_t>& found) {
    std::array<std::uint16_t, kMaxKeys> keys;
    const std::size_t count = store_->Keys(keys);
    Require(count == store_->key_count() && count <= kMaxKeys);
    Contents contents;
    for (std::size_t i = 0; i < count; ++i) {
      Require(ValidKey(keys[i]));
      if (i != 0) Require(keys[i - 1] < keys[i]);
      std::array<std::uint8_t, storage::kMaxValueBytes> out;
      std::size_t size = 0;
      Require(store_->Read(keys[i], out, size).ok());
      const Value value(out.begin(), out.begin() + size);
      Require(FoundInImage(found, keys[i], value));
      contents[keys[i]] = value;
    }
    return contents;
  }

  // Whether `image` holds, at some program-unit boundary after a sector
  // header, a value record of `key` with exactly `value` and a valid CRC
  // (libs/storage/README.md, "On-flash format").
  static bool FoundInImage(std::span<const std::uint8_t> image,
                           std::uint16_t key, const Value& value) {
    for (std::size_t sector = 0; sector < 2; ++sector) {
      for (std::size_t at = 16; at + 8 + value.size() <= kSectorBytes;
           at += kProgramBytes) {
        const std::size_t offset = sector * kSectorBytes + at;
        if (ValidRecordAt(image, offset, key) &&
            image[offset + 2] == value.size() &&
            (value.empty() || std::memcmp(&image[offset + 8], value.data(),
                                          value.size()) == 0)) {
          return true;
        }
      }
    }
    return false;
  }

  static bool ValidRecordAt(std::span<const std::uint8_t> image,
                            std::size_t offset, std::uint16_t key) {
    const std::uint8_t* h = &image[offset];
    const std::size_t size = h[2];
    if ((h[0] | h[1] << 8) != key || h[3] != 'V' || size > 64 ||
        offset % kSectorBytes + 8 + size > kSectorBytes) {
      return false;
    }
    const std::uint32_t state =
        storage::Crc32Update(storage::kCrc32Initial, {h, 4});
    const std::uint32_t crc =
        storage::Crc32Final(storage::Crc32Update(state, {h + 8, size}));
    return crc == (std::uint32_t{h[4]} | std::uint32_t{h[5]} << 8 |
                   std::uint32_t{h[6]} << 16 | std::uint32_t{h[7]} << 24);
  }

  Flash flash_;
  std::optional<Store> store_;
  Contents model_;
  bool known_ = true;  // the flash holds only what the store wrote
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  Input in(data, size);
  // Each program unit size changes the record layout.
  switch (in.Byte() % 3) {
    case 0:
      Harness<1>().Run(in);
      break;
    case 1:
      Harness<4>().Run(in);
      break;
    case 2:
      Harness<8>().Run(in);
      break;
  }
  return 0;
}
