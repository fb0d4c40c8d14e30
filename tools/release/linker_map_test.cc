#include "tools/release/linker_map.h"

#include <fstream>
#include <sstream>

#include "gtest/gtest.h"

namespace release {
namespace {

// An excerpt of the secure_node mps3_an536 image's map (bazel build of
// //apps/secure_node:secure_node_mps3_an536): the memory configuration, the
// start and end of .text, and everything from the toolchain's functions to
// the stacks, plus one debug section.
LinkerMap ParseTestMap() {
  std::ifstream in("tools/release/testdata/secure_node_mps3_an536.map.txt");
  std::ostringstream text;
  text << in.rdbuf();
  absl::StatusOr<LinkerMap> map = ParseLinkerMap(text.str());
  EXPECT_TRUE(map.ok()) << map.status();
  return map.ok() ? *map : LinkerMap{};
}

const OutputSection* Find(const LinkerMap& map, absl::string_view name) {
  for (const OutputSection& section : map.sections) {
    if (section.name == name) return &section;
  }
  return nullptr;
}

TEST(LinkerMapTest, ReadsTheMemoryRegions) {
  LinkerMap map = ParseTestMap();
  ASSERT_EQ(map.regions.size(), 2u);
  EXPECT_EQ(map.regions[0].name, "FLASH");
  EXPECT_EQ(map.regions[0].origin, 0x20000000u);
  EXPECT_EQ(map.regions[0].length, 4u << 20);
  EXPECT_EQ(map.regions[1].name, "RAM");
  EXPECT_EQ(map.regions[1].length, 12u << 20);
  EXPECT_EQ(map.RegionOf(0x20400018)->name, "RAM");
  EXPECT_EQ(map.RegionOf(0x1000), nullptr);
}

TEST(LinkerMapTest, ReadsOutputSectionsWithLoadAddresses) {
  LinkerMap map = ParseTestMap();
  const OutputSection* text = Find(map, ".text");
  ASSERT_NE(text, nullptr);
  EXPECT_EQ(text->address, 0x20000000u);
  EXPECT_EQ(text->load_address, 0x20000000u);
  EXPECT_EQ(text->size, 0x5420u);
  const OutputSection* data = Find(map, ".data");
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(data->address, 0x20400000u);
  EXPECT_EQ(data->load_address, 0x200058b8u);
  EXPECT_EQ(data->size, 0x18u);
  // A name too long for its column: the placement is on the next line.
  const OutputSection* loclists = Find(map, ".debug_loclists");
  ASSERT_NE(loclists, nullptr);
  EXPECT_GT(loclists->size, 0u);
  // .ARM.extab is empty and has no placement at all.
  EXPECT_EQ(Find(map, ".ARM.extab"), nullptr);
}

TEST(LinkerMapTest, ReadsInputSectionsAndTheirOrigins) {
  LinkerMap map = ParseTestMap();
  const OutputSection* text = Find(map, ".text");
  ASSERT_NE(text, nullptr);
  ASSERT_GE(text->inputs.size(), 3u);
  EXPECT_EQ(text->inputs[0].name, ".vectors");
  EXPECT_EQ(text->inputs[0].size, 0x24u);
  EXPECT_EQ(text->inputs[0].origin,
            "bazel-out/k8-fastbuild-ST-33d9f36cd38f/bin/platforms/common/"
            "libbare_metal_runtime.lo(cortex_r_start.o)");
  // Long input section names wrap like long output section names.
  EXPECT_EQ(text->inputs[1].name, ".text._ZN5board4InfoEv");
  EXPECT_EQ(text->inputs[1].address, 0x20000024u);
  EXPECT_EQ(text->inputs[1].size, 0xcu);
  // Origins may contain spaces.
  EXPECT_EQ(text->inputs.back().origin, "linker stubs");
}

TEST(LinkerMapTest, ReadsFillAndIgnoresRelaxationNotes) {
  LinkerMap map = ParseTestMap();
  const OutputSection* stacks = Find(map, ".stacks");
  ASSERT_NE(stacks, nullptr);
  std::uint64_t fill = 0;
  for (const InputSection& input : stacks->inputs) {
    EXPECT_TRUE(input.is_fill());
    fill += input.size;
  }
  EXPECT_EQ(fill, stacks->size);
  EXPECT_EQ(stacks->size, 4 * 0x400u + 0x10000u);

  // "0xc8 (size before relaxing)" lines follow some .rodata inputs.
  const OutputSection* rodata = Find(map, ".rodata");
  ASSERT_NE(rodata, nullptr);
  std::uint64_t placed = 0;
  for (const InputSection& input : rodata->inputs) placed += input.size;
  EXPECT_EQ(placed, rodata->size);
}

TEST(LinkerMapTest, RejectsTextThatIsNoMap) {
  EXPECT_FALSE(ParseLinkerMap("hello\n").ok());
}

}  // namespace
}  // namespace release
