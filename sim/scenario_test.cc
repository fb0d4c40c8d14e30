#include "sim/scenario.h"

#include <filesystem>
#include <set>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "sim/topology.h"
#include "sim/traffic.h"

namespace sim {
namespace {

TEST(ScenarioTest, ParsesEveryField) {
  absl::StatusOr<Scenario> s = ParseScenario(R"({
    "name": "x", "nodes": 5, "boards": ["versatilepb_r5f"], "topology": "ring", "seed": 9,
    "traffic": {"messages_per_node": 7, "rate_per_node": 3.5, "size_min": 10, "size_max": 20},
    "faults": {"drop": 0.1, "forge": 0.2, "delay_max_ms": 99},
    "restarts": [{"node": 4, "at": 0.25}],
    "timeouts": {"boot_s": 5, "run_s": 6, "drain_ms": 7}
  })");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->name, "x");
  EXPECT_EQ(s->nodes, 5);
  EXPECT_EQ(s->boards, std::vector<std::string>{"versatilepb_r5f"});
  EXPECT_EQ(s->topology, Topology::kRing);
  EXPECT_EQ(s->seed, 9u);
  EXPECT_EQ(s->messages_per_node, 7);
  EXPECT_DOUBLE_EQ(s->rate_per_node, 3.5);
  EXPECT_EQ(s->size_min, 10);
  EXPECT_EQ(s->size_max, 20);
  EXPECT_DOUBLE_EQ(s->faults.drop, 0.1);
  EXPECT_DOUBLE_EQ(s->faults.forge, 0.2);
  EXPECT_EQ(s->faults.delay_max_ms, 99);
  ASSERT_EQ(s->restarts.size(), 1u);
  EXPECT_EQ(s->restarts[0].node, 4);
  EXPECT_EQ(s->drain_timeout_ms, 7);
}

TEST(ScenarioTest, RejectsTyposBadValuesAndBadJson) {
  EXPECT_FALSE(ParseScenario(R"({"nodez": 3})").ok());
  EXPECT_FALSE(ParseScenario(R"({"traffic": {"rate": 3}})").ok());
  EXPECT_FALSE(ParseScenario(R"({"nodes": 1})").ok());
  EXPECT_FALSE(ParseScenario(R"({"nodes": "three"})").ok());
  EXPECT_FALSE(ParseScenario(R"({"boards": ["pdp11"]})").ok());
  EXPECT_FALSE(ParseScenario(R"({"traffic": {"size_max": 4097}})").ok());
  EXPECT_FALSE(
      ParseScenario(R"({"faults": {"drop": 0.7, "bitflip": 0.7}})").ok());
  EXPECT_FALSE(ParseScenario(R"({"restarts": [{"node": 9}]})").ok());
  EXPECT_FALSE(ParseScenario(R"({"nodes": 4,)").ok());
  EXPECT_FALSE(ParseScenario(R"({"traffic": {"mode": "fast"}})").ok());
  EXPECT_FALSE(ParseScenario(R"({"traffic": {"mode": 3}})").ok());
}

// Repeatable traffic takes every fault kind: the timed ones are parked
// until the fleet settles instead of timed (router.h).
TEST(ScenarioTest, RepeatableModeTakesEveryFaultKind) {
  for (const char* kind :
       {"drop", "forge", "delay", "reorder", "replay", "duplicate"}) {
    const absl::StatusOr<Scenario> ok = ParseScenario(
        absl::StrCat(R"({"traffic": {"mode": "repeatable"}, "faults": {")",
                     kind, R"(": 0.1}})"));
    ASSERT_TRUE(ok.ok()) << kind << ": " << ok.status();
    EXPECT_EQ(ok->mode, TrafficMode::kRepeatable);
  }
  Scenario s;
  s.faults = FaultMix{};
  ScenarioOverrides o;
  o.mode = "saturate";
  ASSERT_TRUE(ApplyOverrides(o, &s).ok());
  EXPECT_EQ(s.mode, TrafficMode::kSaturate);
  EXPECT_EQ(ScenarioToJson(s)["traffic"]["mode"], "saturate");
}

TEST(ScenarioTest, RoundTripsThroughJson) {
  Scenario s;
  s.nodes = 6;
  s.topology = Topology::kStar;
  s.faults = ModerateFaults();
  s.restarts = {{3, 0.4}};
  s.sizes = {0, 4096};
  absl::StatusOr<Scenario> back = ScenarioFromJson(ScenarioToJson(s));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(ScenarioToJson(*back), ScenarioToJson(s));
}

