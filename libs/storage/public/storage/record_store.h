// A power-fail-safe, wear-aware key/value record store on two sectors of a
// NOR-flash-like FlashDevice. See libs/storage/README.md for the on-flash
// format, the guarantees and what is not guaranteed.
//
//   storage::RamFlash<4096, 2> flash;            // or a real flash driver
//   storage::RecordStore<32> store(flash);       // index for 32 keys
//   store.Mount();                               // recovers, or formats
//   store.Write(0x0101, value);                  // atomic w.r.t. power loss
//   store.Read(0x0101, buffer, size);
//
// Each sector is a log of records; a RAM index (no heap, kMaxKeys entries)
// maps each key to its newest record, so Read and Write cost one binary
// search plus the flash access; only Mount and compaction scan the flash.
// Not thread-safe: one caller at a time.
#ifndef LIBS_STORAGE_PUBLIC_STORAGE_RECORD_STORE_H_
#define LIBS_STORAGE_PUBLIC_STORAGE_RECORD_STORE_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "base/status.h"
#include "storage/flash_device.h"

namespace storage {

// The refusals of the record store (domain "store"). Success is
// base::OkStatus(). The store passes no FlashCode on: any device failure is
// kFlashFailed.
enum class StoreCode : std::uint8_t {
  kNotMounted = 1,  // Mount() has not succeeded (or a flash error unmounted)
  kNotFound,        // no value for the key
  kBadKey,          // key 0x0000 or 0xFFFF (reserved)
  kTooLarge,        // value longer than kMaxValueBytes
  kBufferTooSmall,  // Read: `out` shorter than the value (size says how long)
  kFull,            // the live set with the new value would not fit a sector
  kIndexFull,       // a new key, and the index already holds kMaxKeys keys
  kFlashFailed,     // the device failed or lost power; the store unmounted
  kBadGeometry,     // the device cannot hold the format (see Mount)
};

constexpr base::Domain StatusDomain(StoreCode) { return base::Domain::kStore; }

// "store.not_mounted", "store.not_found", "store.bad_key", "store.too_large",
// "store.buffer_too_small", "store.full", "store.index_full",
// "store.flash_failed", "store.bad_geometry".
constexpr std::string_view CodeName(StoreCode code) {
  switch (code) {
    case StoreCode::kNotMounted:
      return "store.not_mounted";
    case StoreCode::kNotFound:
      return "store.not_found";
    case StoreCode::kBadKey:
      return "store.bad_key";
    case StoreCode::kTooLarge:
      return "store.too_large";
    case StoreCode::kBufferTooSmall:
      return "store.buffer_too_small";
    case StoreCode::kFull:
      return "store.full";
    case StoreCode::kIndexFull:
      return "store.index_full";
    case StoreCode::kFlashFailed:
      return "store.flash_failed";
    case StoreCode::kBadGeometry:
      return "store.bad_geometry";
  }
  return "";
}

// Counters since the store object was constructed (not persisted), plus the
// state of the mounted store.
struct StoreStats {
  std::uint64_t records_written = 0;   // records appended by Write/Erase/Scrub
  std::uint64_t bytes_programmed = 0;  // bytes passed to FlashDevice::Program
  std::uint64_t sector_erases = 0;     // FlashDevice::Erase calls
  std::uint64_t compactions = 0;       // completed compactions (incl. Mount's)
  std::uint32_t generation = 0;        // generation of the active sector
  std::size_t used_bytes = 0;          // active sector bytes in use (header,
                                       // live and superseded records)
  std::size_t sector_bytes = 0;        // the device's sector size
  std::uint64_t corrupt_records_dropped = 0;  // bad CRC met by a compaction
};

inline constexpr std::size_t kMaxValueBytes = 64;

// All of the store's logic; RecordStore<kMaxKeys> only adds the index's
// storage, so one copy of this code serves every index size.
class RecordStoreCore {
 public:
  RecordStoreCore(const RecordStoreCore&) = delete;
  RecordStoreCore& operator=(const RecordStoreCore&) = delete;

  // Scans sectors 0 and 1 and recovers from any interrupted Write, Erase,
  // Scrub, compaction or format: the sector with the valid header of the
  // highest generation is active, the other one is erased if it is not
  // blank, and a torn or unreadable tail is compacted away. A device with
  // no valid header (blank, garbage, another format) is formatted. May be
  // called again at any time (re-reads everything from flash).
  // kBadGeometry: fewer than 2 sectors, program_bytes not 1/2/4/8, a sector
  // not a whole number of program units, smaller than
  // kMinSectorBytes or larger than 2 GiB. kIndexFull: the flash holds more
  // keys than the index can (a store written with a larger kMaxKeys).
  // kFlashFailed: the device failed. Only success leaves the store mounted.
  base::Status Mount();

  // Copies the newest value of `key` into the front of `out` and sets
  // `size` to its length (0..kMaxValueBytes). kBufferTooSmall: `size` is
  // set to the needed length and `out` is untouched. Otherwise size = 0.
  base::Status Read(std::uint16_t key, std::span<std::uint8_t> out,
                    std::size_t& size) const;

  // Stores `value` (0..kMaxValueBytes bytes) as the newest value of `key`.
  // Atomic with respect to power loss: after a cut at any byte, Mount and
  // Read give either the old value (or kNotFound) or the new one. When the
  // active sector has no room, the live records and the new one are
  // compacted into the other sector, which becomes active.
  base::Status Write(std::uint16_t key, std::span<const std::uint8_t> value);

  // Removes `key` (atomic, like Write). Erasing an absent key succeeds.
  base::Status Erase(std::uint16_t key);

