// The memory budget report of a firmware image: static flash and RAM per
// library, the totals against the board's memory regions, the worst stack
// path, and the check of all of these against declared budgets.
#ifndef TOOLS_RELEASE_MEMORY_REPORT_H_
#define TOOLS_RELEASE_MEMORY_REPORT_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"
#include "tools/release/elf_file.h"
#include "tools/release/linker_map.h"
#include "tools/release/stack_usage.h"

namespace release {

struct Usage {
  std::uint64_t flash =
      0;  // bytes of the image (code, constants, .data's initial values)
  std::uint64_t ram = 0;  // bytes of RAM (.data, .bss, stacks)
};

struct MemoryReport {
  MemoryRegion flash_region{};
  MemoryRegion ram_region{};
  Usage used{};  // spans from each region's origin
  std::map<std::string, Usage>
      libraries{};         // sums to `used` (gaps count as linker)
  StackPath main_stack{};  // from the ELF entry point
  std::optional<std::uint64_t>
      main_stack_size{};  // __svc_stack_top - __svc_stack_limit
};

// The linker map gives the input sections and the memory regions; the ELF
// says which output sections are allocated and which carry image bytes; the
// call graph gives the stack depth.
absl::StatusOr<MemoryReport> ComputeMemoryReport(const LinkerMap& map,
                                                 const ElfImage& elf,
                                                 const CallGraph& calls);

struct Budget {
  std::map<std::string, Usage> libraries;
  std::optional<std::uint64_t> stack_bytes;
};

// {"stack_bytes": n, "libraries": {"libs/pool": {"flash": n, "ram": n}, ...}}
absl::StatusOr<Budget> ParseBudget(const nlohmann::json& json);

// Every way the report breaks the regions or the budget, one message each,
// e.g. "budget exceeded: libs/crypto flash 7,412 B > budget 6,000 B (grew by
// 1,412 B)". budget_file is named in the hint for libraries without a budget.
std::vector<std::string> CheckBudget(const MemoryReport& report,
                                     const Budget& budget,
                                     const std::string& budget_file);

nlohmann::json ReportToJson(const std::string& board,
                            const MemoryReport& report, const Budget& budget,
                            const std::vector<std::string>& violations);
std::string ReportToText(const std::string& board, const MemoryReport& report,
                         const Budget& budget,
                         const std::vector<std::string>& violations);

// 1234567 -> "1,234,567".
std::string WithThousands(std::uint64_t value);

}  // namespace release

#endif  // TOOLS_RELEASE_MEMORY_REPORT_H_
