// Every preset works at its largest message, from static storage (the
// boards' 64 KiB stack could not hold Large), and has the documented size.
#include "workspace/presets.h"

#include <cstdio>
#include <cstring>
#include <vector>

#include "base/fake_clock.h"
#include "gtest/gtest.h"
#include "test_support.h"

namespace workspace {
namespace {

using testing::Bytes;
using testing::Pattern;
using testing::SlotIsWiped;
using testing::UnleasedBuffersAreZero;

MicroWorkspace micro;
SmallWorkspace small;
MediumWorkspace medium;
LargeWorkspace large;
base::FakeClock clock_storage;

template <typename W>
void RoundTripAtCapacity(W& ws, std::size_t buffer, std::size_t keys,
                         std::size_t sessions) {
  WorkspaceConfig config;
  config.clock = &clock_storage;
  ASSERT_EQ(ws.Reprovision(config), base::OkStatus());
  EXPECT_EQ(ws.buffer_bytes(), buffer);
  EXPECT_EQ(ws.key_slot_count(), keys);
  EXPECT_EQ(ws.session_count(), sessions);
  EXPECT_EQ(W::kMaxMessageBytes, buffer - kTagBytes);
  // The last slot and the last session: all of them are usable.
  const KeySlotId slot{static_cast<std::uint16_t>(keys - 1)};
  const SessionId session{static_cast<std::uint16_t>(sessions - 1)};
  const auto key = Pattern(32, 7);
  ASSERT_EQ(ws.LoadKey(slot, Bytes(key)), base::OkStatus());
  ASSERT_EQ(ws.AllocateSession(session), base::OkStatus());
  ASSERT_EQ(ws.BindKey(session, slot), base::OkStatus());
  ASSERT_EQ(ws.Activate(session), base::OkStatus());
  const auto msg = Pattern(W::kMaxMessageBytes, 8);
  auto sealed = ws.Encrypt(session, {}, Bytes(msg));
  ASSERT_TRUE(sealed.ok()) << base::StatusName<Code>(sealed.status());
  EXPECT_EQ(sealed->bytes().size(), buffer);
  auto opened = ws.Decrypt(session, sealed->nonce(), {}, sealed->bytes());
  ASSERT_TRUE(opened.ok()) << base::StatusName<Code>(opened.status());
  EXPECT_EQ(std::memcmp(opened->text().data(), msg.data(), msg.size()), 0);
  sealed->Release();
  opened->Release();
  EXPECT_TRUE(UnleasedBuffersAreZero(ws));
  ASSERT_EQ(ws.ClearKey(slot), base::OkStatus());
  EXPECT_TRUE(SlotIsWiped(ws, slot));
  // %u with casts: the boards' newlib printf has no %zu.
  std::printf("sizeof(SecureCryptoWorkspace<%u, %u, %u>) = %u\n",
              static_cast<unsigned>(buffer), static_cast<unsigned>(keys),
              static_cast<unsigned>(sessions),
              static_cast<unsigned>(sizeof(W)));
}

TEST(PresetsTest, Micro) { RoundTripAtCapacity(micro, 128, 2, 2); }
TEST(PresetsTest, Small) { RoundTripAtCapacity(small, 512, 4, 4); }
TEST(PresetsTest, Medium) { RoundTripAtCapacity(medium, 2048, 8, 8); }
TEST(PresetsTest, Large) { RoundTripAtCapacity(large, 8192, 16, 16); }

TEST(PresetsTest, SizesAreTheDocumentedOnes) {
  EXPECT_EQ(sizeof(MicroWorkspace), kExpectedPresetSizes.micro);
  EXPECT_EQ(sizeof(SmallWorkspace), kExpectedPresetSizes.small);
  EXPECT_EQ(sizeof(MediumWorkspace), kExpectedPresetSizes.medium);
  EXPECT_EQ(sizeof(LargeWorkspace), kExpectedPresetSizes.large);
  // Buffers dominate: five per workspace.
  EXPECT_GE(sizeof(LargeWorkspace), 5u * 8192u);
}

TEST(PresetsTest, BuffersAreCacheLineAligned) {
  for (std::size_t i = 0; i < kBufferCount; ++i) {
    const auto view = large.InspectBufferForTesting(static_cast<BufferId>(i));
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(view.data()) %
                  internal::kBufferAlignment,
              0u);
  }
}

}  // namespace
}  // namespace workspace
