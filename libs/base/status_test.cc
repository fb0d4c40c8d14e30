#include "base/status.h"

#include <cstdint>
#include <string_view>

#include "gtest/gtest.h"

// Two vocabularies as libraries declare them; the domains are borrowed
// from real libraries since the set of domains is closed.
namespace alpha {
enum class Code : std::uint8_t { kFirst = 1, kSecond = 2 };
constexpr base::Domain StatusDomain(Code) { return base::Domain::kCrypto; }
constexpr std::string_view CodeName(Code code) {
  switch (code) {
    case Code::kFirst:
      return "crypto.first";
    case Code::kSecond:
      return "crypto.second";
  }
  return "";
}
}  // namespace alpha

namespace beta {
enum class Code : std::uint8_t { kFirst = 1 };
constexpr base::Domain StatusDomain(Code) { return base::Domain::kFlash; }
constexpr std::string_view CodeName(Code) { return "flash.first"; }
}  // namespace beta

namespace base {
namespace {

static_assert(StatusCode<alpha::Code> && StatusCode<beta::Code>);
static_assert(!StatusCode<int>);
// Everything folds at compile time.
static_assert(OkStatus().ok() && Status().raw() == 0);
static_assert(Status::OkFromZero(0) == OkStatus());
static_assert(!Status(alpha::Code::kFirst).ok());
static_assert(Status(alpha::Code::kFirst) == alpha::Code::kFirst);
static_assert(Status(alpha::Code::kFirst).raw() == 0x0301);
static_assert(StatusName<alpha::Code>(alpha::Code::kSecond) == "crypto.second");

Status Refuse(bool second) {
  if (second) return alpha::Code::kSecond;
  return alpha::Code::kFirst;
}

TEST(StatusTest, OkIsTheDefaultAndTheZeroWord) {
  Status status;
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status, OkStatus());
  EXPECT_EQ(status.domain(), Domain::kNone);
  EXPECT_EQ(status.code(), 0u);
  EXPECT_EQ(StatusName<alpha::Code>(status), "ok");
}

TEST(StatusTest, CodesOfOneDomainAreDistinct) {
  EXPECT_EQ(Refuse(false), alpha::Code::kFirst);
  EXPECT_NE(Refuse(false), alpha::Code::kSecond);
  EXPECT_EQ(Refuse(true), alpha::Code::kSecond);
  EXPECT_NE(Refuse(true), Refuse(false));
}

TEST(StatusTest, EqualCodeNumbersOfTwoDomainsAreDistinct) {
  const Status a = alpha::Code::kFirst;
  const Status b = beta::Code::kFirst;
  EXPECT_EQ(a.code(), b.code());
  EXPECT_NE(a, b);
  EXPECT_NE(a, beta::Code::kFirst);
  EXPECT_NE(b, alpha::Code::kFirst);
  EXPECT_TRUE(a.Is<alpha::Code>());
  EXPECT_FALSE(a.Is<beta::Code>());
  EXPECT_EQ(b.As<beta::Code>(), beta::Code::kFirst);
}

TEST(StatusTest, TheArgumentQualifiesButDoesNotChangeTheCode) {
  const Status with_argument(alpha::Code::kFirst, 7);
  EXPECT_EQ(with_argument.argument(), 7u);
  EXPECT_EQ(with_argument, alpha::Code::kFirst);
  EXPECT_NE(with_argument, Status(alpha::Code::kFirst));
  EXPECT_EQ(Status(alpha::Code::kFirst).argument(), 0u);
}

TEST(StatusTest, NamesAreDomainDotCode) {
  EXPECT_EQ((StatusName<alpha::Code, beta::Code>(beta::Code::kFirst)),
            "flash.first");
  EXPECT_EQ((StatusName<alpha::Code, beta::Code>(alpha::Code::kFirst)),
            "crypto.first");
  // A domain the caller did not list still says whose it is.
  EXPECT_EQ(StatusName<alpha::Code>(beta::Code::kFirst), "flash.unknown");
  for (std::uint8_t d = 0; d <= 8; ++d) {
    EXPECT_NE(DomainName(static_cast<Domain>(d)), "unknown");
  }
}

TEST(StatusTest, OkFromZeroIsOkAndFailsSafeOnAnyOtherWord) {
  // Run-time words, as from a register (not folded at compile time).
  volatile std::uint32_t zero = 0;
  volatile std::uint32_t one = 1;
  volatile std::uint32_t high = 0x80000000u;
  EXPECT_TRUE(Status::OkFromZero(zero).ok());
  EXPECT_EQ(Status::OkFromZero(zero), OkStatus());
  EXPECT_EQ(Status::OkFromZero(zero).raw(), 0u);
  // Not zero: never a false success.
  EXPECT_FALSE(Status::OkFromZero(one).ok());
  EXPECT_FALSE(Status::OkFromZero(high).ok());
  EXPECT_EQ(Status::OkFromZero(high).raw(), 0x80000000u);
}

TEST(StatusTest, FitsOneRegister) {
  EXPECT_EQ(sizeof(Status), 4u);
  EXPECT_TRUE(std::is_trivially_copyable_v<Status>);
}

TEST(ResultTest, CarriesAValueOrAStatus) {
  Result<int> value = 42;
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(value.value(), 42);
  EXPECT_EQ(*value, 42);
  EXPECT_TRUE(value.status().ok());

  Result<int> refused = alpha::Code::kSecond;
  EXPECT_FALSE(refused.ok());
  EXPECT_EQ(refused.status(), alpha::Code::kSecond);
  EXPECT_EQ(refused.value(), 0);

  Result<int> with_argument(beta::Code::kFirst, 3);
  EXPECT_EQ(with_argument.status(), beta::Code::kFirst);
  EXPECT_EQ(with_argument.status().argument(), 3u);

  const Result<int> from_status = Status(alpha::Code::kFirst);
  EXPECT_EQ(from_status.status(), alpha::Code::kFirst);
}

}  // namespace
}  // namespace base
