// Randomized model test: random Writes, Erases, Scrubs, Reads and remounts
// against a std::map, with power cuts at random byte counts (sometimes
// during the recovery Mount as well). Seeded, so every run does the same.
#include <cstdint>
#include <cstdio>
#include <optional>
#include <random>

#include "gtest/gtest.h"
#include "storage/ram_flash.h"
#include "storage/record_store.h"
#include "test_util.h"

namespace storage {
namespace {

using testing::Bytes;
using testing::MakeValue;
using testing::Model;
using testing::ReadValue;
using testing::StoreMatches;

#if defined(__arm__)
constexpr int kOperations = 1500;
#else
constexpr int kOperations = 20000;
#endif

constexpr std::size_t kMaxKeys = 10;

struct Counts {
  int cuts = 0;
  int full = 0;
  int index_full = 0;
  std::uint64_t compactions = 0;
};

template <typename Flash>
void RunModel(std::uint32_t seed, Counts& counts) {
  std::mt19937 rng(seed);
  Flash flash;
  RecordStore<kMaxKeys> store(flash);
  EXPECT_EQ(store.Mount(), base::OkStatus());
  Model model;
  std::uint32_t version = 0;

  // Mounts after a cut, possibly cutting that mount too.
  auto recover = [&] {
    if (rng() % 4 == 0) {
      flash.CutPowerAfter(rng() % 600);
      const base::Status e = store.Mount();
      if (flash.power_lost()) {
        EXPECT_EQ(e, StoreCode::kFlashFailed);
      } else {
        EXPECT_EQ(e, base::OkStatus());
      }
      flash.RestorePower();
    }
    EXPECT_EQ(store.Mount(), base::OkStatus());
  };

  for (int op = 0; op < kOperations && !::testing::Test::HasFailure(); ++op) {
    const std::uint16_t key = static_cast<std::uint16_t>(1 + rng() % 13);
    const std::optional<Bytes> old =
        model.count(key) ? std::optional<Bytes>(model[key]) : std::nullopt;
    const unsigned kind = rng() % 100;
    if (kind >= 85) {
      if (kind >= 95) {
        ASSERT_EQ(store.Mount(), base::OkStatus());
      }
      ASSERT_EQ(ReadValue(store, key), old) << "op " << op;
      continue;
    }
    const bool arm = rng() % 6 == 0;
    if (arm) flash.CutPowerAfter(rng() % 400);

    base::Status result;
    std::optional<Bytes> wanted;  // the key's value if the op takes effect
    base::Status expected = base::OkStatus();
    if (kind < 60) {
      wanted = MakeValue(key, ++version, rng() % (kMaxValueBytes + 1));
      const std::size_t old_footprint =
          old ? store.RecordFootprint(old->size()) : 0;
      const std::size_t footprint = store.RecordFootprint(wanted->size());
      std::size_t live = 16;
      for (const auto& [k, v] : model) live += store.RecordFootprint(v.size());
      if (!old && model.size() == kMaxKeys) {
        expected = StoreCode::kIndexFull;
      } else if (store.stats().used_bytes + footprint >
                     store.stats().sector_bytes &&
                 live - old_footprint + footprint >
                     store.stats().sector_bytes) {
        expected = StoreCode::kFull;
      }
      result = store.Write(key, *wanted);
    } else if (kind < 75) {
      result = store.Erase(key);
    } else {
      result = store.Scrub(key);
    }

    if (flash.power_lost()) {
      ++counts.cuts;
      ASSERT_EQ(result, StoreCode::kFlashFailed);
      flash.RestorePower();
      recover();
      ASSERT_TRUE(store.mounted());
      const std::optional<Bytes> now = ReadValue(store, key);
      ASSERT_TRUE(now == old || now == wanted) << "op " << op;
      if (now.has_value()) {
        model[key] = *now;
      } else {
        model.erase(key);
      }
    } else {
      flash.RestorePower();  // disarms a cut that did not come
      ASSERT_EQ(result, expected)
          << "op " << op << ": " << base::StatusName<StoreCode>(result);
      if (result == StoreCode::kFull) ++counts.full;
      if (result == StoreCode::kIndexFull) ++counts.index_full;
      if (result == base::OkStatus()) {
        if (wanted) {
          model[key] = *wanted;
        } else {
          model.erase(key);
        }
      }
    }
    if (op % 25 == 0) {
      ASSERT_TRUE(StoreMatches(store, model)) << "op " << op;
    }
  }
  counts.compactions = store.stats().compactions;  // since construction
  RecordStore<kMaxKeys> remounted(flash);
  EXPECT_EQ(remounted.Mount(), base::OkStatus());
  EXPECT_TRUE(StoreMatches(remounted, model));
}

TEST(RecordStoreModelTest, RandomOperationsWithPowerCuts) {
  // 10 keys of up to 64 bytes do not always fit a 512-byte sector: kFull
  // happens; 13 keys in a 10-key index: kIndexFull happens.
  for (std::uint32_t seed : {1u, 2u}) {
    Counts c;
    RunModel<RamFlash<512, 2, 4>>(seed, c);
    printf("seed %u: %d cuts, %d full, %d index_full, %llu compactions\n",
           static_cast<unsigned>(seed), c.cuts, c.full, c.index_full,
           static_cast<unsigned long long>(c.compactions));
    EXPECT_GT(c.cuts, kOperations / 50) << "seed " << seed;
    EXPECT_GT(c.full, 0);
    EXPECT_GT(c.index_full, 0);
    EXPECT_GT(c.compactions, static_cast<std::uint64_t>(kOperations / 50));
  }
}

TEST(RecordStoreModelTest, OtherProgramSizes) {
  for (std::uint32_t seed : {3u}) {
    Counts one;
    RunModel<RamFlash<640, 2, 1>>(seed, one);
    EXPECT_GT(one.cuts, kOperations / 50);
    Counts eight;
    RunModel<RamFlash<1024, 2, 8>>(seed, eight);
    EXPECT_GT(eight.cuts, kOperations / 50);
  }
}

}  // namespace
}  // namespace storage
