#include "tools/release/stack_usage.h"

#include <cxxabi.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <optional>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace release {
namespace {

struct Instruction {
  std::uint64_t address = 0;
  absl::string_view mnemonic;
  absl::string_view operands{};  // without objdump's "@ ..." comment
};

std::optional<std::uint64_t> ParseHexWord(absl::string_view text) {
  std::uint64_t value = 0;
  if (text.empty() || !absl::SimpleHexAtoi(text, &value)) return std::nullopt;
  return value;
}

std::optional<std::uint64_t> ParseImmediate(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  if (!absl::ConsumePrefix(&text, "#")) return std::nullopt;
  std::uint64_t value = 0;
  if (absl::ConsumePrefix(&text, "0x")) {
    if (!absl::SimpleHexAtoi(text, &value)) return std::nullopt;
  } else if (!absl::SimpleAtoi(text, &value)) {
    return std::nullopt;
  }
  return value;
}

// Bytes stored by a register list such as "{r4, r5, lr}" or "{d8-d15}".
std::uint64_t RegisterListBytes(absl::string_view operands) {
  std::size_t open = operands.find('{');
  std::size_t close = operands.find('}');
  if (open == absl::string_view::npos || close == absl::string_view::npos ||
      close < open)
    return 0;
  std::uint64_t bytes = 0;
  for (absl::string_view item :
       absl::StrSplit(operands.substr(open + 1, close - open - 1), ',')) {
    item = absl::StripAsciiWhitespace(item);
    if (item.empty()) continue;
    const std::uint64_t width =
        item[0] == 'd' ? 8 : 4;  // d: double FP register
    std::uint64_t count = 1;
    if (std::vector<absl::string_view> range = absl::StrSplit(item, '-');
        range.size() == 2) {
      std::uint64_t low = 0, high = 0;
      if (absl::SimpleAtoi(range[0].substr(1), &low) &&
          absl::SimpleAtoi(range[1].substr(1), &high) && high >= low) {
        count = high - low + 1;
      }
    }
    bytes += width * count;
  }
  return bytes;
}

// The mnemonic without a width qualifier: "sub.w" -> "sub".
absl::string_view BaseMnemonic(absl::string_view mnemonic) {
  return mnemonic.substr(0, mnemonic.find('.'));
}

bool IsDirectBranch(absl::string_view mnemonic) {
  static const std::set<absl::string_view, std::less<>> kBranches = {
      "b",   "beq", "bne", "bcs",  "bcc", "bhs", "blo", "bmi",
      "bpl", "bvs", "bvc", "bhi",  "bls", "bge", "blt", "bgt",
      "ble", "bal", "cbz", "cbnz", "bl",  "blx",
  };
  return kBranches.contains(BaseMnemonic(mnemonic));
}

// The target address of a direct branch: "20000052 <foo+0x22>" or, for
// cbz/cbnz, the same after a register.
std::optional<std::uint64_t> BranchTarget(absl::string_view operands) {
  std::size_t angle = operands.find(" <");
  if (angle == absl::string_view::npos) return std::nullopt;
  absl::string_view before = operands.substr(0, angle);
  std::size_t start = before.find_last_of(" ,");
  return ParseHexWord(
      start == absl::string_view::npos ? before : before.substr(start + 1));
}

// Bytes by which the instruction lowers sp, or nullopt if it does not.
// Sets dynamic for an amount held in a register.
std::optional<std::uint64_t> StackDecrement(const Instruction& insn,
                                            bool& dynamic) {
  const absl::string_view base = BaseMnemonic(insn.mnemonic);
  const absl::string_view ops = insn.operands;
  if (base == "push" || base == "vpush") return RegisterListBytes(ops);
  if ((base == "stmdb" || base == "stmfd" || base == "vstmdb") &&
      absl::StartsWith(ops, "sp!")) {
    return RegisterListBytes(ops);
  }
  if ((base == "sub" || base == "subw") && absl::StartsWith(ops, "sp, ")) {
    std::vector<absl::string_view> args = absl::StrSplit(ops, ", ");
    absl::string_view amount = args.back();
    if (args.size() == 3 && args[1] != "sp")
      return std::nullopt;  // sp = other - x
    if (std::optional<std::uint64_t> immediate = ParseImmediate(amount))
      return immediate;
    dynamic = true;
    return std::nullopt;
  }
  if (absl::StartsWith(base, "str") && absl::EndsWith(ops, "]!")) {
    std::size_t at = ops.find("[sp, #-");
    if (at == absl::string_view::npos) return std::nullopt;
    absl::string_view amount = ops.substr(at + 6);
    amount.remove_suffix(2);
    return ParseImmediate(absl::StrCat("#", amount.substr(1)));
  }
  return std::nullopt;
}

bool IsIndirectCall(const Instruction& insn) {
  const absl::string_view base = BaseMnemonic(insn.mnemonic);
  if (base == "blx" || base == "bx") {
    return !BranchTarget(insn.operands).has_value() && insn.operands != "lr";
  }
  // ldr pc, [rN...] or mov pc, rN: a computed jump (a return pops via sp).
  if ((base == "ldr" || base == "mov") &&
      absl::StartsWith(insn.operands, "pc, ")) {
    return !absl::StrContains(insn.operands, "sp") && insn.operands != "pc, lr";
  }
  return false;
}

std::optional<Instruction> ParseInstruction(absl::string_view line) {
  std::vector<absl::string_view> fields = absl::StrSplit(line, '\t');
  if (fields.size() < 2) return std::nullopt;
  absl::string_view address = absl::StripAsciiWhitespace(fields[0]);
  if (!absl::ConsumeSuffix(&address, ":")) return std::nullopt;
  std::optional<std::uint64_t> value = ParseHexWord(address);
  if (!value) return std::nullopt;
  Instruction insn{.address = *value,
                   .mnemonic = absl::StripAsciiWhitespace(fields[1])};
  if (fields.size() >= 3) insn.operands = absl::StripAsciiWhitespace(fields[2]);
  return insn;
}

struct Walker {
  const CallGraph& graph;
  std::map<std::uint64_t, std::uint64_t> depth{};  // memoised worst depth
  std::map<std::uint64_t, std::uint64_t>
      next{};  // the callee on the worst path
  std::set<std::uint64_t> active{};
  std::set<std::uint64_t> recursive{};

