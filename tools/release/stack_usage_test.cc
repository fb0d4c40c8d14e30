#include "tools/release/stack_usage.h"

#include <fstream>
#include <sstream>

#include "gtest/gtest.h"

namespace release {
namespace {

// The first 744 lines of `arm-none-eabi-objdump -d --no-show-raw-insn` of the
// secure_node mps3_an536 image: vector table, start-up code, board support
// and main(). Functions main() calls beyond the excerpt are simply absent.
CallGraph ParseTestDisassembly() {
  std::ifstream in("tools/release/testdata/secure_node_mps3_an536.objdump.txt");
  std::ostringstream text;
  text << in.rdbuf();
  absl::StatusOr<CallGraph> graph = ParseDisassembly(text.str());
  EXPECT_TRUE(graph.ok()) << graph.status();
  return graph.ok() ? *graph : CallGraph{};
}

const FunctionFrame& At(const CallGraph& graph, std::uint64_t address) {
  static const FunctionFrame kMissing;
  auto it = graph.functions.find(address);
  EXPECT_NE(it, graph.functions.end()) << std::hex << address;
  return it == graph.functions.end() ? kMissing : it->second;
}

TEST(StackUsageTest, FramesFromPrologues) {
  CallGraph graph = ParseTestDisassembly();
  EXPECT_EQ(At(graph, 0x20000138).name, "_start");
  EXPECT_EQ(At(graph, 0x20000138).frame_bytes, 0u);
  // push {r3, lr}
  EXPECT_EQ(At(graph, 0x20000268).frame_bytes, 8u);
  // push {lr}; sub sp, #12
  EXPECT_EQ(At(graph, 0x200002fc).frame_bytes, 16u);
  // sub sp, #8 (semihosting parameter block)
  EXPECT_EQ(At(graph, 0x20000390).frame_bytes, 8u);
  // stmdb sp!, {r4-r9, sl, fp, lr}; sub sp, #436
  EXPECT_EQ(At(graph, 0x200003e0).name, "main");
  EXPECT_EQ(At(graph, 0x200003e0).frame_bytes, 9 * 4 + 436u);
  // push {r4, r5, r6, lr}; vpush {d8}
  EXPECT_EQ(At(graph, 0x20000744).frame_bytes, 16 + 8u);
}

TEST(StackUsageTest, CallsAndBranchesBetweenFunctions) {
  CallGraph graph = ParseTestDisassembly();
  // _start branches to the in_el1 label, which calls board_c_start with blx.
  EXPECT_EQ(At(graph, 0x20000138).callees,
            std::vector<std::uint64_t>{0x20000174});
  const std::vector<std::uint64_t>& in_el1 = At(graph, 0x20000174).callees;
  EXPECT_NE(std::find(in_el1.begin(), in_el1.end(), 0x20000268u), in_el1.end());
  // Branches inside a function (loops) are not calls.
  EXPECT_TRUE(At(graph, 0x20000030).callees.empty());
  // ExitExtended is a leaf; Exit calls it once.
  EXPECT_EQ(At(graph, 0x20000384).callees,
            std::vector<std::uint64_t>{0x20000390});
  // The vector table's reset entry is a computed jump (ldr pc, [pc, #24]).
  EXPECT_EQ(At(graph, 0x20000000).indirect_calls, 1);
}

TEST(StackUsageTest, WorstPathFromTheEntryPoint) {
  CallGraph graph = ParseTestDisassembly();
  absl::StatusOr<StackPath> path = WorstStackPath(graph, 0x20000138);
  ASSERT_TRUE(path.ok()) << path.status();
  ASSERT_GE(path->frames.size(), 4u);
  EXPECT_EQ(path->frames[0].function, "_start");
  EXPECT_EQ(path->frames[1].function, "in_el1");
  EXPECT_EQ(path->frames[2].function, "board_c_start");
  EXPECT_EQ(path->frames[3].function, "main");
  std::uint64_t sum = 0;
  for (const StackFrameUse& frame : path->frames) sum += frame.frame_bytes;
  EXPECT_EQ(path->bytes, sum);
  EXPECT_GE(path->bytes, 8 + 472u);
}

// The image has no recursion, VLAs or function-pointer calls reachable in
// the excerpt; these shapes are written out by hand in objdump's format.
TEST(StackUsageTest, FlagsWhatItCannotBound) {
  constexpr absl::string_view kText =
      "00000100 <_Z7recursej>:\n"
      "     100:\tpush\t{r4, lr}\n"
      "     102:\tbl\t100 <_Z7recursej>\n"
      "     106:\tbl\t200 <_Z3vlaj>\n"
      "     10a:\tpop\t{r4, pc}\n"
      "\n"
      "00000200 <_Z3vlaj>:\n"
      "     200:\tpush\t{r7, lr}\n"
      "     202:\tsub.w\tsp, sp, r0\n"
      "     206:\tvpush\t{d8-d9}\n"
      "     20a:\tblx\tr3\n"
      "     20c:\tstr.w\tr4, [sp, #-8]!\n"
      "     210:\tpop\t{r7, pc}\n";
  absl::StatusOr<CallGraph> graph = ParseDisassembly(kText);
  ASSERT_TRUE(graph.ok()) << graph.status();
  EXPECT_EQ(At(*graph, 0x200).frame_bytes, 8 + 16 + 8u);
  absl::StatusOr<StackPath> path = WorstStackPath(*graph, 0x100);
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(path->bytes, 8 + 32u);
  EXPECT_FALSE(path->bounded());
  EXPECT_EQ(path->recursive, std::vector<std::string>{"recurse(unsigned int)"});
  EXPECT_EQ(path->indirect_callers,
            std::vector<std::string>{"vla(unsigned int)"});
  EXPECT_EQ(path->dynamic_stack, std::vector<std::string>{"vla(unsigned int)"});
}

TEST(StackUsageTest, UnknownRootIsAnError) {
  CallGraph graph = ParseTestDisassembly();
  EXPECT_FALSE(WorstStackPath(graph, 0x1).ok());
}

}  // namespace
}  // namespace release
