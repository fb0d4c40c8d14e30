// A sweep of fleets: every (scenario, seed) pair given as an argument
// (`path/to/scenario.json@seed`) runs //sim:fleet once and must pass its
// verdict. Under Bazel's test sharding each shard runs only its share of
// the pairs (pair k goes to shard k mod TEST_TOTAL_SHARDS), so
// `shard_count` spreads a sweep over local cores or, unchanged, over the
// workers of a remote execution service; a failing pair is rerun locally
// with `bazel run //sim:fleet -- --scenario=... --seed=...`.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "sim/fleet_under_test.h"

namespace {

std::vector<std::string>* pairs = nullptr;

int EnvInt(const char* name, int fallback) {
  const char* value = std::getenv(name);
  int parsed = 0;
  return value != nullptr && absl::SimpleAtoi(value, &parsed) ? parsed
                                                              : fallback;
}

TEST(FleetSweepTest, EveryPairOfThisShardPasses) {
  ASSERT_NE(pairs, nullptr);
  ASSERT_FALSE(pairs->empty()) << "no scenario@seed pairs given";
  // Telling Bazel this test shards by itself (it is a single gtest case).
  if (const char* status = std::getenv("TEST_SHARD_STATUS_FILE"))
    std::ofstream(status).flush();
  const int shards = EnvInt("TEST_TOTAL_SHARDS", 1);
  const int shard = EnvInt("TEST_SHARD_INDEX", 0);
  const char* base = std::getenv("TEST_UNDECLARED_OUTPUTS_DIR");
  int ran = 0;
  for (std::size_t k = 0; k < pairs->size(); ++k) {
    if (static_cast<int>(k % shards) != shard) continue;
    const std::string& pair = (*pairs)[k];
    const std::size_t at = pair.rfind('@');
    ASSERT_NE(at, std::string::npos) << pair << ": want scenario.json@seed";
    const std::string scenario = pair.substr(0, at);
    const std::string seed = pair.substr(at + 1);
    const std::string out =
        absl::StrCat(base ? base : "/tmp", "/pair-", k, "-seed-", seed);
    std::filesystem::create_directories(out);
    const int exit_status = sim::RunFleet(
        {absl::StrCat("--scenario=", scenario), absl::StrCat("--seed=", seed),
         absl::StrCat("--out=", out), "--noprogress"});
    EXPECT_EQ(exit_status, 0)
        << scenario << " seed " << seed << ": verdict failed (report in " << out
        << "); rerun with bazel run //sim:fleet -- --scenario=" << scenario
        << " --seed=" << seed;
    ++ran;
  }
  std::printf("shard %d of %d ran %d of %zu pairs\n", shard, shards, ran,
              pairs->size());
}

}  // namespace

int main(int argc, char** argv) {
  // The one test case shards by pairs itself; GoogleTest would otherwise
  // shard the list of cases and give it to shard 0 only.
  unsetenv("GTEST_TOTAL_SHARDS");
  unsetenv("GTEST_SHARD_INDEX");
  testing::InitGoogleTest(&argc, argv);
  pairs = new std::vector<std::string>(argv + 1, argv + argc);
  return RUN_ALL_TESTS();
}
