// Helpers shared by the record store tests: deterministic values, reading a
// key into a std::optional, scanning a raw image, and the power-cut sweep.
#ifndef LIBS_STORAGE_TEST_UTIL_H_
#define LIBS_STORAGE_TEST_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "gtest/gtest.h"
#include "storage/ram_flash.h"
#include "storage/record_store.h"

namespace storage::testing {

using Bytes = std::vector<std::uint8_t>;
using Model = std::map<std::uint16_t, Bytes>;

// A value that differs for every (key, version) and has no 0x00 or 0xFF
// bytes, so it cannot be confused with erased or scrubbed flash.
inline Bytes MakeValue(std::uint16_t key, std::uint32_t version,
                       std::size_t size) {
  Bytes v(size);
  std::uint32_t x = key * 2654435761u ^ (version + 1) * 40503u;
  for (std::size_t i = 0; i < size; ++i) {
    x = x * 1103515245u + 12345u;
    v[i] = static_cast<std::uint8_t>(1 + (x >> 16) % 253);
  }
  return v;
}

// The value of `key`, or nullopt for kNotFound; other refusals fail the
// test.
inline std::optional<Bytes> ReadValue(const RecordStoreCore& store,
                                      std::uint16_t key) {
  std::uint8_t buffer[kMaxValueBytes];
  std::size_t size = 0;
  const base::Status status = store.Read(key, buffer, size);
  if (status == StoreCode::kNotFound) return std::nullopt;
  EXPECT_TRUE(status.ok()) << base::StatusName<StoreCode>(status) << " key "
                           << key;
  return Bytes(buffer, buffer + size);
}

// Every key of `model` reads back its value and no other key is present.
inline ::testing::AssertionResult StoreMatches(const RecordStoreCore& store,
                                               const Model& model) {
  std::uint16_t keys[256];
  const std::size_t n = store.Keys(keys);
  if (n != model.size()) {
    return ::testing::AssertionFailure()
           << n << " keys present, expected " << model.size();
  }
  std::size_t i = 0;
  for (const auto& [key, value] : model) {
    if (keys[i++] != key) {
      return ::testing::AssertionFailure() << "key " << key << " missing";
    }
    const std::optional<Bytes> read = ReadValue(store, key);
    if (!read.has_value() || *read != value) {
      return ::testing::AssertionFailure() << "key " << key << " differs";
    }
  }
  return ::testing::AssertionSuccess();
}

// True when any `window` consecutive bytes of `needle` occur in `haystack`.
inline bool ContainsAnyWindow(std::span<const std::uint8_t> haystack,
                              std::span<const std::uint8_t> needle,
                              std::size_t window) {
  if (needle.size() < window || haystack.size() < window) return false;
  for (std::size_t n = 0; n + window <= needle.size(); ++n) {
    for (std::size_t h = 0; h + window <= haystack.size(); ++h) {
      bool equal = true;
      for (std::size_t k = 0; k < window && equal; ++k) {
        equal = haystack[h + k] == needle[n + k];
      }
      if (equal) return true;
    }
  }
  return false;
}

// Runs `op(store)` on copies of `base` with the power cut after n byte
// operations, for n = 0, 1, 2, ... until op completes before the cut. Each
// copy is mounted first (which must not write: `base` is a clean image),
// then the cut is armed and op runs; then power is restored and
// `check(flash, n, result, cut)` inspects the image. Returns the number of
// byte operations op takes uncut.
template <std::size_t kMaxKeys, typename Flash, typename Op, typename Check>
std::size_t SweepPowerCuts(const Flash& base, Op op, Check check) {
  for (std::size_t n = 0;; ++n) {
    Flash flash = base;
    RecordStore<kMaxKeys> store(flash);
    EXPECT_EQ(store.Mount(), base::OkStatus());
    EXPECT_EQ(flash.bytes_programmed(), base.bytes_programmed())
        << "mounting a clean image wrote";
    flash.CutPowerAfter(n);
    const base::Status result = op(store);
    const bool cut = flash.power_lost();
    flash.RestorePower();
    if (cut) {
      EXPECT_EQ(result, StoreCode::kFlashFailed) << "cut after " << n;
      EXPECT_FALSE(store.mounted());
    }
    check(flash, n, result, cut);
    if (::testing::Test::HasFailure()) {
      ADD_FAILURE() << "first failure with the power cut after " << n
                    << " byte operations";
      return n;
    }
    if (!cut) return n;
  }
}

}  // namespace storage::testing

#endif  // LIBS_STORAGE_TEST_UTIL_H_
