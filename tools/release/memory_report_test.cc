#include "tools/release/memory_report.h"

#include <elf.h>

#include "gtest/gtest.h"
#include "tools/release/library_attribution.h"

namespace release {
namespace {

constexpr char kPool[] =
    "bazel-out/k8-fastbuild-ST-1/bin/libs/pool/libpool.a(pool.o)";
constexpr char kCrypto[] =
    "bazel-out/k8-fastbuild-ST-1/bin/libs/crypto/libgcm.a(aes_gcm.o)";
constexpr char kLibc[] =
    "/usr/lib/arm-none-eabi/lib/thumb/v7+fp/hard/libc.a(lib_a-memcpy.o)";

// A small image laid out like the boards' linker script: .text and .rodata
// in FLASH, .data in RAM loaded from FLASH, .bss and .stacks in RAM only,
// and a debug section that takes no memory.
struct TestImage {
  LinkerMap map;
  ElfImage elf;
  CallGraph calls;
};

TestImage MakeImage() {
  TestImage image;
  image.map.regions = {{"FLASH", 0x0, 0x1000}, {"RAM", 0x10000, 0x2000}};
  image.map.sections = {
      {".text",
       0x0,
       0x0,
       0x108,
       {{".text.a", 0x0, 0x100, kCrypto},
        {"*fill*", 0x100, 0x4, ""},
        {".text", 0x104, 0x4, kLibc}}},
      {".rodata", 0x110, 0x110, 0x10, {{".rodata.k", 0x110, 0x10, kCrypto}}},
      {".data", 0x10000, 0x120, 0x8, {{".data.p", 0x10000, 0x8, kPool}}},
      {".bss", 0x10008, 0x128, 0x40, {{".bss.p", 0x10008, 0x40, kPool}}},
      {".stacks", 0x10048, 0x128, 0x400, {{"*fill*", 0x10048, 0x400, ""}}},
      {".debug_info", 0x0, 0x0, 0x999, {{".debug_info", 0x0, 0x999, kCrypto}}},
  };
  image.elf.entry = 0x1;  // Thumb bit set
  image.elf.sections = {
      {".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, 0x0, 0x108},
      {".rodata", SHT_PROGBITS, SHF_ALLOC, 0x110, 0x10},
      {".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, 0x10000, 0x8},
      {".bss", SHT_NOBITS, SHF_ALLOC | SHF_WRITE, 0x10008, 0x40},
      {".stacks", SHT_NOBITS, SHF_ALLOC | SHF_WRITE, 0x10048, 0x400},
      {".debug_info", SHT_PROGBITS, 0, 0x0, 0x999},
  };
  image.elf.symbols = {{"__svc_stack_limit", 0x10048, 0},
                       {"__svc_stack_top", 0x10448, 0}};
  image.calls.functions[0x0] = {
      .name = "_start", .address = 0x0, .frame_bytes = 8, .callees = {0x80}};
  image.calls.functions[0x80] = {
      .name = "_Z4workv", .address = 0x80, .frame_bytes = 100};
  return image;
}

MemoryReport Compute(const TestImage& image) {
  absl::StatusOr<MemoryReport> report =
      ComputeMemoryReport(image.map, image.elf, image.calls);
  EXPECT_TRUE(report.ok()) << report.status();
  return report.ok() ? *report : MemoryReport{};
}

Budget Generous() {
  Budget budget;
  for (std::string library :
       {"libs/crypto", "libs/pool", "toolchain", "linker", "stacks"}) {
    budget.libraries[library] = {0x1000, 0x1000};
  }
  budget.stack_bytes = 512;
  return budget;
}

TEST(MemoryReportTest, AttributesSectionsToLibraries) {
  MemoryReport report = Compute(MakeImage());
  EXPECT_EQ(report.libraries["libs/crypto"].flash, 0x110u);
  EXPECT_EQ(report.libraries["libs/crypto"].ram,
            0u);  // debug info takes no memory
  EXPECT_EQ(report.libraries["libs/pool"].flash,
            0x8u);  // .data's initial values
  EXPECT_EQ(report.libraries["libs/pool"].ram, 0x48u);
  EXPECT_EQ(report.libraries["toolchain"].flash, 0x4u);
  EXPECT_EQ(report.libraries["stacks"].ram, 0x400u);
  // Fill, plus the gap between .text and .rodata, plus .data's alignment.
  EXPECT_EQ(report.libraries["linker"].flash, 0x4u + 0x8u);
}

TEST(MemoryReportTest, TotalsSpanFromTheRegionOrigins) {
  MemoryReport report = Compute(MakeImage());
  EXPECT_EQ(report.used.flash, 0x128u);
  EXPECT_EQ(report.used.ram, 0x448u);
  std::uint64_t flash = 0, ram = 0;
  for (const auto& [library, usage] : report.libraries)
    flash += usage.flash, ram += usage.ram;
  EXPECT_EQ(flash, report.used.flash);
  EXPECT_EQ(ram, report.used.ram);
  EXPECT_EQ(report.main_stack.bytes, 108u);
  EXPECT_EQ(report.main_stack_size, 0x400u);
}

TEST(MemoryReportTest, WithinBudgetHasNoViolations) {
  MemoryReport report = Compute(MakeImage());
  EXPECT_TRUE(CheckBudget(report, Generous(), "b.json").empty());
}

TEST(MemoryReportTest, SaysWhatGrew) {
  MemoryReport report = Compute(MakeImage());
  Budget budget = Generous();
  budget.libraries["libs/crypto"].flash = 0x100;
  budget.stack_bytes = 100;
  EXPECT_EQ(CheckBudget(report, budget, "b.json"),
            (std::vector<std::string>{
                "budget exceeded: libs/crypto flash 272 B > budget 256 B (grew "
                "by 16 B)",
                "budget exceeded: worst stack path 108 B > budget 100 B (grew "
                "by 8 B)",
            }));
}

TEST(MemoryReportTest, RegionOverflowAndUndeclaredLibraries) {
  TestImage image = MakeImage();
  image.map.regions[1].length = 0x400;
  MemoryReport report = Compute(image);
  Budget budget = Generous();
  budget.libraries.erase("libs/pool");
  EXPECT_EQ(
      CheckBudget(report, budget, "b.json"),
      (std::vector<std::string>{
          "budget exceeded: RAM total 1,096 B > region 1,024 B (grew by 72 B)",
          "no budget declared for libs/pool (flash 8 B, ram 72 B): add it to "
          "b.json",
      }));
}

TEST(MemoryReportTest, StackBeyondTheMainStack) {
  TestImage image = MakeImage();
  image.calls.functions[0x80].frame_bytes = 0x1000;
  MemoryReport report = Compute(image);
  Budget budget = Generous();
  budget.stack_bytes.reset();
  EXPECT_EQ(
      CheckBudget(report, budget, "b.json"),
      std::vector<std::string>{"budget exceeded: worst stack path 4,104 B > "
                               "main stack 1,024 B (grew by 3,080 B)"});
}

TEST(MemoryReportTest, ParsesBudgets) {
  absl::StatusOr<Budget> budget = ParseBudget(nlohmann::json::parse(
      R"({"stack_bytes": 4096, "libraries": {"libs/pool": {"flash": 10, "ram": 20}}})"));
  ASSERT_TRUE(budget.ok()) << budget.status();
  EXPECT_EQ(budget->stack_bytes, 4096u);
  EXPECT_EQ(budget->libraries["libs/pool"].flash, 10u);
  EXPECT_EQ(budget->libraries["libs/pool"].ram, 20u);
  EXPECT_FALSE(
      ParseBudget(nlohmann::json::parse(
                      R"({"libraries": {"x": {"flash": -1, "ram": 0}}})"))
          .ok());
  EXPECT_FALSE(
      ParseBudget(nlohmann::json::parse(R"({"stack_bytes": 1})")).ok());
}

TEST(MemoryReportTest, ReportsAreDeterministicAndComplete) {
  MemoryReport report = Compute(MakeImage());
  Budget budget = Generous();
  std::vector<std::string> violations = CheckBudget(report, budget, "b.json");
  nlohmann::json json = ReportToJson("board", report, budget, violations);
  EXPECT_EQ(json["regions"]["FLASH"]["used"], 0x128u);
  EXPECT_EQ(json["libraries"]["libs/pool"]["ram_budget"], 0x1000u);
  EXPECT_EQ(json["stack"]["path"][1]["function"], "work()");
  EXPECT_EQ(json.dump(),
            ReportToJson("board", report, budget, violations).dump());
  std::string text = ReportToText("board", report, budget, violations);
  EXPECT_NE(text.find("libs/crypto"), std::string::npos);
  EXPECT_NE(text.find("work()"), std::string::npos);
  EXPECT_NE(text.find("Budget: OK"), std::string::npos);
}

TEST(MemoryReportTest, Thousands) {
  EXPECT_EQ(WithThousands(0), "0");
  EXPECT_EQ(WithThousands(999), "999");
  EXPECT_EQ(WithThousands(1000), "1,000");
  EXPECT_EQ(WithThousands(4194304), "4,194,304");
}

}  // namespace
}  // namespace release
