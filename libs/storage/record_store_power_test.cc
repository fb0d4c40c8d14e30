// Power cuts at every byte: each operation runs on copies of one image with
// the power cut after 0, 1, 2, ... byte operations (programmed or erased
// bytes), until it completes. After each cut the image is mounted again and
// must hold the old or the new state, every other key intact, and keep
// working. Each test also checks that the sweep covered the whole
// operation (its exact byte count), so a sweep that stops early fails.
#include <cstdint>
#include <vector>

#include "gtest/gtest.h"
#include "storage/ram_flash.h"
#include "storage/record_store.h"
#include "test_util.h"

namespace storage {
namespace {

using testing::Bytes;
using testing::ContainsAnyWindow;
using testing::MakeValue;
using testing::Model;
using testing::ReadValue;
using testing::StoreMatches;
using testing::SweepPowerCuts;

constexpr std::size_t kKeys = 16;

template <typename Flash>
class PowerCutTest : public ::testing::Test {
 protected:
  // Writes `model` to a fresh image.
  void Populate(const Model& model) {
    RecordStore<kKeys> store(base_);
    ASSERT_EQ(store.Mount(), base::OkStatus());
    for (const auto& [key, value] : model) {
      ASSERT_EQ(store.Write(key, value), base::OkStatus());
    }
  }

  // Writes values of keys 0x100.. into `model` and the image until the
  // active sector has less room than the smallest record, so the next
  // Write or Erase must compact.
  void FillToBrim(Model& model) {
    RecordStore<kKeys> store(base_);
    ASSERT_EQ(store.Mount(), base::OkStatus());
    const std::size_t sector = base_.sector_bytes();
    const std::size_t p = base_.program_bytes();
    for (std::uint32_t i = 0;; ++i) {
      const std::size_t room = sector - store.stats().used_bytes;
      if (room < store.RecordFootprint(0)) break;
      const std::size_t size = std::min<std::size_t>(30, room - 8 - p);
      const std::uint16_t key = static_cast<std::uint16_t>(0x100 + i % 3);
      model[key] = MakeValue(key, 500 + i, size);
      ASSERT_EQ(store.Write(key, model[key]), base::OkStatus());
    }
    ASSERT_EQ(store.stats().compactions, 0u) << "filled past one sector";
  }

  // Mounts `flash` after a cut, checks the other keys, returns the value
  // of `key` (nullopt: absent).
  static std::optional<Bytes> Remount(Flash& flash, const Model& others,
                                      std::uint16_t key) {
    RecordStore<kKeys> store(flash);
    EXPECT_EQ(store.Mount(), base::OkStatus());
    Model visible = others;
    const std::optional<Bytes> value = ReadValue(store, key);
    if (value.has_value()) visible[key] = *value;
    EXPECT_TRUE(StoreMatches(store, visible));
    return value;
  }

  // After recovery the store must take writes and keep them.
  static void UsableAfterRecovery(Flash& flash, Model model) {
    RecordStore<kKeys> store(flash);
    ASSERT_EQ(store.Mount(), base::OkStatus());
    for (std::uint32_t i = 0; i < 3; ++i) {
      model[0x42] = MakeValue(0x42, 900 + i, 10 + i);
      ASSERT_EQ(store.Write(0x42, model[0x42]), base::OkStatus());
    }
    RecordStore<kKeys> again(flash);
    ASSERT_EQ(again.Mount(), base::OkStatus());
    EXPECT_TRUE(StoreMatches(again, model));
    // Recovery mounts converge: a third mount writes nothing.
    const std::uint64_t programmed = flash.bytes_programmed();
    RecordStore<kKeys> third(flash);
    ASSERT_EQ(third.Mount(), base::OkStatus());
    EXPECT_EQ(flash.bytes_programmed(), programmed);
  }

  // The Write sweep shared by the tests below: old -> new, never a third
  // value, one switch-over point. Returns the operation's byte count.
  std::size_t SweepWrite(const Model& model, std::uint16_t key,
                         const Bytes& value) {
    Model others = model;
    const std::optional<Bytes> old =
        model.count(key) ? std::optional<Bytes>(model.at(key)) : std::nullopt;
    others.erase(key);
    bool switched = false;
    return SweepPowerCuts<kKeys>(
        base_, [&](RecordStoreCore& store) { return store.Write(key, value); },
        [&](Flash& flash, std::size_t n, base::Status result, bool cut) {
          if (!cut) {
            EXPECT_EQ(result, base::OkStatus());
          }
          const std::optional<Bytes> now = Remount(flash, others, key);
          if (now == value) {
            switched = true;
          } else {
            EXPECT_EQ(now, old) << "neither old nor new after cut " << n;
            EXPECT_FALSE(switched) << "back to the old value at cut " << n;
            EXPECT_TRUE(cut) << "completed write lost";
          }
          Model after = others;
          if (now.has_value()) after[key] = *now;
          UsableAfterRecovery(flash, after);
        });
  }

