// Worst-case stack use of a firmware image by static analysis of its
// disassembly (arm-none-eabi-objdump -d --no-show-raw-insn).
//
// Per function, the frame is the sum of every stack-pointer decrement in
// its body: push/stmdb sp!, vpush/vstmdb sp!, sub sp #imm and pre-indexed
// stores [sp, #-n]!. Summing rather than following paths over-approximates
// shrink-wrapped functions (two prologues on different paths), which is the
// safe direction. The call graph comes from bl/blx <address> and from
// branches whose target is another function (tail calls and branches
// between assembler labels, counted with the caller's frame still in place,
// again the safe direction).
//
// What the analysis cannot bound, it reports instead of guessing:
//   * indirect calls (blx rN, bx rN, ldr pc, ...): virtual calls and function
//     pointers; their callees are not in the graph;
//   * recursion (a cycle in the call graph);
//   * dynamic stack allocation (sub sp, sp, rN: VLAs, alloca).
// The worst path is then a lower bound for those paths, and the report
// names the functions involved.
#ifndef TOOLS_RELEASE_STACK_USAGE_H_
#define TOOLS_RELEASE_STACK_USAGE_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace release {

struct FunctionFrame {
  std::string name{};  // as objdump prints it (mangled)
  std::uint64_t address = 0;
  std::uint64_t frame_bytes = 0;
  std::vector<std::uint64_t>
      callees{};  // entry addresses, in order of appearance, unique
  int indirect_calls = 0;
  bool dynamic_stack = false;
};

struct CallGraph {
  std::map<std::uint64_t, FunctionFrame> functions;  // by entry address

  // The function whose body contains address, or nullptr.
  const FunctionFrame* FunctionAt(std::uint64_t address) const;
};

absl::StatusOr<CallGraph> ParseDisassembly(absl::string_view objdump_text);

struct StackFrameUse {
  std::string function;  // demangled
  std::uint64_t frame_bytes = 0;
};

struct StackPath {
  std::uint64_t bytes = 0;            // frames summed along `frames`
  std::vector<StackFrameUse> frames;  // root first
  // Reachable from the root; all demangled and sorted.
  std::vector<std::string> indirect_callers;
  std::vector<std::string> recursive;
  std::vector<std::string> dynamic_stack;

  bool bounded() const {
    return indirect_callers.empty() && recursive.empty() &&
           dynamic_stack.empty();
  }
};

// The deepest call path from the function at root.
absl::StatusOr<StackPath> WorstStackPath(const CallGraph& graph,
                                         std::uint64_t root);

// Demangles a C++ symbol name; returns other names unchanged.
std::string Demangle(const std::string& name);

}  // namespace release

#endif  // TOOLS_RELEASE_STACK_USAGE_H_