  std::uint64_t Visit(const FunctionFrame& function) {
    if (auto it = depth.find(function.address); it != depth.end())
      return it->second;
    active.insert(function.address);
    std::uint64_t deepest = 0;
    for (std::uint64_t callee_address : function.callees) {
      auto callee = graph.functions.find(callee_address);
      if (callee == graph.functions.end()) continue;
      if (active.contains(
              callee_address)) {  // a cycle: unbounded, not followed
        recursive.insert(callee_address);
        recursive.insert(function.address);
        continue;
      }
      std::uint64_t below = Visit(callee->second);
      if (below > deepest || !next.contains(function.address)) {
        deepest = std::max(deepest, below);
        next[function.address] = callee_address;
      }
    }
    active.erase(function.address);
    return depth[function.address] = function.frame_bytes + deepest;
  }
};

}  // namespace

const FunctionFrame* CallGraph::FunctionAt(std::uint64_t address) const {
  auto it = functions.upper_bound(address);
  if (it == functions.begin()) return nullptr;
  return &std::prev(it)->second;
}

std::string Demangle(const std::string& name) {
  int status = 0;
  std::unique_ptr<char, decltype(&std::free)> demangled(
      abi::__cxa_demangle(name.c_str(), nullptr, nullptr, &status), &std::free);
  return status == 0 && demangled ? std::string(demangled.get()) : name;
}

