#include "workspace/global.h"

#include <cstring>

#include "base/fake_clock.h"
#include "gtest/gtest.h"
#include "workspace/board_critical_section.h"

namespace workspace {
namespace {

base::FakeClock clock_storage;

// The caller hands in the critical section, once, before the first use.
const bool section_installed = [] {
  SetCryptoWorkspaceCriticalSection(SystemCriticalSection());
  return true;
}();

TEST(GlobalTest, RunsInsideTheCriticalSectionAndReturnsTheResult) {
  EXPECT_EQ(BoardCriticalSection::DepthForTesting(), 0u);
  const unsigned depth = WithCryptoWorkspace([](GlobalWorkspace&) {
    EXPECT_TRUE(BoardCriticalSection::InterruptsMaskedForTesting());
    return BoardCriticalSection::DepthForTesting();
  });
  EXPECT_EQ(depth, 1u);
  EXPECT_EQ(BoardCriticalSection::DepthForTesting(), 0u);
}

TEST(GlobalTest, OneInstanceAndNestingIsSafe) {
  GlobalWorkspace* outer = nullptr;
  GlobalWorkspace* inner = nullptr;
  WithCryptoWorkspace([&](GlobalWorkspace& ws) {
    outer = &ws;
    WithCryptoWorkspace([&](GlobalWorkspace& again) {
      inner = &again;
      EXPECT_EQ(BoardCriticalSection::DepthForTesting(), 2u);
    });
  });
  ASSERT_NE(outer, nullptr);
  EXPECT_EQ(outer, inner);
  EXPECT_EQ(outer->buffer_bytes(), 512u);  // the Small preset
}

// Without the caller's clock there is no valid configuration: the instance
// starts wiped and locked out, and works once provisioned with one.
TEST(GlobalTest, StartsLockedOutUntilGivenAClock) {
  ASSERT_TRUE(section_installed);
  WithCryptoWorkspace([](GlobalWorkspace& ws) {
    EXPECT_TRUE(ws.locked_out());
    EXPECT_EQ(ws.AcquireScratch().status(), Code::kLockedOut);
    WorkspaceConfig config;
    EXPECT_EQ(ws.Reprovision(config), Code::kInvalidConfig);
    config.clock = &clock_storage;
    EXPECT_EQ(ws.Reprovision(config), base::OkStatus());
    EXPECT_FALSE(ws.locked_out());
    EXPECT_EQ(ws.CheckSecurityState(), SecurityState::kSecure);
  });
}

TEST(GlobalTest, EncryptAndDecryptThroughTheAccessor) {
  const std::uint8_t key[16] = {1, 2,  3,  4,  5,  6,  7,  8,
                                9, 10, 11, 12, 13, 14, 15, 16};
  const std::uint8_t message[] = "telemetry frame";
  WorkspaceConfig config;
  config.clock = &clock_storage;
  SessionId session;
  WithCryptoWorkspace([&](GlobalWorkspace& ws) {
    ASSERT_EQ(ws.Reprovision(config), base::OkStatus());
    ASSERT_EQ(ws.LoadKey(KeySlotId{0}, key, {.fixed_field = 0x00c0ffee}),
              base::OkStatus());
    session = ws.OpenSession().value();
    ASSERT_EQ(ws.BindKey(session, KeySlotId{0}), base::OkStatus());
    ASSERT_EQ(ws.Activate(session), base::OkStatus());
  });
  // A later call finds the state the earlier one left.
  const bool round_trip = WithCryptoWorkspace([&](GlobalWorkspace& ws) {
    auto sealed = ws.Encrypt(session, {}, message);
    if (!sealed.ok()) return false;
    auto opened = ws.Decrypt(session, sealed->nonce(), {}, sealed->bytes());
    return opened.ok() && opened->text().size() == sizeof message &&
           std::memcmp(opened->text().data(), message, sizeof message) == 0;
    // both leases are released here, inside the critical section
  });
  EXPECT_TRUE(round_trip);
  WithCryptoWorkspace([](GlobalWorkspace& ws) {
    EXPECT_EQ(ws.stats().buffers_leased, 0u);
    EXPECT_EQ(ws.stats().encryptions, 1u);
  });
}

}  // namespace
}  // namespace workspace