  // Erase, then programs every older copy of the key's value still on
  // flash, and the record's CRC, to zero bytes. For secrets. A cut
  // mid-scrub leaves a consistent store in which either the key still has
  // its newest value (scrub not committed; call Scrub again) or the key is
  // absent and Mount has finished zeroing every copy. Scrubbing an absent
  // key succeeds and still zeroes old copies (without that guarantee: a cut
  // then needs another Scrub).
  base::Status Scrub(std::uint16_t key);

  // Writes the keys present, ascending, to `out`; returns how many were
  // written (at most out.size(); a span of kMaxKeys always suffices).
  std::size_t Keys(std::span<std::uint16_t> out) const;

  // Number of keys present.
  std::size_t key_count() const { return count_; }
  std::size_t max_keys() const { return capacity_; }

  // Flash bytes one record with a value of `value_size` bytes takes (while
  // mounted; depends on program_bytes). A Write appends one such record,
  // an Erase one of size 0.
  std::size_t RecordFootprint(std::size_t value_size) const;

  const StoreStats& stats() const { return stats_; }
  bool mounted() const { return mounted_; }

  // The smallest sector that holds a sector header and one largest record.
  static constexpr std::size_t kMinSectorBytes = 96;

 protected:
  // One key's newest record in the active sector.
  struct IndexEntry {
    std::uint16_t key;
    std::uint8_t size;      // value length
    std::uint8_t reserved;  // keeps the entry 8 bytes
    std::uint32_t offset;   // record offset within the active sector
  };

  // `index` is storage for the index; its contents are only used after
  // Mount(), so a derived class may pass its not-yet-constructed member.
  RecordStoreCore(FlashDevice& flash, IndexEntry* index, std::size_t capacity)
      : flash_(flash), index_(index), capacity_(capacity) {}
  ~RecordStoreCore() = default;

 private:
  enum class Kind : std::uint8_t;
  struct ScanResult;

  bool ValidKey(std::uint16_t key) const {
    return key != 0x0000 && key != 0xFFFF;
  }
  std::size_t Align(std::size_t n) const {
    return (n + program_bytes_ - 1) & ~(program_bytes_ - 1);
  }
  std::size_t SectorBase(std::size_t sector) const {
    return sector * sector_bytes_;
  }

  // Index: sorted by key. LowerBound returns the first entry >= key.
  std::size_t LowerBound(std::uint16_t key) const;
  IndexEntry* Find(std::uint16_t key);
  const IndexEntry* Find(std::uint16_t key) const;
  IndexEntry* Insert(std::uint16_t key);  // requires room and key absent
  void Remove(std::uint16_t key);

  // Flash access that counts into stats_.
  base::Status Program(std::size_t offset, std::span<const std::uint8_t> data);
  base::Status EraseSector(std::size_t sector);
  // Reads [from, to) of `sector`: true when every byte is 0xFF.
  bool IsBlank(std::size_t sector, std::size_t from, std::size_t to,
               base::Status& status);

  // Reads the sector header: its generation when valid.
  bool ReadSectorHeader(std::size_t sector, std::uint32_t& generation,
                        base::Status& status);
  base::Status ProgramSectorHeader(std::size_t sector,
                                   std::uint32_t generation);
  // Replays the active sector's log into the index.
  // saw_scrub: the log holds a Scrub tombstone.
  base::Status ScanActive(bool& tail_usable, bool& saw_scrub);
  // Zeroes, for every Scrub tombstone, the copies of its key before it.
  base::Status FinishScrubs();
  base::Status Format();

  // Programs one record at `offset` (device offset): header, then value.
  base::Status ProgramRecord(std::size_t offset, std::uint16_t key, Kind kind,
                             std::span<const std::uint8_t> value);
  // Appends a record to the active sector (room checked by the caller).
  base::Status Append(std::uint16_t key, Kind kind,
                      std::span<const std::uint8_t> value);
  // Copies the live records into the other sector, except `pending_key`,
  // whose record is written from `pending_value` instead (when
  // has_pending), then commits with the new sector header and erases the
  // old sector.
  base::Status Compact(bool has_pending, std::uint16_t pending_key,
                       std::span<const std::uint8_t> pending_value);
  base::Status EraseImpl(std::uint16_t key, Kind kind);
  // Marks dead and zeroes the value records of `key` in [header, end) of
  // the active sector.
  base::Status ZeroOldCopies(std::uint16_t key, std::size_t end);

  // A flash operation failed: the RAM state may no longer match the flash.
  base::Status Fail();

  FlashDevice& flash_;
  IndexEntry* const index_;
  const std::size_t capacity_;
  std::size_t count_ = 0;

  std::size_t sector_bytes_ = 0;
  std::size_t program_bytes_ = 1;
  std::size_t active_ = 0;  // 0 or 1
  std::uint32_t generation_ = 0;
  std::size_t tail_ = 0;        // next free offset in the active sector
  std::size_t live_bytes_ = 0;  // sector header + live records
  bool mounted_ = false;
  StoreStats stats_;
};

template <std::size_t kMaxKeys>
class RecordStore : public RecordStoreCore {
 public:
  static_assert(kMaxKeys >= 1 && kMaxKeys <= 0xFFFE,
                "keys are 16-bit, two of them reserved");

  // Uses sectors 0 and 1 of `flash`; nothing else.
  explicit RecordStore(FlashDevice& flash)
      : RecordStoreCore(flash, index_storage_, kMaxKeys) {}

 private:
  IndexEntry index_storage_[kMaxKeys];
};

}  // namespace storage

#endif  // LIBS_STORAGE_PUBLIC_STORAGE_RECORD_STORE_H_
