#include "pool/global.h"

#include <cstdint>
#include <cstring>
#include <memory>

#include "crypto_device_table.h"
#include "gtest/gtest.h"

namespace pool {
namespace {

using testing::AllocateFor;
using testing::CryptoDeviceGlobal;
using testing::CryptoDevicePools;
using testing::kCryptoContextCount;
using testing::kCryptoDeviceLimits;
using testing::Usage;

struct Counter {
  int value = 0;
};

struct CryptoContext {
  std::uint8_t key[32];
  std::uint32_t rounds;
};

// The device's whole pool state as one constinit singleton: no static
// initialiser, .bss only.
constinit CryptoDeviceGlobal<CryptoContext> g_device;

TEST(GlobalTest, SecondInitializationIsRefused) {
  auto g = std::make_unique<Global<Counter>>();
  EXPECT_FALSE(g->initialized());
  EXPECT_EQ(g->Get().status(), Code::kNotInitialized);
  int runs = 0;
  auto configure = [&](Counter& c) {
    ++runs;
    c.value = 42;
    return base::OkStatus();
  };
  EXPECT_EQ(g->Initialize(configure), base::OkStatus());
  EXPECT_TRUE(g->initialized());
  EXPECT_EQ(g->Initialize(configure), Code::kAlreadyInitialized);
  EXPECT_EQ(g->Initialize(), Code::kAlreadyInitialized);
  EXPECT_EQ(runs, 1);
  base::Result<Counter*> c = g->Get();
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c.value()->value, 42);
}

TEST(GlobalTest, FailedConfigurationLeavesItUninitialised) {
  auto g = std::make_unique<Global<Counter>>();
  EXPECT_EQ(g->Initialize([](Counter&) { return Code::kCorrupted; }),
            Code::kCorrupted);
  EXPECT_FALSE(g->initialized());
  EXPECT_EQ(g->Get().status(), Code::kNotInitialized);
  EXPECT_EQ(g->Initialize(), base::OkStatus());
  EXPECT_EQ(g->Initialize(), Code::kAlreadyInitialized);
}

TEST(GlobalTest, InitializationInProgressCountsAsInitialised) {
  auto g = std::make_unique<Global<Counter>>();
  base::Status nested;
  EXPECT_EQ(g->Initialize([&](Counter&) {
    nested = g->Initialize();  // e.g. an interrupt handler racing start-up
    return base::OkStatus();
  }),
            base::OkStatus());
  EXPECT_EQ(nested, Code::kAlreadyInitialized);
}

TEST(GlobalTest, CryptoDeviceSingleton) {
  EXPECT_EQ(g_device.Get().status(), Code::kNotInitialized);
  ASSERT_EQ(g_device.Initialize(), base::OkStatus());
  EXPECT_EQ(g_device.Initialize(), Code::kAlreadyInitialized);
  CryptoDevicePools<CryptoContext>* d = g_device.Get().value();
  ASSERT_NE(d, nullptr);
  base::Result<UniqueBlock> key =
      AllocateFor(d->buffers, kCryptoDeviceLimits, 32, Usage::kKey);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key.value().capacity(), 64u);
  base::Result<UniqueBlock> msg =
      AllocateFor(d->buffers, kCryptoDeviceLimits, 3000, Usage::kLargeMessage);
  ASSERT_TRUE(msg.ok());
  EXPECT_EQ(msg.value().capacity(), 4096u);
  base::Result<ObjectPtr<CryptoContext>> ctx = d->contexts.Create();
  ASSERT_TRUE(ctx.ok());
  std::memset(ctx.value()->key, 0x11, sizeof ctx.value()->key);
  EXPECT_EQ(d->contexts.capacity(), kCryptoContextCount);
  EXPECT_EQ(d->buffers.stats(0).in_use, 1u);
  EXPECT_EQ(d->buffers.stats(3).in_use, 1u);
  EXPECT_EQ(d->contexts.stats().in_use, 1u);
}

}  // namespace
}  // namespace pool
