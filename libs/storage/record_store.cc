#include "storage/record_store.h"

#include <cstring>

#include "base/byte_order.h"
#include "storage/crc32.h"

namespace storage {

// On-flash format (all integers little-endian; see README.md):
//
// Sector header, 16 bytes at the start of a sector, programmed LAST when a
// sector is formatted or filled by a compaction, so a sector with a valid
// header is always complete:
//   [0,4) magic  [4,8) generation  [8] format version  [9] program_bytes
//   [10,12) zero  [12,16) CRC-32 of [0,12)
//
// Records follow back to back from offset 16, each starting on a program
// unit:
//   [0,2) key  [2] value length  [3] kind  [4,8) CRC-32 of [0,4) + value
//   [8, 8 + align(length))            value, padded with 0xFF
//   [8 + align(length), + program_bytes)  dead flag: 0xFF while the record
//                                     may be live; zeroed by Scrub before
//                                     it zeroes the value and the CRC
// A record is programmed in one pass from its first byte to its last
// (header, then value); the dead flag stays erased. The log ends at the
// first record header that is all 0xFF.

namespace {

constexpr std::uint32_t kSectorMagic = 0x31545352;  // "RST1"
constexpr std::uint8_t kFormatVersion = 1;
constexpr std::size_t kSectorHeaderBytes = 16;
constexpr std::size_t kRecordHeaderBytes = 8;
constexpr std::size_t kMaxProgramBytes = 8;
constexpr std::size_t kScanChunkBytes = 64;

constexpr std::uint8_t kZeros[kMaxValueBytes] = {};

bool AllEqual(std::span<const std::uint8_t> bytes, std::uint8_t value) {
  for (const std::uint8_t b : bytes) {
    if (b != value) return false;
  }
  return true;
}

// Stack buffers that held record values (maybe secrets) are cleared before
// they go out of scope; volatile stores so the compiler cannot drop them.
void Wipe(std::span<std::uint8_t> bytes) {
  volatile std::uint8_t* p = bytes.data();
  for (std::size_t i = 0; i < bytes.size(); ++i) p[i] = 0;
}

// CRC of a record: its first four header bytes, then the value.
std::uint32_t RecordCrc(const std::uint8_t* header,
                        std::span<const std::uint8_t> value) {
  std::uint32_t state = Crc32Update(kCrc32Initial, {header, 4});
  return Crc32Final(Crc32Update(state, value));
}

// Later-than for generations, correct across the 32-bit wrap: the two
// sectors' generations differ by one.
bool Newer(std::uint32_t a, std::uint32_t b) {
  return static_cast<std::int32_t>(a - b) > 0;
}

}  // namespace

enum class RecordStoreCore::Kind : std::uint8_t {
  kValue = 0x56,      // 'V'
  kTombstone = 0x54,  // 'T': the key has no value from here on
  kScrubbed = 0x53,   // 'S': a tombstone written by Scrub: every older
                      // copy of the key is to be zeroed (Mount finishes
                      // the job if a cut interrupted it)
};

std::size_t RecordStoreCore::RecordFootprint(std::size_t value_size) const {
  return kRecordHeaderBytes + Align(value_size) + program_bytes_;
}

// --- Index ---------------------------------------------------------------

std::size_t RecordStoreCore::LowerBound(std::uint16_t key) const {
  std::size_t low = 0;
  std::size_t high = count_;
  while (low < high) {
    const std::size_t mid = (low + high) / 2;
    if (index_[mid].key < key) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return low;
}

const RecordStoreCore::IndexEntry* RecordStoreCore::Find(
    std::uint16_t key) const {
  const std::size_t i = LowerBound(key);
  return i < count_ && index_[i].key == key ? &index_[i] : nullptr;
}

RecordStoreCore::IndexEntry* RecordStoreCore::Find(std::uint16_t key) {
  const std::size_t i = LowerBound(key);
  return i < count_ && index_[i].key == key ? &index_[i] : nullptr;
}

RecordStoreCore::IndexEntry* RecordStoreCore::Insert(std::uint16_t key) {
  const std::size_t i = LowerBound(key);
  for (std::size_t j = count_; j > i; --j) index_[j] = index_[j - 1];
  ++count_;
  index_[i] = IndexEntry{key, 0, 0, 0};
  return &index_[i];
}

void RecordStoreCore::Remove(std::uint16_t key) {
  const std::size_t i = LowerBound(key);
  if (i >= count_ || index_[i].key != key) return;
  for (std::size_t j = i + 1; j < count_; ++j) index_[j - 1] = index_[j];
  --count_;
}

// --- Flash access ----------------------------------------------------------

base::Status RecordStoreCore::Program(std::size_t offset,
                                      std::span<const std::uint8_t> data) {
  stats_.bytes_programmed += data.size();
  return flash_.Program(offset, data);
}

base::Status RecordStoreCore::EraseSector(std::size_t sector) {
  ++stats_.sector_erases;
  return flash_.Erase(sector);
}

bool RecordStoreCore::IsBlank(std::size_t sector, std::size_t from,
                              std::size_t to, base::Status& status) {
  std::uint8_t chunk[kScanChunkBytes];
  const std::size_t base = SectorBase(sector);
  while (from < to) {
    const std::size_t n = to - from < sizeof chunk ? to - from : sizeof chunk;
    status = flash_.Read(base + from, {chunk, n});
    if (!status.ok()) return false;
    if (!AllEqual({chunk, n}, 0xFF)) return false;
    from += n;
  }
  status = base::OkStatus();
  return true;
}

base::Status RecordStoreCore::Fail() {
  mounted_ = false;
  count_ = 0;
  return StoreCode::kFlashFailed;
}

// --- Sector headers ----------------------------------------------------------

bool RecordStoreCore::ReadSectorHeader(std::size_t sector,
                                       std::uint32_t& generation,
                                       base::Status& status) {
  std::uint8_t h[kSectorHeaderBytes];
  status = flash_.Read(SectorBase(sector), h);
  if (!status.ok()) return false;
  if (base::LoadLe32(h) != kSectorMagic || h[8] != kFormatVersion ||
      h[9] != program_bytes_ || base::LoadLe32(h + 12) != Crc32({h, 12})) {
    return false;
  }
  generation = base::LoadLe32(h + 4);
  return true;
}

base::Status RecordStoreCore::ProgramSectorHeader(std::size_t sector,
                                                  std::uint32_t generation) {
  std::uint8_t h[kSectorHeaderBytes];
  base::StoreLe32(h, kSectorMagic);
  base::StoreLe32(h + 4, generation);
  h[8] = kFormatVersion;
  h[9] = static_cast<std::uint8_t>(program_bytes_);
  h[10] = 0;
  h[11] = 0;
  base::StoreLe32(h + 12, Crc32({h, 12}));
  return Program(SectorBase(sector), h);
}

// --- Mount -----------------------------------------------------------------

base::Status RecordStoreCore::Mount() {
  mounted_ = false;
  count_ = 0;
  const std::size_t sector_bytes = flash_.sector_bytes();
  const std::size_t program_bytes = flash_.program_bytes();
  if (flash_.sector_count() < 2 ||
      (program_bytes != 1 && program_bytes != 2 && program_bytes != 4 &&
       program_bytes != 8) ||
      sector_bytes % program_bytes != 0 || sector_bytes < kMinSectorBytes ||
      sector_bytes > 0x80000000u) {
    return StoreCode::kBadGeometry;
  }
  sector_bytes_ = sector_bytes;
  program_bytes_ = program_bytes;
  stats_.sector_bytes = sector_bytes;

  base::Status status;
  std::uint32_t generation0 = 0;
  std::uint32_t generation1 = 0;
  const bool valid0 = ReadSectorHeader(0, generation0, status);
  if (!status.ok()) return StoreCode::kFlashFailed;
  const bool valid1 = ReadSectorHeader(1, generation1, status);
  if (!status.ok()) return StoreCode::kFlashFailed;
  if (!valid0 && !valid1) return Format();

  // Both valid: a compaction committed its new sector but was cut before
  // (or while) erasing the old one. The newer one holds everything.
  if (valid0 && valid1) {
    active_ = Newer(generation1, generation0) ? 1 : 0;
  } else {
    active_ = valid1 ? 1 : 0;
  }
  generation_ = active_ == 0 ? generation0 : generation1;

  bool tail_usable = true;
  bool saw_scrub = false;
  const base::Status scan = ScanActive(tail_usable, saw_scrub);
  if (!scan.ok()) {
    count_ = 0;
    return scan;
  }

  // The other sector is an older generation or an interrupted compaction:
  // garbage either way, and the next compaction needs it blank.
  const std::size_t other = 1 - active_;
  const bool other_blank = IsBlank(other, 0, sector_bytes_, status);
  if (!status.ok()) return Fail();
  if (!other_blank && !EraseSector(other).ok()) return Fail();

  live_bytes_ = kSectorHeaderBytes;
  for (std::size_t i = 0; i < count_; ++i) {
    live_bytes_ += RecordFootprint(index_[i].size);
  }
  mounted_ = true;
  stats_.generation = generation_;
  stats_.used_bytes = tail_;

  // A torn record (or anything but erased bytes after the log) cannot be
  // appended after: start a clean sector with the live records.
  if (!tail_usable) return Compact(false, 0, {});
  // A scrub cut after its tombstone: finish zeroing (usually nothing left
  // to program; only reads).
  if (saw_scrub) return FinishScrubs();
  return base::OkStatus();
}

base::Status RecordStoreCore::FinishScrubs() {
  const std::size_t base = SectorBase(active_);
  for (std::size_t offset = kSectorHeaderBytes; offset < tail_;) {
    std::uint8_t h[kRecordHeaderBytes];
    if (!flash_.Read(base + offset, h).ok()) return Fail();
    if (static_cast<Kind>(h[3]) == Kind::kScrubbed) {
      const base::Status status =
          ZeroOldCopies(static_cast<std::uint16_t>(h[0] | h[1] << 8), offset);
      if (!status.ok()) return status;
    }
    offset += RecordFootprint(h[2]);
  }
  return base::OkStatus();
}

base::Status RecordStoreCore::ScanActive(bool& tail_usable, bool& saw_scrub) {
  const std::size_t base = SectorBase(active_);
  std::uint8_t value[kMaxValueBytes];
  std::size_t offset = kSectorHeaderBytes;
  base::Status result;
  tail_usable = true;
  saw_scrub = false;
  while (offset + kRecordHeaderBytes <= sector_bytes_) {
    std::uint8_t h[kRecordHeaderBytes];
    if (!flash_.Read(base + offset, h).ok()) {
      result = StoreCode::kFlashFailed;
      break;
    }
    if (AllEqual(h, 0xFF)) break;  // end of the log
    const std::uint16_t key = static_cast<std::uint16_t>(h[0] | h[1] << 8);
    const std::size_t size = h[2];
    const Kind kind = static_cast<Kind>(h[3]);
    const std::size_t footprint = RecordFootprint(size);
    const bool plausible =
        ValidKey(key) && size <= kMaxValueBytes &&
        (kind == Kind::kValue ||
         ((kind == Kind::kTombstone || kind == Kind::kScrubbed) &&
          size == 0)) &&
        footprint <= sector_bytes_ - offset;
    if (!plausible) {
      tail_usable = false;
      break;
    }
    std::uint8_t dead[kMaxProgramBytes];
    if (!flash_
             .Read(base + offset + kRecordHeaderBytes + Align(size),
                   {dead, program_bytes_})
             .ok()) {
      result = StoreCode::kFlashFailed;
      break;
    }
    // A scrubbed record: superseded by a tombstone further on (Scrub writes
    // that first), its value and CRC zeroed or being zeroed. Its header is
    // never touched, so its length still leads to the next record.
    if (!AllEqual({dead, program_bytes_}, 0xFF)) {
      offset += footprint;
      continue;
    }
    if (!flash_.Read(base + offset + kRecordHeaderBytes, {value, size}).ok()) {
      result = StoreCode::kFlashFailed;
      break;
    }
    if (RecordCrc(h, {value, size}) != base::LoadLe32(h + 4)) {
      tail_usable = false;  // torn by a power cut (or corrupted)
      break;
    }
    if (kind != Kind::kValue) {
      if (kind == Kind::kScrubbed) saw_scrub = true;
      Remove(key);
    } else {
      IndexEntry* entry = Find(key);
      if (entry == nullptr) {
        if (count_ == capacity_) {
          result = StoreCode::kIndexFull;
          break;
        }
        entry = Insert(key);
      }
      entry->size = static_cast<std::uint8_t>(size);
      entry->offset = static_cast<std::uint32_t>(offset);
    }
    offset += footprint;
  }
  Wipe(value);
  tail_ = offset;
  if (!result.ok()) return result;
  if (tail_usable) {
    base::Status status;
    tail_usable = IsBlank(active_, offset, sector_bytes_, status);
    if (!status.ok()) return StoreCode::kFlashFailed;
  }
  return base::OkStatus();
}

base::Status RecordStoreCore::Format() {
  for (std::size_t sector = 0; sector < 2; ++sector) {
    base::Status status;
    const bool blank = IsBlank(sector, 0, sector_bytes_, status);
    if (!status.ok()) return Fail();
    if (!blank && !EraseSector(sector).ok()) return Fail();
  }
  if (!ProgramSectorHeader(0, 1).ok()) return Fail();
  active_ = 0;
  generation_ = 1;
  tail_ = kSectorHeaderBytes;
  live_bytes_ = kSectorHeaderBytes;
  count_ = 0;
  mounted_ = true;
  stats_.generation = generation_;
  stats_.used_bytes = tail_;
  return base::OkStatus();
}

// --- Records ---------------------------------------------------------------

base::Status RecordStoreCore::ProgramRecord(
    std::size_t offset, std::uint16_t key, Kind kind,
    std::span<const std::uint8_t> value) {
  std::uint8_t h[kRecordHeaderBytes];
  h[0] = static_cast<std::uint8_t>(key);
  h[1] = static_cast<std::uint8_t>(key >> 8);
  h[2] = static_cast<std::uint8_t>(value.size());
  h[3] = static_cast<std::uint8_t>(kind);
  base::StoreLe32(h + 4, RecordCrc(h, value));
  // Header first, then the value in order: a cut leaves a prefix, which the
  // CRC rejects unless it equals the whole record.
  base::Status status = Program(offset, h);
  if (!status.ok()) return status;
  // Whole program units straight from the caller's buffer; the last partial
  // unit through a small padded copy.
  const std::size_t whole = value.size() & ~(program_bytes_ - 1);
  if (whole != 0) {
    status = Program(offset + kRecordHeaderBytes, value.first(whole));
    if (!status.ok()) return status;
  }
  const std::size_t rest = value.size() - whole;
  if (rest != 0) {
    std::uint8_t unit[kMaxProgramBytes];
    std::memset(unit, 0xFF, sizeof unit);
    std::memcpy(unit, value.data() + whole, rest);
    status =
        Program(offset + kRecordHeaderBytes + whole, {unit, program_bytes_});
    Wipe(unit);
  }
  return status;
}

base::Status RecordStoreCore::Append(std::uint16_t key, Kind kind,
                                     std::span<const std::uint8_t> value) {
  if (!ProgramRecord(SectorBase(active_) + tail_, key, kind, value).ok()) {
    return Fail();
  }
  tail_ += RecordFootprint(value.size());
  ++stats_.records_written;
  stats_.used_bytes = tail_;
  return base::OkStatus();
}

base::Status RecordStoreCore::Compact(
    bool has_pending, std::uint16_t pending_key,
    std::span<const std::uint8_t> pending_value) {
  const std::size_t target = 1 - active_;
  const std::size_t source_base = SectorBase(active_);
  const std::size_t target_base = SectorBase(target);
  std::size_t destination = kSectorHeaderBytes;
  std::size_t pending_slot = 0;
  std::size_t kept = 0;
  std::uint8_t record[kRecordHeaderBytes + kMaxValueBytes];
  // Index order is key order: the new sector's log is sorted, which costs
  // nothing and makes images easy to compare.
  for (std::size_t i = 0; i < count_; ++i) {
    IndexEntry entry = index_[i];
    if (has_pending && entry.key == pending_key) {
      pending_slot = kept;
      index_[kept++] = entry;
      continue;
    }
    const std::size_t bytes = kRecordHeaderBytes + Align(entry.size);
    if (!flash_.Read(source_base + entry.offset, {record, bytes}).ok()) {
      Wipe(record);
      return Fail();
    }
    // Copy only what still checks: a record corrupted since it was written
    // would otherwise end the new sector's log at mount, losing every
    // record copied after it.
    if (base::LoadLe32(record + 4) !=
        RecordCrc(record, {record + kRecordHeaderBytes, entry.size})) {
      ++stats_.corrupt_records_dropped;
      continue;
    }
    if (!Program(target_base + destination, {record, bytes}).ok()) {
      Wipe(record);
      return Fail();
    }
    entry.offset = static_cast<std::uint32_t>(destination);
    index_[kept++] = entry;
    destination += bytes + program_bytes_;
  }
  Wipe(record);
  count_ = kept;
  if (has_pending) {
    if (!ProgramRecord(target_base + destination, pending_key, Kind::kValue,
                       pending_value)
             .ok()) {
      return Fail();
    }
    index_[pending_slot].size = static_cast<std::uint8_t>(pending_value.size());
    index_[pending_slot].offset = static_cast<std::uint32_t>(destination);
    destination += RecordFootprint(pending_value.size());
    ++stats_.records_written;
  }
  // The commit point: until the header is complete, Mount ignores this
  // sector and the old one stays authoritative.
  if (!ProgramSectorHeader(target, generation_ + 1).ok()) {
    return Fail();
  }
  const std::size_t old = active_;
  active_ = target;
  ++generation_;
  tail_ = destination;
  live_bytes_ = destination;
  ++stats_.compactions;
  stats_.generation = generation_;
  stats_.used_bytes = tail_;
  // Erased now rather than before the next compaction: the next one then
  // starts at once, and superseded copies (maybe secrets) do not linger.
  if (!EraseSector(old).ok()) return Fail();
  return base::OkStatus();
}

// --- Public operations -----------------------------------------------------

base::Status RecordStoreCore::Read(std::uint16_t key,
                                   std::span<std::uint8_t> out,
                                   std::size_t& size) const {
  size = 0;
  if (!mounted_) [[unlikely]]
    return StoreCode::kNotMounted;
  if (!ValidKey(key)) [[unlikely]]
    return StoreCode::kBadKey;
  const IndexEntry* entry = Find(key);
  if (entry == nullptr) return StoreCode::kNotFound;
  if (out.size() < entry->size) [[unlikely]] {
    size = entry->size;
    return StoreCode::kBufferTooSmall;
  }
  if (!flash_
           .Read(SectorBase(active_) + entry->offset + kRecordHeaderBytes,
                 out.first(entry->size))
           .ok()) [[unlikely]] {
    return StoreCode::kFlashFailed;
  }
  size = entry->size;
  return base::OkStatus();
}

base::Status RecordStoreCore::Write(std::uint16_t key,
                                    std::span<const std::uint8_t> value) {
  if (!mounted_) return StoreCode::kNotMounted;
  if (!ValidKey(key)) return StoreCode::kBadKey;
  if (value.size() > kMaxValueBytes) return StoreCode::kTooLarge;
  IndexEntry* entry = Find(key);
  if (entry == nullptr && count_ == capacity_) return StoreCode::kIndexFull;
  const std::size_t footprint = RecordFootprint(value.size());
  const std::size_t old_footprint =
      entry == nullptr ? 0 : RecordFootprint(entry->size);

  if (footprint <= sector_bytes_ - tail_) {
    const std::size_t offset = tail_;
    const base::Status status = Append(key, Kind::kValue, value);
    if (!status.ok()) return status;
    if (entry == nullptr) entry = Insert(key);
    entry->size = static_cast<std::uint8_t>(value.size());
    entry->offset = static_cast<std::uint32_t>(offset);
    live_bytes_ += footprint - old_footprint;
    return base::OkStatus();
  }

  // No room: the live set, with the new value instead of the old, goes to
  // the other sector, and the new header commits both at once.
  if (live_bytes_ - old_footprint + footprint > sector_bytes_) {
    return StoreCode::kFull;
  }
  if (entry == nullptr) Insert(key);
  return Compact(true, key, value);
}

base::Status RecordStoreCore::EraseImpl(std::uint16_t key, Kind kind) {
  const IndexEntry* entry = Find(key);
  if (entry == nullptr) return base::OkStatus();
  const std::size_t old_footprint = RecordFootprint(entry->size);
  if (RecordFootprint(0) <= sector_bytes_ - tail_) {
    const base::Status status = Append(key, kind, {});
    if (!status.ok()) return status;
    Remove(key);
    live_bytes_ -= old_footprint;
    return base::OkStatus();
  }
  // No room for the tombstone: compacting without the key erases it.
  Remove(key);
  live_bytes_ -= old_footprint;
  return Compact(false, 0, {});
}

base::Status RecordStoreCore::Erase(std::uint16_t key) {
  if (!mounted_) return StoreCode::kNotMounted;
  if (!ValidKey(key)) return StoreCode::kBadKey;
  return EraseImpl(key, Kind::kTombstone);
}

base::Status RecordStoreCore::Scrub(std::uint16_t key) {
  if (!mounted_) return StoreCode::kNotMounted;
  if (!ValidKey(key)) return StoreCode::kBadKey;
  // The tombstone first: once copies are marked dead, Mount skips them, and
  // without a later tombstone an older copy would become the newest value.
  const base::Status status = EraseImpl(key, Kind::kScrubbed);
  if (!status.ok()) return status;
  return ZeroOldCopies(key, tail_);
}

base::Status RecordStoreCore::ZeroOldCopies(std::uint16_t key,
                                            std::size_t end) {
  // Only the active sector can hold copies: the other one is blank while
  // mounted (erased by every compaction and by Mount).
  const std::size_t base = SectorBase(active_);
  std::uint8_t value[kMaxValueBytes];
  std::size_t offset = kSectorHeaderBytes;
  base::Status result;
  while (offset < end) {
    std::uint8_t h[kRecordHeaderBytes];
    if (!flash_.Read(base + offset, h).ok()) {
      result = Fail();
      break;
    }
    const std::size_t size = h[2];
    // Mount checked every length, but the flash may have changed since
    // (bit rot, tampering): a length no record can have would overrun
    // `value` below and misplace every later record. Refuse like a failed
    // read; the next Mount judges the log again.
    if (size > kMaxValueBytes) {
      result = Fail();
      break;
    }
    const std::size_t footprint = RecordFootprint(size);
    const std::uint16_t record_key =
        static_cast<std::uint16_t>(h[0] | h[1] << 8);
    if (record_key != key || static_cast<Kind>(h[3]) != Kind::kValue) {
      offset += footprint;
      continue;
    }
    const std::size_t padded = Align(size);
    const std::size_t dead_offset = base + offset + kRecordHeaderBytes + padded;
    std::uint8_t dead[kMaxProgramBytes];
    if (!flash_.Read(dead_offset, {dead, program_bytes_}).ok() ||
        !flash_.Read(base + offset + kRecordHeaderBytes, {value, padded})
             .ok()) {
      result = Fail();
      break;
    }
    // Dead flag first: from then on Mount skips the record without checking
    // its CRC, so a cut while zeroing cannot look like a torn log.
    if (!AllEqual({dead, program_bytes_}, 0x00) &&
        !Program(dead_offset, {kZeros, program_bytes_}).ok()) {
      result = Fail();
      break;
    }
    // The CRC goes too: over a short value it would give the value away.
    if (!AllEqual({h + 4, 4}, 0x00) || !AllEqual({value, padded}, 0x00)) {
      h[4] = h[5] = h[6] = h[7] = 0;  // key, length, kind unchanged
      if (!Program(base + offset, h).ok() ||
          !Program(base + offset + kRecordHeaderBytes, {kZeros, padded}).ok()) {
        result = Fail();
        break;
      }
    }
    offset += footprint;
  }
  Wipe(value);
  return result;
}

std::size_t RecordStoreCore::Keys(std::span<std::uint16_t> out) const {
  if (!mounted_) return 0;
  const std::size_t n = count_ < out.size() ? count_ : out.size();
  for (std::size_t i = 0; i < n; ++i) out[i] = index_[i].key;
  return n;
}

}  // namespace storage