absl::StatusOr<CallGraph> ParseDisassembly(absl::string_view objdump_text) {
  CallGraph graph;
  struct PendingBranch {
    std::uint64_t from;
    std::uint64_t to;
    bool is_call;
  };
  std::vector<PendingBranch> branches;
  FunctionFrame* current = nullptr;
  for (absl::string_view line : absl::StrSplit(objdump_text, '\n')) {
    // "20000268 <board_c_start>:" starts a function.
    if (absl::EndsWith(line, ">:")) {
      std::size_t angle = line.find(" <");
      std::optional<std::uint64_t> address =
          angle == absl::string_view::npos
              ? std::nullopt
              : ParseHexWord(line.substr(0, angle));
      if (!address) continue;
      std::string name(line.substr(angle + 2, line.size() - angle - 4));
      current = &graph.functions[*address];
      *current = FunctionFrame{.name = std::move(name), .address = *address};
      continue;
    }
    std::optional<Instruction> insn = ParseInstruction(line);
    if (!insn || current == nullptr) continue;
    // Drop the comment ("@ 0x5438") objdump puts after a further tab.
    insn->operands = insn->operands.substr(0, insn->operands.find('\t'));
    bool dynamic = false;
    if (std::optional<std::uint64_t> bytes = StackDecrement(*insn, dynamic)) {
      current->frame_bytes += *bytes;
    }
    current->dynamic_stack |= dynamic;
    if (IsIndirectCall(*insn)) {
      ++current->indirect_calls;
    } else if (IsDirectBranch(insn->mnemonic)) {
      if (std::optional<std::uint64_t> target = BranchTarget(insn->operands)) {
        const absl::string_view base = BaseMnemonic(insn->mnemonic);
        branches.push_back(
            {current->address, *target, base == "bl" || base == "blx"});
      }
    }
  }
  if (graph.functions.empty())
    return absl::InvalidArgumentError("no functions in the disassembly");
  // Targets are resolved once every function is known (calls go forwards too).
  for (const PendingBranch& branch : branches) {
    const FunctionFrame* target = graph.FunctionAt(branch.to);
    if (target == nullptr) continue;
    // Inside the function it is a jump, unless it calls the function's own
    // entry: recursion.
    if (target->address == branch.from &&
        !(branch.is_call && branch.to == branch.from))
      continue;
    std::vector<std::uint64_t>& callees = graph.functions[branch.from].callees;
    if (std::find(callees.begin(), callees.end(), target->address) ==
        callees.end()) {
      callees.push_back(target->address);
    }
  }
  return graph;
}

absl::StatusOr<StackPath> WorstStackPath(const CallGraph& graph,
                                         std::uint64_t root) {
  auto root_function = graph.functions.find(root);
  if (root_function == graph.functions.end()) {
    return absl::NotFoundError(
        absl::StrCat("no function at 0x", absl::Hex(root)));
  }
  Walker walker{.graph = graph};
  StackPath path;
  path.bytes = walker.Visit(root_function->second);
  for (std::uint64_t at = root;;) {
    const FunctionFrame& function = graph.functions.at(at);
    path.frames.push_back({Demangle(function.name), function.frame_bytes});
    auto next = walker.next.find(at);
    if (next == walker.next.end()) break;
    at = next->second;
  }
  // Everything the walk reached (memoised) is reachable from the root.
  std::set<std::string> indirect, recursive, dynamic;
  for (const auto& [address, unused] : walker.depth) {
    const FunctionFrame& function = graph.functions.at(address);
    if (function.indirect_calls > 0) indirect.insert(Demangle(function.name));
    if (function.dynamic_stack) dynamic.insert(Demangle(function.name));
    if (walker.recursive.contains(address))
      recursive.insert(Demangle(function.name));
  }
  path.indirect_callers.assign(indirect.begin(), indirect.end());
  path.recursive.assign(recursive.begin(), recursive.end());
  path.dynamic_stack.assign(dynamic.begin(), dynamic.end());
  return path;
}

}  // namespace release
