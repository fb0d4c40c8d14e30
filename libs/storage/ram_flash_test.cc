#include "storage/ram_flash.h"

#include <cstdint>
#include <iterator>
#include <limits>
#include <string_view>

#include "base/status.h"
#include "gtest/gtest.h"

namespace storage {
namespace {

using Flash = RamFlash<64, 3, 4>;

bool AllBytes(std::span<const std::uint8_t> bytes, std::uint8_t value) {
  for (std::uint8_t b : bytes) {
    if (b != value) return false;
  }
  return true;
}

TEST(RamFlashTest, GeometryAndErasedStart) {
  Flash flash;
  EXPECT_EQ(flash.sector_bytes(), 64u);
  EXPECT_EQ(flash.sector_count(), 3u);
  EXPECT_EQ(flash.program_bytes(), 4u);
  EXPECT_EQ(flash.contents().size(), 192u);
  EXPECT_TRUE(AllBytes(flash.contents(), 0xFF));
}

TEST(RamFlashTest, ProgramOnlyClearsBits) {
  Flash flash;
  const std::uint8_t first[4] = {0xF0, 0x0F, 0xAA, 0xFF};
  const std::uint8_t second[4] = {0x3C, 0xFF, 0x55, 0x00};
  ASSERT_EQ(flash.Program(8, first), base::OkStatus());
  ASSERT_EQ(flash.Program(8, second), base::OkStatus());
  std::uint8_t out[4];
  ASSERT_EQ(flash.Read(8, out), base::OkStatus());
  EXPECT_EQ(out[0], 0x30);
  EXPECT_EQ(out[1], 0x0F);
  EXPECT_EQ(out[2], 0x00);
  EXPECT_EQ(out[3], 0x00);
  EXPECT_EQ(flash.bytes_programmed(), 8u);
  EXPECT_TRUE(AllBytes(flash.contents().first(8), 0xFF));
  EXPECT_TRUE(AllBytes(flash.contents().subspan(12), 0xFF));
}

TEST(RamFlashTest, RefusesMisalignedAndOutOfRange) {
  Flash flash;
  const std::uint8_t data[8] = {};
  EXPECT_EQ(flash.Program(2, std::span(data, 4)), FlashCode::kMisaligned);
  EXPECT_EQ(flash.Program(4, std::span(data, 3)), FlashCode::kMisaligned);
  EXPECT_EQ(flash.Program(188, std::span(data, 8)), FlashCode::kOutOfRange);
  EXPECT_EQ(flash.Program(std::numeric_limits<std::size_t>::max() - 3,
                          std::span(data, 4)),
            FlashCode::kOutOfRange);
  EXPECT_EQ(flash.Erase(3), FlashCode::kOutOfRange);
  std::uint8_t out[8];
  EXPECT_EQ(flash.Read(190, out), FlashCode::kOutOfRange);
  EXPECT_EQ(flash.Read(3, std::span(out, 5)), base::OkStatus());  // any offset
  EXPECT_TRUE(AllBytes(flash.contents(), 0xFF));
  EXPECT_EQ(flash.bytes_programmed(), 0u);
}

TEST(RamFlashTest, EraseRestoresOneSector) {
  Flash flash;
  const std::uint8_t zeros[64] = {};
  for (std::size_t s = 0; s < 3; ++s) {
    ASSERT_EQ(flash.Program(s * 64, zeros), base::OkStatus());
  }
  ASSERT_EQ(flash.Erase(1), base::OkStatus());
  EXPECT_TRUE(AllBytes(flash.contents().subspan(0, 64), 0x00));
  EXPECT_TRUE(AllBytes(flash.contents().subspan(64, 64), 0xFF));
  EXPECT_TRUE(AllBytes(flash.contents().subspan(128, 64), 0x00));
  EXPECT_EQ(flash.erases(0), 0u);
  EXPECT_EQ(flash.erases(1), 1u);
  EXPECT_EQ(flash.erases(2), 0u);
}

TEST(RamFlashTest, PowerCutStopsProgramMidway) {
  Flash flash;
  const std::uint8_t zeros[8] = {};
  flash.CutPowerAfter(3);
  EXPECT_EQ(flash.Program(4, zeros), FlashCode::kPowerLost);
  EXPECT_TRUE(flash.power_lost());
  EXPECT_TRUE(AllBytes(flash.contents().subspan(4, 3), 0x00));
  EXPECT_TRUE(AllBytes(flash.contents().subspan(7), 0xFF));
  EXPECT_EQ(flash.bytes_programmed(), 3u);
  // Dead until power returns: nothing else changes, Read still works.
  EXPECT_EQ(flash.Program(16, std::span(zeros, 4)), FlashCode::kPowerLost);
  EXPECT_EQ(flash.Erase(0), FlashCode::kPowerLost);
  std::uint8_t out[4];
  EXPECT_EQ(flash.Read(4, out), base::OkStatus());
  EXPECT_EQ(out[0], 0x00);
  EXPECT_TRUE(AllBytes(flash.contents().subspan(7), 0xFF));
  flash.RestorePower();
  EXPECT_FALSE(flash.power_lost());
  EXPECT_EQ(flash.Program(16, std::span(zeros, 4)), base::OkStatus());
  EXPECT_EQ(flash.contents()[16], 0x00);
}

TEST(RamFlashTest, PowerCutStopsEraseMidway) {
  Flash flash;
  const std::uint8_t zeros[64] = {};
  ASSERT_EQ(flash.Program(64, zeros), base::OkStatus());
  flash.CutPowerAfter(10);
  EXPECT_EQ(flash.Erase(1), FlashCode::kPowerLost);
  EXPECT_TRUE(AllBytes(flash.contents().subspan(64, 10), 0xFF));
  EXPECT_TRUE(AllBytes(flash.contents().subspan(74, 54), 0x00));
  EXPECT_EQ(flash.erases(1), 1u);
}

TEST(RamFlashTest, CutCountsProgramAndEraseBytesTogether) {
  Flash flash;
  const std::uint8_t zeros[8] = {};
  flash.CutPowerAfter(8 + 64);
  EXPECT_EQ(flash.Program(0, zeros), base::OkStatus());
  EXPECT_EQ(flash.Erase(2), base::OkStatus());  // exactly uses up the budget
  EXPECT_FALSE(flash.power_lost());
  EXPECT_EQ(flash.Program(8, std::span(zeros, 4)), FlashCode::kPowerLost);
  EXPECT_TRUE(AllBytes(flash.contents().subspan(8, 4), 0xFF));
}

TEST(RamFlashTest, CutAfterZeroTouchesNothing) {
  Flash flash;
  const std::uint8_t zeros[4] = {};
  flash.CutPowerAfter(0);
  EXPECT_EQ(flash.Program(0, zeros), FlashCode::kPowerLost);
  EXPECT_TRUE(AllBytes(flash.contents(), 0xFF));
}

TEST(RamFlashTest, CopiesAreIndependent) {
  Flash a;
  const std::uint8_t zeros[4] = {};
  ASSERT_EQ(a.Program(0, zeros), base::OkStatus());
  Flash b = a;
  ASSERT_EQ(b.Program(4, zeros), base::OkStatus());
  EXPECT_EQ(a.contents()[4], 0xFF);
  EXPECT_EQ(b.contents()[0], 0x00);
  EXPECT_EQ(b.bytes_programmed(), 8u);
}

// The device's refusals are base::Status codes of the "flash" domain.
static_assert(base::StatusCode<FlashCode>);
static_assert(CodeName(FlashCode::kPowerLost) == "flash.power_lost");

TEST(RamFlashTest, CodeNames) {
  constexpr FlashCode kCodes[] = {
      FlashCode::kOutOfRange, FlashCode::kMisaligned, FlashCode::kDeviceFailed,
      FlashCode::kPowerLost};
  constexpr std::string_view kNames[] = {
      "flash.out_of_range", "flash.misaligned", "flash.device_failed",
      "flash.power_lost"};
  for (std::size_t i = 0; i < std::size(kCodes); ++i) {
    const base::Status status = kCodes[i];
    EXPECT_FALSE(status.ok());
    EXPECT_EQ(status.domain(), base::Domain::kFlash);
    EXPECT_EQ(CodeName(kCodes[i]), kNames[i]);
    EXPECT_EQ(base::StatusName<FlashCode>(status), kNames[i]);
    for (std::size_t j = 0; j < i; ++j) EXPECT_NE(status, kCodes[j]);
  }
  EXPECT_EQ(base::StatusName<FlashCode>(base::OkStatus()), "ok");
}

}  // namespace
}  // namespace storage
