// Functional tests of the record store: the API, its errors, formats and
// recovery from the images a power cut or foreign data can leave. Power
// cuts at every byte are in record_store_power_test.cc.
#include "storage/record_store.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <random>
#include <string_view>
#include <tuple>
#include <vector>

#include "base/status.h"
#include "gtest/gtest.h"
#include "storage/crc32.h"
#include "storage/ram_flash.h"
#include "test_util.h"

namespace storage {
namespace {

using testing::Bytes;
using testing::MakeValue;
using testing::Model;
using testing::ReadValue;
using testing::StoreMatches;

using Flash = RamFlash<512, 2, 4>;

bool AllBytes(std::span<const std::uint8_t> bytes, std::uint8_t value) {
  for (std::uint8_t b : bytes) {
    if (b != value) return false;
  }
  return true;
}

// The store's refusals are base::Status codes of the "store" domain.
static_assert(base::StatusCode<StoreCode>);
static_assert(CodeName(StoreCode::kNotFound) == "store.not_found");

TEST(RecordStoreTest, CodeNames) {
  constexpr StoreCode kCodes[] = {
      StoreCode::kNotMounted,     StoreCode::kNotFound,
      StoreCode::kBadKey,         StoreCode::kTooLarge,
      StoreCode::kBufferTooSmall, StoreCode::kFull,
      StoreCode::kIndexFull,      StoreCode::kFlashFailed,
      StoreCode::kBadGeometry};
  constexpr std::string_view kNames[] = {
      "store.not_mounted", "store.not_found",        "store.bad_key",
      "store.too_large",   "store.buffer_too_small", "store.full",
      "store.index_full",  "store.flash_failed",     "store.bad_geometry"};
  for (std::size_t i = 0; i < std::size(kCodes); ++i) {
    const base::Status status = kCodes[i];
    EXPECT_FALSE(status.ok());
    EXPECT_EQ(status.domain(), base::Domain::kStore);
    EXPECT_EQ(CodeName(kCodes[i]), kNames[i]);
    EXPECT_EQ(base::StatusName<StoreCode>(status), kNames[i]);
    for (std::size_t j = 0; j < i; ++j) EXPECT_NE(status, kCodes[j]);
  }
  // Same code number, other domain: not confused.
  EXPECT_NE(base::Status(FlashCode::kOutOfRange), StoreCode::kNotMounted);
}

TEST(RecordStoreTest, EverythingNeedsMount) {
  Flash flash;
  RecordStore<8> store(flash);
  EXPECT_FALSE(store.mounted());
  const Bytes v = MakeValue(1, 0, 4);
  std::uint8_t out[8];
  std::size_t size = 99;
  EXPECT_EQ(store.Read(1, out, size), StoreCode::kNotMounted);
  EXPECT_EQ(size, 0u);
  EXPECT_EQ(store.Write(1, v), StoreCode::kNotMounted);
  EXPECT_EQ(store.Erase(1), StoreCode::kNotMounted);
  EXPECT_EQ(store.Scrub(1), StoreCode::kNotMounted);
  std::uint16_t keys[8];
  EXPECT_EQ(store.Keys(keys), 0u);
  EXPECT_TRUE(AllBytes(flash.contents(), 0xFF));  // nothing written
  ASSERT_EQ(store.Mount(), base::OkStatus());
  EXPECT_TRUE(store.mounted());
  EXPECT_EQ(store.Write(1, v), base::OkStatus());
}

TEST(RecordStoreTest, BlankDeviceIsFormattedWithoutErasing) {
  Flash flash;
  RecordStore<8> store(flash);
  ASSERT_EQ(store.Mount(), base::OkStatus());
  EXPECT_EQ(store.key_count(), 0u);
  EXPECT_EQ(store.stats().generation, 1u);
  EXPECT_EQ(store.stats().used_bytes, 16u);
  EXPECT_EQ(store.stats().sector_bytes, 512u);
  EXPECT_EQ(flash.erases(0) + flash.erases(1), 0u);  // already blank
  EXPECT_EQ(flash.bytes_programmed(), 16u);          // the sector header
  // Mounting the formatted device again writes nothing.
  RecordStore<8> again(flash);
  ASSERT_EQ(again.Mount(), base::OkStatus());
  EXPECT_EQ(flash.bytes_programmed(), 16u);
  EXPECT_EQ(again.stats().generation, 1u);
}

TEST(RecordStoreTest, WriteReadOverwriteEraseKeys) {
  Flash flash;
  RecordStore<8> store(flash);
  ASSERT_EQ(store.Mount(), base::OkStatus());
  Model model;
  for (std::uint16_t key : {0x0300, 0x0001, 0xFFFE, 0x0042}) {
    model[key] = MakeValue(key, 0, key % 60);
    ASSERT_EQ(store.Write(key, model[key]), base::OkStatus());
  }
  EXPECT_TRUE(StoreMatches(store, model));
  model[0x0042] = MakeValue(0x0042, 1, 12);
  ASSERT_EQ(store.Write(0x0042, model[0x0042]), base::OkStatus());
  EXPECT_TRUE(StoreMatches(store, model));

  ASSERT_EQ(store.Erase(0x0300), base::OkStatus());
  model.erase(0x0300);
  EXPECT_EQ(ReadValue(store, 0x0300), std::nullopt);
  EXPECT_TRUE(StoreMatches(store, model));
  EXPECT_EQ(store.Erase(0x0300), base::OkStatus());  // idempotent
  EXPECT_EQ(store.Erase(0x0777), base::OkStatus());  // never written

  std::uint16_t keys[8];
  ASSERT_EQ(store.Keys(keys), 3u);
  EXPECT_EQ(keys[0], 0x0001);
  EXPECT_EQ(keys[1], 0x0042);
  EXPECT_EQ(keys[2], 0xFFFE);
  std::uint16_t two[2];
  EXPECT_EQ(store.Keys(two), 2u);  // truncated to the span
  EXPECT_EQ(two[1], 0x0042);

  RecordStore<8> remounted(flash);
  ASSERT_EQ(remounted.Mount(), base::OkStatus());
  EXPECT_TRUE(StoreMatches(remounted, model));
}

TEST(RecordStoreTest, EmptyValueIsAValue) {
  Flash flash;
  RecordStore<8> store(flash);
  ASSERT_EQ(store.Mount(), base::OkStatus());
  ASSERT_EQ(store.Write(5, {}), base::OkStatus());
  std::uint8_t out[1];
  std::size_t size = 7;
  EXPECT_EQ(store.Read(5, std::span(out, 0), size), base::OkStatus());
  EXPECT_EQ(size, 0u);
  EXPECT_EQ(store.Read(6, out, size), StoreCode::kNotFound);
  RecordStore<8> remounted(flash);
  ASSERT_EQ(remounted.Mount(), base::OkStatus());
  EXPECT_EQ(remounted.Read(5, out, size), base::OkStatus());
  EXPECT_EQ(size, 0u);
}

TEST(RecordStoreTest, RefusesReservedKeys) {
  Flash flash;
  RecordStore<8> store(flash);
  ASSERT_EQ(store.Mount(), base::OkStatus());
  const Bytes v = MakeValue(1, 0, 4);
  std::uint8_t out[8];
  std::size_t size;
  for (std::uint16_t key : {0x0000, 0xFFFF}) {
    EXPECT_EQ(store.Write(key, v), StoreCode::kBadKey);
    EXPECT_EQ(store.Read(key, out, size), StoreCode::kBadKey);
    EXPECT_EQ(store.Erase(key), StoreCode::kBadKey);
    EXPECT_EQ(store.Scrub(key), StoreCode::kBadKey);
  }
  EXPECT_EQ(flash.bytes_programmed(), 16u);
}

TEST(RecordStoreTest, ValueSizeLimitAndShortBuffer) {
  Flash flash;
  RecordStore<8> store(flash);
  ASSERT_EQ(store.Mount(), base::OkStatus());
  const Bytes big = MakeValue(1, 0, kMaxValueBytes + 1);
  EXPECT_EQ(store.Write(1, big), StoreCode::kTooLarge);
  const Bytes max = MakeValue(1, 0, kMaxValueBytes);
  ASSERT_EQ(store.Write(1, max), base::OkStatus());
  EXPECT_EQ(ReadValue(store, 1), max);

  std::uint8_t small[10];
  std::fill(std::begin(small), std::end(small), 0xEE);
  std::size_t size = 0;
  EXPECT_EQ(store.Read(1, small, size), StoreCode::kBufferTooSmall);
  EXPECT_EQ(size, kMaxValueBytes);
  EXPECT_TRUE(AllBytes(small, 0xEE));  // untouched
}

TEST(RecordStoreTest, StatsFollowTheFlash) {
  Flash flash;
  RecordStore<8> store(flash);
  ASSERT_EQ(store.Mount(), base::OkStatus());
  std::size_t used = 16;
  for (std::uint32_t i = 0; i < 10; ++i) {
    const Bytes v = MakeValue(7, i, 12);
    ASSERT_EQ(store.Write(7, v), base::OkStatus());
    used += store.RecordFootprint(12);
  }
  ASSERT_EQ(store.Erase(7), base::OkStatus());
  used += store.RecordFootprint(0);
  EXPECT_EQ(store.RecordFootprint(12), 8u + 12u + 4u);
  EXPECT_EQ(store.RecordFootprint(0), 8u + 4u);
  EXPECT_EQ(store.RecordFootprint(13), 8u + 16u + 4u);
  EXPECT_EQ(store.stats().records_written, 11u);
  EXPECT_EQ(store.stats().used_bytes, used);
  EXPECT_EQ(store.stats().bytes_programmed, flash.bytes_programmed());
  EXPECT_EQ(store.stats().compactions, 0u);
  EXPECT_EQ(store.stats().sector_erases, 0u);
  // A write programs the header and the value, never the dead flag.
  const std::uint64_t before = flash.bytes_programmed();
  ASSERT_EQ(store.Write(7, MakeValue(7, 99, 12)), base::OkStatus());
  EXPECT_EQ(flash.bytes_programmed() - before, 20u);
}

TEST(RecordStoreTest, CompactionAlternatesSectorsAndKeepsLiveSet) {
  Flash flash;
  RecordStore<8> store(flash);
  ASSERT_EQ(store.Mount(), base::OkStatus());
  Model model;
  for (std::uint16_t key = 1; key <= 4; ++key) {
    model[key] = MakeValue(key, 0, 20);
    ASSERT_EQ(store.Write(key, model[key]), base::OkStatus());
  }
  std::uint32_t generation = store.stats().generation;
  std::uint64_t compactions = 0;
  for (std::uint32_t i = 1; i < 400; ++i) {
    model[9] = MakeValue(9, i, 1 + i % 40);
    const std::size_t used = store.stats().used_bytes;
    const bool must_compact =
        used + store.RecordFootprint(model[9].size()) > 512;
    ASSERT_EQ(store.Write(9, model[9]), base::OkStatus());
    if (must_compact) {
      ++compactions;
      EXPECT_EQ(store.stats().generation, ++generation);
      // The new sector holds exactly the live records.
      std::size_t live = 16;
      for (const auto& [key, value] : model) {
        live += store.RecordFootprint(value.size());
      }
      EXPECT_EQ(store.stats().used_bytes, live);
    } else {
      EXPECT_EQ(store.stats().generation, generation);
    }
  }
  EXPECT_TRUE(StoreMatches(store, model));
  EXPECT_GT(compactions, 10u);
  EXPECT_EQ(store.stats().compactions, compactions);
  // Each compaction erases the sector it left: wear alternates.
  EXPECT_EQ(store.stats().sector_erases, compactions);
  EXPECT_EQ(flash.erases(0) + flash.erases(1), compactions);
  EXPECT_LE(flash.erases(0) > flash.erases(1)
                ? flash.erases(0) - flash.erases(1)
                : flash.erases(1) - flash.erases(0),
            1u);
  RecordStore<8> remounted(flash);
  ASSERT_EQ(remounted.Mount(), base::OkStatus());
  EXPECT_TRUE(StoreMatches(remounted, model));
  EXPECT_EQ(remounted.stats().generation, generation);
}

TEST(RecordStoreTest, FullWhenTheLiveSetCannotFitOneSector) {
  RamFlash<256, 2, 4> flash;
  RecordStore<8> store(flash);
  ASSERT_EQ(store.Mount(), base::OkStatus());
  // 16 + 3 x (8 + 64 + 4) = 244 bytes fit in 256; a fourth does not.
  Model model;
  for (std::uint16_t key = 1; key <= 3; ++key) {
    model[key] = MakeValue(key, 0, 64);
    ASSERT_EQ(store.Write(key, model[key]), base::OkStatus());
  }
  const std::uint64_t programmed = flash.bytes_programmed();
  EXPECT_EQ(store.Write(4, MakeValue(4, 0, 64)), StoreCode::kFull);
  EXPECT_EQ(store.Write(4, MakeValue(4, 0, 9)), StoreCode::kFull);
  EXPECT_EQ(flash.bytes_programmed(), programmed);  // refused up front
  EXPECT_TRUE(StoreMatches(store, model));
  // Replacing a value with one of the same size still fits (compaction).
  for (std::uint32_t i = 1; i <= 6; ++i) {
    model[2] = MakeValue(2, i, 64);
    ASSERT_EQ(store.Write(2, model[2]), base::OkStatus());
    EXPECT_TRUE(StoreMatches(store, model));
  }
  EXPECT_GE(store.stats().compactions, 6u);
  // Smaller values make room.
  model[3] = MakeValue(3, 1, 4);
  ASSERT_EQ(store.Write(3, model[3]), base::OkStatus());
  model[4] = MakeValue(4, 1, 40);
  ASSERT_EQ(store.Write(4, model[4]), base::OkStatus());
  RecordStore<8> remounted(flash);
  ASSERT_EQ(remounted.Mount(), base::OkStatus());
  EXPECT_TRUE(StoreMatches(remounted, model));
}

TEST(RecordStoreTest, IndexFull) {
  Flash flash;
  RecordStore<2> store(flash);
  ASSERT_EQ(store.Mount(), base::OkStatus());
  EXPECT_EQ(store.max_keys(), 2u);
  ASSERT_EQ(store.Write(10, MakeValue(10, 0, 3)), base::OkStatus());
  ASSERT_EQ(store.Write(20, MakeValue(20, 0, 3)), base::OkStatus());
  EXPECT_EQ(store.Write(30, MakeValue(30, 0, 3)), StoreCode::kIndexFull);
  EXPECT_EQ(store.Write(10, MakeValue(10, 1, 3)), base::OkStatus());
  ASSERT_EQ(store.Erase(20), base::OkStatus());
  EXPECT_EQ(store.Write(30, MakeValue(30, 0, 3)), base::OkStatus());
  EXPECT_EQ(ReadValue(store, 30), MakeValue(30, 0, 3));
  EXPECT_EQ(store.key_count(), 2u);

  // A store with a bigger index wrote three keys: a 2-key index cannot
  // mount it (instead of silently dropping one).
  ASSERT_EQ(store.Erase(30), base::OkStatus());
  RecordStore<4> big(flash);
  ASSERT_EQ(big.Mount(), base::OkStatus());
  for (std::uint16_t key : {40, 50, 60}) {
    ASSERT_EQ(big.Write(key, MakeValue(key, 0, 3)), base::OkStatus());
  }
  RecordStore<2> small(flash);
  EXPECT_EQ(small.Mount(), StoreCode::kIndexFull);
  EXPECT_FALSE(small.mounted());
  EXPECT_EQ(small.Write(10, MakeValue(10, 0, 3)), StoreCode::kNotMounted);
}

// A device with a geometry the format cannot use.
class OddDevice final : public FlashDevice {
 public:
  OddDevice(std::size_t sector_bytes, std::size_t count, std::size_t program)
      : sector_bytes_(sector_bytes), count_(count), program_(program) {}
  std::size_t sector_bytes() const override { return sector_bytes_; }
  std::size_t sector_count() const override { return count_; }
  std::size_t program_bytes() const override { return program_; }
  base::Status Read(std::size_t, std::span<std::uint8_t>) override {
    ++calls;
    return base::OkStatus();
  }
  base::Status Program(std::size_t, std::span<const std::uint8_t>) override {
    ++calls;
    return base::OkStatus();
  }
  base::Status Erase(std::size_t) override {
    ++calls;
    return base::OkStatus();
  }
  int calls = 0;