TEST(ScenarioTest, FlagOverridesApplyFieldByField) {
  Scenario s;
  ScenarioOverrides o;
  o.nodes = 3;
  o.boards = "mps3_an536,versatilepb_r5f";
  o.sizes = "0,16,4096";
  o.faults = "drop=0.5,delay_min_ms=1,delay_max_ms=2";
  o.restarts = "2@0.5,3@0.75";
  ASSERT_TRUE(ApplyOverrides(o, &s).ok());
  EXPECT_EQ(s.nodes, 3);
  EXPECT_EQ(s.BoardOf(1), "mps3_an536");
  EXPECT_EQ(s.BoardOf(2), "versatilepb_r5f");
  EXPECT_EQ(s.BoardOf(3), "mps3_an536");
  EXPECT_EQ(s.sizes, (std::vector<int>{0, 16, 4096}));
  EXPECT_DOUBLE_EQ(s.faults.drop, 0.5);
  EXPECT_DOUBLE_EQ(s.faults.bitflip, 0);
  EXPECT_EQ(s.faults.delay_max_ms, 2);
  ASSERT_EQ(s.restarts.size(), 2u);
  EXPECT_DOUBLE_EQ(s.restarts[1].at, 0.75);
  o = {};
  o.sizes = "5:9";
  ASSERT_TRUE(ApplyOverrides(o, &s).ok());
  EXPECT_EQ(s.size_min, 5);
  EXPECT_EQ(s.size_max, 9);
  o = {};
  o.faults = "explode=1";
  EXPECT_FALSE(ApplyOverrides(o, &s).ok());
  o = {};
  o.restarts = "2";
  EXPECT_FALSE(ApplyOverrides(o, &s).ok());
}

TEST(ScenarioTest, CheckedInScenariosAreValid) {
  int count = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator("sim/scenarios")) {
    absl::StatusOr<Scenario> s = LoadScenarioFile(entry.path().string());
    EXPECT_TRUE(s.ok()) << entry.path() << ": " << s.status();
    ++count;
  }
  EXPECT_GE(count, 4);
}

TEST(TopologyTest, Adjacency) {
  EXPECT_TRUE(Adjacent(Topology::kRing, 5, 1, 5));
  EXPECT_TRUE(Adjacent(Topology::kRing, 5, 2, 3));
  EXPECT_FALSE(Adjacent(Topology::kRing, 5, 1, 3));
  EXPECT_TRUE(Adjacent(Topology::kStar, 5, 4, 1));
  EXPECT_FALSE(Adjacent(Topology::kStar, 5, 4, 2));
  EXPECT_FALSE(Adjacent(Topology::kAllToAll, 5, 3, 3));
  EXPECT_FALSE(Adjacent(Topology::kAllToAll, 5, 3, 6));
  EXPECT_EQ(Neighbours(Topology::kAllToAll, 4, 2),
            (std::vector<std::uint8_t>{1, 3, 4}));
  EXPECT_EQ(Neighbours(Topology::kStar, 4, 1),
            (std::vector<std::uint8_t>{2, 3, 4}));
}

TEST(TrafficTest, PlanIsReproducibleOrderedAndRespectsTheScenario) {
  Scenario s;
  s.nodes = 5;
  s.topology = Topology::kRing;
  s.messages_per_node = 20;
  s.sizes = {0, 16, 4096};
  const std::vector<PlannedMessage> plan = PlanTraffic(s);
  ASSERT_EQ(plan.size(), 100u);
  std::set<std::uint32_t> sizes;
  for (std::size_t i = 0; i < plan.size(); ++i) {
    EXPECT_EQ(plan[i].id, i + 1);
    if (i > 0) {
      EXPECT_LE(plan[i - 1].at, plan[i].at);
    }
    EXPECT_TRUE(Adjacent(s.topology, s.nodes, plan[i].src, plan[i].dst));
    sizes.insert(plan[i].size);
  }
  EXPECT_EQ(sizes, (std::set<std::uint32_t>{0, 16, 4096}));
  const std::vector<PlannedMessage> again = PlanTraffic(s);
  for (std::size_t i = 0; i < plan.size(); ++i)
    EXPECT_EQ(again[i].seed, plan[i].seed);
  s.seed = 2;
  EXPECT_NE(PlanTraffic(s)[0].seed, plan[0].seed);
}

}  // namespace
}  // namespace sim