  Flash base_;
};

using Geometries = ::testing::Types<RamFlash<256, 2, 1>, RamFlash<384, 2, 4>,
                                    RamFlash<512, 2, 8>>;
TYPED_TEST_SUITE(PowerCutTest, Geometries);

TYPED_TEST(PowerCutTest, WriteInPlace) {
  Model model;
  for (std::uint16_t key = 1; key <= 5; ++key) {
    model[key] = MakeValue(key, 0, 3 * key);
  }
  this->Populate(model);
  const std::size_t p = this->base_.program_bytes();
  const std::size_t aligned12 = (12 + p - 1) / p * p;
  // Overwrite, and a new key: header + padded value, no dead flag.
  EXPECT_EQ(this->SweepWrite(model, 3, MakeValue(3, 1, 12)), 8 + aligned12);
  EXPECT_EQ(this->SweepWrite(model, 9, MakeValue(9, 1, 12)), 8 + aligned12);
  EXPECT_EQ(this->SweepWrite(model, 4, {}), 8u);
}

TYPED_TEST(PowerCutTest, WriteThatCompacts) {
  Model model;
  for (std::uint16_t key = 1; key <= 3; ++key) {
    model[key] = MakeValue(key, 0, 20);
  }
  this->Populate(model);
  this->FillToBrim(model);
  // Measure the uncut compaction: its programmed bytes plus one erase.
  std::uint64_t programmed = 0;
  {
    TypeParam probe = this->base_;
    RecordStore<kKeys> store(probe);
    ASSERT_EQ(store.Mount(), base::OkStatus());
    const std::uint64_t before = probe.bytes_programmed();
    ASSERT_EQ(store.Write(2, MakeValue(2, 1, 17)), base::OkStatus());
    ASSERT_EQ(store.stats().compactions, 1u);
    programmed = probe.bytes_programmed() - before;
  }
  const std::size_t n = this->SweepWrite(model, 2, MakeValue(2, 1, 17));
  EXPECT_EQ(n, programmed + this->base_.sector_bytes());
  // A new key that does not fit either.
  EXPECT_GT(this->SweepWrite(model, 0x77, MakeValue(0x77, 1, 5)),
            this->base_.sector_bytes());
}

TYPED_TEST(PowerCutTest, EraseInPlaceAndCompacting) {
  Model model;
  for (std::uint16_t key = 1; key <= 4; ++key) {
    model[key] = MakeValue(key, 0, 11);
  }
  this->Populate(model);
  for (bool compacting : {false, true}) {
    if (compacting) this->FillToBrim(model);
    Model others = model;
    others.erase(3);
    bool erased = false;
    const std::size_t n = SweepPowerCuts<kKeys>(
        this->base_, [](RecordStoreCore& store) { return store.Erase(3); },
        [&](TypeParam& flash, std::size_t cut_at, base::Status, bool cut) {
          const std::optional<Bytes> now = this->Remount(flash, others, 3);
          if (!now.has_value()) {
            erased = true;
          } else {
            EXPECT_EQ(now, model.at(3)) << "cut " << cut_at;
            EXPECT_FALSE(erased) << "came back at cut " << cut_at;
            EXPECT_TRUE(cut);
          }
          this->UsableAfterRecovery(flash, now ? model : others);
        });
    if (compacting) {
      EXPECT_GT(n, this->base_.sector_bytes());
    } else {
      EXPECT_EQ(n, 8u);  // the tombstone's header
    }
  }
}

// Scrub cut anywhere. Once the key reads absent after the remount, no copy
// of any of its values is left in the raw image; either way, after a
// second Scrub none is, and the other keys are intact.
TYPED_TEST(PowerCutTest, ScrubThenScrubAgain) {
  constexpr std::uint16_t kSecret = 0x5EC;
  for (bool compacting : {false, true}) {
    this->base_ = TypeParam();
    Model model;
    std::vector<Bytes> secrets;
    {
      RecordStore<kKeys> store(this->base_);
      ASSERT_EQ(store.Mount(), base::OkStatus());
      for (std::uint32_t v = 0; v < 3; ++v) {
        const std::uint16_t key = static_cast<std::uint16_t>(1 + v);
        model[key] = MakeValue(key, 0, 9);
        ASSERT_EQ(store.Write(key, model[key]), base::OkStatus());
        secrets.push_back(MakeValue(kSecret, v, 13 + 2 * v));
        ASSERT_EQ(store.Write(kSecret, secrets.back()), base::OkStatus());
      }
    }
    if (compacting) this->FillToBrim(model);
    bool gone = false;
    const std::size_t n = SweepPowerCuts<kKeys>(
        this->base_,
        [](RecordStoreCore& store) { return store.Scrub(kSecret); },
        [&](TypeParam& flash, std::size_t cut_at, base::Status result,
            bool cut) {
          if (!cut) {
            EXPECT_EQ(result, base::OkStatus());
          }
          const std::optional<Bytes> now = this->Remount(flash, model, kSecret);
          if (!now.has_value()) {
            gone = true;
            // Committed: the remount itself finished the zeroing.
            for (std::size_t i = 0; i < secrets.size(); ++i) {
              EXPECT_FALSE(ContainsAnyWindow(flash.contents(), secrets[i], 4))
                  << "secret " << i << " left by Mount after cut " << cut_at;
            }
          } else {
            EXPECT_EQ(now, secrets.back()) << "cut " << cut_at;
            EXPECT_FALSE(gone) << "came back at cut " << cut_at;
          }
          if (!cut) {
            for (const Bytes& s : secrets) {
              EXPECT_FALSE(ContainsAnyWindow(flash.contents(), s, 4));
            }
          }
          RecordStore<kKeys> store(flash);
          ASSERT_EQ(store.Mount(), base::OkStatus());
          ASSERT_EQ(store.Scrub(kSecret), base::OkStatus());
          for (std::size_t i = 0; i < secrets.size(); ++i) {
            EXPECT_FALSE(ContainsAnyWindow(flash.contents(), secrets[i], 4))
                << "secret " << i << " left after cut " << cut_at;
          }
          EXPECT_TRUE(StoreMatches(store, model));
          this->UsableAfterRecovery(flash, model);
        });
    // The sweep covered the tombstone and, per copy, dead flag + header +
    // value (in place) or a whole compaction.
    EXPECT_GT(n, compacting ? this->base_.sector_bytes() : 3 * 24u);
  }
}

// A torn write makes the next Mount compact; cut that Mount anywhere too.
TYPED_TEST(PowerCutTest, RecoveryMountItself) {
  Model model;
  for (std::uint16_t key = 1; key <= 6; ++key) {
    model[key] = MakeValue(key, 0, 7 * key);
  }
  this->Populate(model);
  {
    RecordStore<kKeys> store(this->base_);
    ASSERT_EQ(store.Mount(), base::OkStatus());
    this->base_.CutPowerAfter(10);
    ASSERT_EQ(store.Write(2, MakeValue(2, 1, 30)), StoreCode::kFlashFailed);
    this->base_.RestorePower();
  }
  for (std::size_t n = 0;; ++n) {
    TypeParam flash = this->base_;
    RecordStore<kKeys> first(flash);
    flash.CutPowerAfter(n);
    const base::Status result = first.Mount();
    const bool cut = flash.power_lost();
    flash.RestorePower();
    if (cut) {
      EXPECT_EQ(result, StoreCode::kFlashFailed);
      EXPECT_FALSE(first.mounted());
    }
    RecordStore<kKeys> second(flash);
    ASSERT_EQ(second.Mount(), base::OkStatus()) << "cut " << n;
    ASSERT_TRUE(StoreMatches(second, model)) << "cut " << n;
    this->UsableAfterRecovery(flash, model);
    if (::testing::Test::HasFailure()) return;
    if (!cut) {
      EXPECT_EQ(result, base::OkStatus());
      EXPECT_GT(n, this->base_.sector_bytes());  // copies + header + erase
      break;
    }
  }
}

// Formatting a garbage device (two erases and a header), cut anywhere.
TYPED_TEST(PowerCutTest, FormatOfAGarbageDevice) {
  std::uint8_t garbage[8];
  for (std::size_t offset = 0; offset < 2 * this->base_.sector_bytes();
       offset += sizeof garbage) {
    for (std::size_t i = 0; i < sizeof garbage; ++i) {
      garbage[i] = static_cast<std::uint8_t>(offset * 7 + i * 13 + 1);
    }
    ASSERT_EQ(this->base_.Program(offset, garbage), base::OkStatus());
  }
  for (std::size_t n = 0;; ++n) {
    TypeParam flash = this->base_;
    RecordStore<kKeys> first(flash);
    flash.CutPowerAfter(n);
    const base::Status result = first.Mount();
    const bool cut = flash.power_lost();
    flash.RestorePower();
    RecordStore<kKeys> second(flash);
    ASSERT_EQ(second.Mount(), base::OkStatus()) << "cut " << n;
    EXPECT_EQ(second.key_count(), 0u);
    this->UsableAfterRecovery(flash, {});
    if (::testing::Test::HasFailure()) return;
    if (!cut) {
      EXPECT_EQ(result, base::OkStatus());
      EXPECT_EQ(n, 2 * this->base_.sector_bytes() + 16);
      break;
    }
  }
}

}  // namespace
}  // namespace storage