 private:
  std::size_t sector_bytes_, count_, program_;
};

TEST(RecordStoreTest, BadGeometry) {
  {
    RamFlash<64, 2, 4> tiny;  // smaller than a header and one full record
    RecordStore<4> store(tiny);
    EXPECT_EQ(store.Mount(), StoreCode::kBadGeometry);
  }
  {
    RamFlash<512, 1, 4> one_sector;
    RecordStore<4> store(one_sector);
    EXPECT_EQ(store.Mount(), StoreCode::kBadGeometry);
  }
  for (const OddDevice& odd : {OddDevice(512, 2, 3), OddDevice(512, 2, 16),
                               OddDevice(510, 2, 4), OddDevice(512, 2, 0)}) {
    OddDevice device = odd;
    RecordStore<4> store(device);
    EXPECT_EQ(store.Mount(), StoreCode::kBadGeometry);
    EXPECT_EQ(device.calls, 0);
    EXPECT_FALSE(store.mounted());
  }
  RamFlash<96, 2, 8> smallest;
  RecordStore<4> store(smallest);
  EXPECT_EQ(store.Mount(), base::OkStatus());
  const Bytes v = MakeValue(3, 0, 64);
  EXPECT_EQ(store.Write(3, v), base::OkStatus());
  EXPECT_EQ(store.Write(3, v), base::OkStatus());  // compacts
  EXPECT_EQ(ReadValue(store, 3), v);
}

// Programs pseudo-random bytes over sectors [first, last].
template <typename F>
void FillWithGarbage(F& flash, std::size_t first, std::size_t last,
                     std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uint8_t chunk[8];
  for (std::size_t offset = first * flash.sector_bytes();
       offset < (last + 1) * flash.sector_bytes(); offset += sizeof chunk) {
    for (auto& b : chunk) b = static_cast<std::uint8_t>(rng());
    ASSERT_EQ(flash.Program(offset, chunk), base::OkStatus());
  }
}

TEST(RecordStoreTest, GarbageDeviceIsFormatted) {
  for (std::uint32_t seed = 1; seed <= 5; ++seed) {
    Flash flash;
    FillWithGarbage(flash, 0, 1, seed);
    RecordStore<8> store(flash);
    ASSERT_EQ(store.Mount(), base::OkStatus());
    EXPECT_EQ(store.key_count(), 0u);
    EXPECT_EQ(flash.erases(0), 1u);
    EXPECT_EQ(flash.erases(1), 1u);
    EXPECT_TRUE(AllBytes(flash.contents().subspan(512), 0xFF));
    const Bytes v = MakeValue(8, 0, 30);
    ASSERT_EQ(store.Write(8, v), base::OkStatus());
    RecordStore<8> remounted(flash);
    ASSERT_EQ(remounted.Mount(), base::OkStatus());
    EXPECT_TRUE(StoreMatches(remounted, Model{{8, v}}));
  }
}

// A valid store in one sector and garbage (an interrupted compaction, say)
// in the other: the garbage is erased, the data kept.
TEST(RecordStoreTest, GarbageInTheOtherSectorIsErased) {
  Flash flash;
  Model model;
  {
    RecordStore<8> store(flash);
    ASSERT_EQ(store.Mount(), base::OkStatus());
    for (std::uint16_t key = 1; key <= 5; ++key) {
      model[key] = MakeValue(key, 0, 10 * key);
      ASSERT_EQ(store.Write(key, model[key]), base::OkStatus());
    }
  }
  FillWithGarbage(flash, 1, 1, 77);
  RecordStore<8> store(flash);
  ASSERT_EQ(store.Mount(), base::OkStatus());
  EXPECT_TRUE(StoreMatches(store, model));
  EXPECT_EQ(flash.erases(1), 1u);
  EXPECT_TRUE(AllBytes(flash.contents().subspan(512), 0xFF));
  EXPECT_EQ(store.stats().generation, 1u);
}

// Interrupted after the new sector's header was programmed and before the
// old sector was erased: both headers are valid, the newer one wins.
TEST(RecordStoreTest, BothHeadersValidTakesTheNewerGeneration) {
  Flash base;
  Model model;
  {
    RecordStore<8> store(base);
    ASSERT_EQ(store.Mount(), base::OkStatus());
    for (std::uint32_t i = 0;
         store.stats().used_bytes + store.RecordFootprint(30) <= 512; ++i) {
      const std::uint16_t key = static_cast<std::uint16_t>(1 + i % 4);
      model[key] = MakeValue(key, i, 30);
      ASSERT_EQ(store.Write(key, model[key]), base::OkStatus());
    }
    ASSERT_EQ(store.stats().compactions, 0u);
  }
  const Bytes new_value = MakeValue(2, 1000, 30);
  // How many bytes the compacting write programs before its erase.
  std::uint64_t before_erase = 0;
  {
    Flash probe = base;
    RecordStore<8> store(probe);
    ASSERT_EQ(store.Mount(), base::OkStatus());
    const std::uint64_t start = probe.bytes_programmed();
    ASSERT_EQ(store.Write(2, new_value), base::OkStatus());
    ASSERT_EQ(store.stats().compactions, 1u);
    before_erase = probe.bytes_programmed() - start;
  }
  Flash flash = base;
  {
    RecordStore<8> store(flash);
    ASSERT_EQ(store.Mount(), base::OkStatus());
    flash.CutPowerAfter(before_erase);  // the erase's first byte is cut
    EXPECT_EQ(store.Write(2, new_value), StoreCode::kFlashFailed);
    flash.RestorePower();
  }
  model[2] = new_value;
  const auto image = flash.contents();
  // Both sectors start with a header: same magic and version, generation 1
  // in sector 0 and 2 in sector 1.
  EXPECT_TRUE(
      std::equal(image.begin(), image.begin() + 4, image.begin() + 512));
  EXPECT_EQ(image[4], 1);
  EXPECT_EQ(image[512 + 4], 2);
  RecordStore<8> store(flash);
  ASSERT_EQ(store.Mount(), base::OkStatus());
  EXPECT_TRUE(StoreMatches(store, model));
  EXPECT_EQ(store.stats().generation, 2u);
  EXPECT_TRUE(AllBytes(image.first(512), 0xFF));  // the older one erased
}

// The sector header of `generation` in this store's format (tests only).
Bytes SectorHeader(std::uint32_t generation, std::uint8_t program_bytes) {
  Bytes h = {'R',
             'S',
             'T',
             '1',
             static_cast<std::uint8_t>(generation),
             static_cast<std::uint8_t>(generation >> 8),
             static_cast<std::uint8_t>(generation >> 16),
             static_cast<std::uint8_t>(generation >> 24),
             1,
             program_bytes,
             0,
             0};
  const std::uint32_t crc = Crc32(h);
  for (int i = 0; i < 4; ++i)
    h.push_back(static_cast<std::uint8_t>(crc >> (8 * i)));
  return h;
}

// Generations compare as serial numbers: 0 follows 0xFFFFFFFF.
TEST(RecordStoreTest, GenerationComparisonSurvivesWrap) {
  // Two single-record logs, made by the store itself (records do not
  // depend on where they are or on the generation).
  Flash old_log, new_log;
  for (auto* f : {&old_log, &new_log}) {
    RecordStore<8> store(*f);
    ASSERT_EQ(store.Mount(), base::OkStatus());
    ASSERT_EQ(store.Write(1, MakeValue(1, f == &new_log, 8)), base::OkStatus());
  }
  ASSERT_EQ(SectorHeader(1, 4),
            Bytes(old_log.contents().begin(), old_log.contents().begin() + 16))
      << "the test's header encoding is out of date";
  for (const auto& [gen0, gen1, newer] :
       {std::tuple{0xFFFFFFFFu, 0u, 1}, std::tuple{0u, 0xFFFFFFFFu, 0},
        std::tuple{7u, 8u, 1}, std::tuple{8u, 7u, 0}}) {
    Flash flash;
    const std::uint32_t gens[2] = {gen0, gen1};
    for (std::size_t s = 0; s < 2; ++s) {
      const Flash& log = static_cast<int>(s) == newer ? new_log : old_log;
      ASSERT_EQ(flash.Program(s * 512 + 16, log.contents().subspan(16, 496)),
                base::OkStatus());
      ASSERT_EQ(flash.Program(s * 512, SectorHeader(gens[s], 4)),
                base::OkStatus());
    }
    RecordStore<8> store(flash);
    ASSERT_EQ(store.Mount(), base::OkStatus());
    EXPECT_EQ(ReadValue(store, 1), MakeValue(1, 1, 8)) << gen0 << " " << gen1;
    EXPECT_EQ(store.stats().generation, gens[newer]);
  }
}

// A header written for another program size is another format: formatted.
TEST(RecordStoreTest, HeaderOfAnotherProgramSizeIsNotTrusted) {
  RamFlash<512, 2, 8> flash;
  ASSERT_EQ(flash.Program(0, SectorHeader(5, 4)), base::OkStatus());
  RecordStore<8> store(flash);
  ASSERT_EQ(store.Mount(), base::OkStatus());
  EXPECT_EQ(store.stats().generation, 1u);
  EXPECT_EQ(flash.erases(0), 1u);
}

// Only sectors 0 and 1 are ever touched.
TEST(RecordStoreTest, LeavesOtherSectorsAlone) {
  RamFlash<128, 4, 2> flash;
  const std::uint8_t pattern[4] = {0x12, 0x34, 0x56, 0x78};
  for (std::size_t o = 256; o < 512; o += 4) {
    ASSERT_EQ(flash.Program(o, pattern), base::OkStatus());
  }
  RecordStore<8> store(flash);
  ASSERT_EQ(store.Mount(), base::OkStatus());
  for (std::uint32_t i = 0; i < 200; ++i) {
    const std::uint16_t key = static_cast<std::uint16_t>(1 + i % 3);
    ASSERT_EQ(store.Write(key, MakeValue(key, i, i % 20)), base::OkStatus());
  }
  ASSERT_EQ(store.Scrub(2), base::OkStatus());
  EXPECT_GT(store.stats().compactions, 10u);
  EXPECT_EQ(flash.erases(2) + flash.erases(3), 0u);
  for (std::size_t o = 256; o < 512; o += 4) {
    ASSERT_TRUE(std::equal(pattern, pattern + 4, flash.contents().begin() + o));
  }
}

// A record corrupted after it was written (bit flips in a value) is not
// copied by the next compaction; everything else survives.
TEST(RecordStoreTest, CompactionDropsACorruptedRecord) {
  Flash flash;
  RecordStore<8> store(flash);
  ASSERT_EQ(store.Mount(), base::OkStatus());
  Model model;
  for (std::uint16_t key = 1; key <= 3; ++key) {
    model[key] = MakeValue(key, 0, 16);
    ASSERT_EQ(store.Write(key, model[key]), base::OkStatus());
  }
  // Key 2's value starts at 16 + 28 + 8 (P = 4: 28-byte records).
  const std::uint8_t flip[4] = {0xFE, 0xFF, 0xFF, 0xFF};
  ASSERT_EQ(flash.Program(16 + 28 + 8, flip), base::OkStatus());
  std::uint32_t i = 0;
  while (store.stats().compactions == 0) {
    model[3] = MakeValue(3, ++i, 16);
    ASSERT_EQ(store.Write(3, model[3]), base::OkStatus());
  }
  model.erase(2);
  EXPECT_EQ(store.stats().corrupt_records_dropped, 1u);
  EXPECT_TRUE(StoreMatches(store, model));
  RecordStore<8> remounted(flash);
  ASSERT_EQ(remounted.Mount(), base::OkStatus());
  EXPECT_TRUE(StoreMatches(remounted, model));
}

TEST(RecordStoreTest, ScrubRemovesEveryCopyFromTheImage) {
  Flash flash;
  RecordStore<8> store(flash);
  ASSERT_EQ(store.Mount(), base::OkStatus());
  Model model;
  for (std::uint16_t key = 1; key <= 3; ++key) {
    model[key] = MakeValue(key, 0, 24);
    ASSERT_EQ(store.Write(key, model[key]), base::OkStatus());
  }
  std::vector<Bytes> secrets;
  for (std::uint32_t v = 0; v < 4; ++v) {
    secrets.push_back(MakeValue(0x5EC, v, 16 + v));
    ASSERT_EQ(store.Write(0x5EC, secrets.back()), base::OkStatus());
    ASSERT_EQ(store.Write(2, model[2] = MakeValue(2, v + 1, 24)),
              base::OkStatus());
  }
  // The scan can see them before.
  for (const Bytes& s : secrets) {
    ASSERT_TRUE(testing::ContainsAnyWindow(flash.contents(), s, 4));
  }
  ASSERT_EQ(store.Scrub(0x5EC), base::OkStatus());
  for (const Bytes& s : secrets) {
    EXPECT_FALSE(testing::ContainsAnyWindow(flash.contents(), s, 4));
  }
  EXPECT_EQ(ReadValue(store, 0x5EC), std::nullopt);
  EXPECT_TRUE(StoreMatches(store, model));
  EXPECT_EQ(store.Scrub(0x5EC), base::OkStatus());  // again: nothing to do
  EXPECT_EQ(store.Scrub(0x777), base::OkStatus());  // never written
  RecordStore<8> remounted(flash);
  ASSERT_EQ(remounted.Mount(), base::OkStatus());
  EXPECT_TRUE(StoreMatches(remounted, model));
  // The store keeps working over scrubbed records, through compactions.
  for (std::uint32_t v = 0; v < 60; ++v) {
    ASSERT_EQ(remounted.Write(3, model[3] = MakeValue(3, v, 24)),
              base::OkStatus());
  }
  EXPECT_GT(remounted.stats().compactions, 0u);
  EXPECT_TRUE(StoreMatches(remounted, model));
}

// The flash changed under a mounted store (bit rot, tampering): a record's
// length byte now says more than a value can hold. Scrub must not size its
// copy of the value by it; it refuses and unmounts, and the next Mount ends
// the log at that record.
TEST(RecordStoreTest, ScrubRefusesALengthCorruptedWhileMounted) {
  Flash flash;
  RecordStore<8> store(flash);
  ASSERT_EQ(store.Mount(), base::OkStatus());
  const Bytes kept = MakeValue(1, 0, 5);
  ASSERT_EQ(store.Write(1, kept), base::OkStatus());
  ASSERT_EQ(store.Write(0x5EC, MakeValue(0x5EC, 0, 16)), base::OkStatus());
  // Key 0x5EC's record follows key 1's (16 + 20 with P = 4); its length
  // is byte 2. NOR only clears bits, so the sector is rewritten whole.
  std::vector<std::uint8_t> sector(flash.contents().begin(),
                                   flash.contents().begin() + 512);
  sector[16 + 20 + 2] = 200;
  ASSERT_EQ(flash.Erase(0), base::OkStatus());
  ASSERT_EQ(flash.Program(0, sector), base::OkStatus());

  EXPECT_EQ(store.Scrub(0x5EC), StoreCode::kFlashFailed);
  EXPECT_FALSE(store.mounted());
  RecordStore<8> remounted(flash);
  ASSERT_EQ(remounted.Mount(), base::OkStatus());
  EXPECT_TRUE(StoreMatches(remounted, Model{{1, kept}}));
}

// Cut right after Scrub's tombstone: the next Mount zeroes the copies.
TEST(RecordStoreTest, MountFinishesAnInterruptedScrub) {
  Flash flash;
  const Bytes secret_a = MakeValue(0x5EC, 1, 16);
  const Bytes secret_b = MakeValue(0x5EC, 2, 16);
  {
    RecordStore<8> store(flash);
    ASSERT_EQ(store.Mount(), base::OkStatus());
    ASSERT_EQ(store.Write(0x5EC, secret_a), base::OkStatus());
    ASSERT_EQ(store.Write(1, MakeValue(1, 0, 5)), base::OkStatus());
    ASSERT_EQ(store.Write(0x5EC, secret_b), base::OkStatus());
    flash.CutPowerAfter(8);  // the tombstone's header, nothing more
    ASSERT_EQ(store.Scrub(0x5EC), StoreCode::kFlashFailed);
    flash.RestorePower();
  }
  ASSERT_TRUE(testing::ContainsAnyWindow(flash.contents(), secret_a, 4));
  ASSERT_TRUE(testing::ContainsAnyWindow(flash.contents(), secret_b, 4));
  RecordStore<8> store(flash);
  ASSERT_EQ(store.Mount(), base::OkStatus());
  EXPECT_EQ(ReadValue(store, 0x5EC), std::nullopt);
  EXPECT_FALSE(testing::ContainsAnyWindow(flash.contents(), secret_a, 4));
  EXPECT_FALSE(testing::ContainsAnyWindow(flash.contents(), secret_b, 4));
  EXPECT_EQ(store.stats().compactions, 0u);  // zeroed in place
  EXPECT_TRUE(StoreMatches(store, Model{{1, MakeValue(1, 0, 5)}}));
  // A plain Erase leaves copies (only Scrub zeroes them).
  const Bytes plain = MakeValue(2, 0, 16);
  ASSERT_EQ(store.Write(2, plain), base::OkStatus());
  ASSERT_EQ(store.Erase(2), base::OkStatus());
  EXPECT_TRUE(testing::ContainsAnyWindow(flash.contents(), plain, 4));
  ASSERT_EQ(store.Scrub(2), base::OkStatus());  // absent key: still zeroes
  EXPECT_FALSE(testing::ContainsAnyWindow(flash.contents(), plain, 4));
}

// A torn write is compacted away at mount; the records before it stay.
TEST(RecordStoreTest, TornTailIsCompactedAtMount) {
  Flash flash;
  Model model;
  {
    RecordStore<8> store(flash);
    ASSERT_EQ(store.Mount(), base::OkStatus());
    for (std::uint16_t key = 1; key <= 5; ++key) {
      model[key] = MakeValue(key, 0, 20);
      ASSERT_EQ(store.Write(key, model[key]), base::OkStatus());
    }
    flash.CutPowerAfter(13);  // in the middle of the next value
    ASSERT_EQ(store.Write(6, MakeValue(6, 0, 20)), StoreCode::kFlashFailed);
    flash.RestorePower();
  }
  RecordStore<8> store(flash);
  ASSERT_EQ(store.Mount(), base::OkStatus());
  EXPECT_TRUE(StoreMatches(store, model));
  EXPECT_EQ(store.stats().compactions, 1u);
  EXPECT_EQ(store.stats().generation, 2u);
  model[6] = MakeValue(6, 1, 20);
  ASSERT_EQ(store.Write(6, model[6]), base::OkStatus());
  RecordStore<8> remounted(flash);
  ASSERT_EQ(remounted.Mount(), base::OkStatus());
  EXPECT_TRUE(StoreMatches(remounted, model));
}

}  // namespace
}  // namespace storage
