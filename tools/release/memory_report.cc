#include "tools/release/memory_report.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "tools/release/library_attribution.h"

namespace release {
namespace {

// The linker script reserves the stacks in an output section of this name
// (platforms/common/cortex_r_sections.ld); its fill is stack, not padding.
constexpr absl::string_view kStacksSection = ".stacks";

std::string Bytes(std::uint64_t value) {
  return absl::StrCat(WithThousands(value), " B");
}

std::string Percent(std::uint64_t part, std::uint64_t whole) {
  return whole == 0 ? "-"
                    : absl::StrFormat(
                          "%.1f%%", 100.0 * static_cast<double>(part) / whole);
}

void CheckLimit(std::vector<std::string>& violations, const std::string& what,
                std::uint64_t used, std::uint64_t limit,
                absl::string_view limit_name) {
  if (used <= limit) return;
  violations.push_back(absl::StrCat("budget exceeded: ", what, " ", Bytes(used),
                                    " > ", limit_name, " ", Bytes(limit),
                                    " (grew by ", Bytes(used - limit), ")"));
}

}  // namespace

std::string WithThousands(std::uint64_t value) {
  std::string digits = absl::StrCat(value);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

absl::StatusOr<MemoryReport> ComputeMemoryReport(const LinkerMap& map,
                                                 const ElfImage& elf,
                                                 const CallGraph& calls) {
  const MemoryRegion* flash = map.FindRegion("FLASH");
  const MemoryRegion* ram = map.FindRegion("RAM");
  if (flash == nullptr || ram == nullptr) {
    return absl::InvalidArgumentError(
        "the linker map declares no FLASH and RAM regions");
  }
  MemoryReport report{.flash_region = *flash, .ram_region = *ram};
  Usage attributed;
  for (const OutputSection& section : map.sections) {
    const ElfSection* elf_section = elf.FindSection(section.name);
    if (elf_section == nullptr || !elf_section->allocated() ||
        section.size == 0)
      continue;
    const bool in_flash = elf_section->occupies_image();
    const bool in_ram = ram->Contains(section.address);
    if (in_flash) {
      if (!flash->Contains(section.load_address)) {
        return absl::InvalidArgumentError(
            absl::StrCat(section.name, " is loaded outside FLASH at 0x",
                         absl::Hex(section.load_address)));
      }
      report.used.flash =
          std::max(report.used.flash,
                   section.load_address + section.size - flash->origin);
    }
    if (in_ram) {
      report.used.ram = std::max(report.used.ram,
                                 section.address + section.size - ram->origin);
    }
    auto charge = [&](const std::string& library, std::uint64_t bytes) {
      Usage& usage = report.libraries[library];
      if (in_flash) usage.flash += bytes, attributed.flash += bytes;
      if (in_ram) usage.ram += bytes, attributed.ram += bytes;
    };
    std::uint64_t placed = 0;
    for (const InputSection& input : section.inputs) {
      if (input.size == 0) continue;
      placed += input.size;
      if (section.name == kStacksSection) {
        charge(std::string(kStacks), input.size);
      } else {
        charge(input.is_fill() ? std::string(kLinker) : LibraryOf(input.origin),
               input.size);
      }
    }
    if (section.size > placed) {
      charge(section.name == kStacksSection ? std::string(kStacks)
                                            : std::string(kLinker),
             section.size - placed);
    }
  }
  // Alignment gaps between output sections belong to no input section.
  Usage& linker = report.libraries[std::string(kLinker)];
  linker.flash +=
      report.used.flash - std::min(report.used.flash, attributed.flash);
  linker.ram += report.used.ram - std::min(report.used.ram, attributed.ram);

  absl::StatusOr<StackPath> main_stack = WorstStackPath(calls, elf.entry & ~1u);
  if (!main_stack.ok()) return main_stack.status();
  report.main_stack = *std::move(main_stack);
  std::optional<std::uint32_t> top = elf.SymbolValue("__svc_stack_top");
  std::optional<std::uint32_t> limit = elf.SymbolValue("__svc_stack_limit");
  if (top && limit && *top >= *limit) report.main_stack_size = *top - *limit;
  return report;
}

absl::StatusOr<Budget> ParseBudget(const nlohmann::json& json) {
  if (!json.is_object() || !json.contains("libraries") ||
      !json["libraries"].is_object()) {
    return absl::InvalidArgumentError("a budget needs a \"libraries\" object");
  }
  Budget budget;
  for (const auto& [library, limits] : json["libraries"].items()) {
    if (!limits.is_object() || !limits.contains("flash") ||
        !limits.contains("ram") || !limits["flash"].is_number_unsigned() ||
        !limits["ram"].is_number_unsigned()) {
      return absl::InvalidArgumentError(
          absl::StrCat("budget of ", library,
                       " needs unsigned \"flash\" and \"ram\" byte counts"));
    }
    budget.libraries[library] = Usage{limits["flash"].get<std::uint64_t>(),
                                      limits["ram"].get<std::uint64_t>()};
  }
  if (json.contains("stack_bytes")) {
    if (!json["stack_bytes"].is_number_unsigned()) {
      return absl::InvalidArgumentError(
          "\"stack_bytes\" must be an unsigned byte count");
    }
    budget.stack_bytes = json["stack_bytes"].get<std::uint64_t>();
  }
  return budget;
}

std::vector<std::string> CheckBudget(const MemoryReport& report,
                                     const Budget& budget,
                                     const std::string& budget_file) {
  std::vector<std::string> violations;
  CheckLimit(violations, "FLASH total", report.used.flash,
             report.flash_region.length, "region");
  CheckLimit(violations, "RAM total", report.used.ram, report.ram_region.length,
             "region");
  for (const auto& [library, usage] : report.libraries) {
    auto declared = budget.libraries.find(library);
    if (declared == budget.libraries.end()) {
      if (usage.flash == 0 && usage.ram == 0) continue;
      violations.push_back(absl::StrCat(
          "no budget declared for ", library, " (flash ", Bytes(usage.flash),
          ", ram ", Bytes(usage.ram), "): add it to ", budget_file));
      continue;
    }
    CheckLimit(violations, absl::StrCat(library, " flash"), usage.flash,
               declared->second.flash, "budget");
    CheckLimit(violations, absl::StrCat(library, " ram"), usage.ram,
               declared->second.ram, "budget");
  }
  if (report.main_stack_size) {
    CheckLimit(violations, "worst stack path", report.main_stack.bytes,
               *report.main_stack_size, "main stack");
  }
  if (budget.stack_bytes) {
    CheckLimit(violations, "worst stack path", report.main_stack.bytes,
               *budget.stack_bytes, "budget");
  }
  return violations;
}

nlohmann::json ReportToJson(const std::string& board,
                            const MemoryReport& report, const Budget& budget,
                            const std::vector<std::string>& violations) {
  auto region = [](const MemoryRegion& r, std::uint64_t used) {
    return nlohmann::json{{"origin", r.origin},
                          {"length", r.length},
                          {"used", used},
                          {"free", r.length - std::min(used, r.length)}};
  };
  nlohmann::json json;
  json["board"] = board;
  json["regions"] = {{"FLASH", region(report.flash_region, report.used.flash)},
                     {"RAM", region(report.ram_region, report.used.ram)}};
  for (const auto& [library, usage] : report.libraries) {
    nlohmann::json entry{{"flash", usage.flash}, {"ram", usage.ram}};
    if (auto declared = budget.libraries.find(library);
        declared != budget.libraries.end()) {
      entry["flash_budget"] = declared->second.flash;
      entry["ram_budget"] = declared->second.ram;
    }
    json["libraries"][library] = entry;
  }
  nlohmann::json& stack = json["stack"];
  stack["worst_bytes"] = report.main_stack.bytes;
  if (report.main_stack_size)
    stack["main_stack_bytes"] = *report.main_stack_size;
  if (budget.stack_bytes) stack["budget_bytes"] = *budget.stack_bytes;
  stack["bounded"] = report.main_stack.bounded();
  stack["path"] = nlohmann::json::array();
  for (const StackFrameUse& frame : report.main_stack.frames) {
    stack["path"].push_back(
        {{"function", frame.function}, {"frame_bytes", frame.frame_bytes}});
  }
  stack["indirect_callers"] = report.main_stack.indirect_callers;
  stack["recursive"] = report.main_stack.recursive;
  stack["dynamic_stack"] = report.main_stack.dynamic_stack;
  json["violations"] = violations;
  return json;
}

std::string ReportToText(const std::string& board, const MemoryReport& report,
                         const Budget& budget,
                         const std::vector<std::string>& violations) {
  std::string out = absl::StrCat("Memory budget report: ", board, "\n\n");
  auto region_line = [&](const MemoryRegion& r, std::uint64_t used) {
    absl::StrAppendFormat(
        &out, "%-5s at 0x%08x: %12s used of %12s (%s), %s free\n", r.name,
        r.origin, Bytes(used), Bytes(r.length), Percent(used, r.length),
        Bytes(r.length - std::min(used, r.length)));
  };
  region_line(report.flash_region, report.used.flash);
  region_line(report.ram_region, report.used.ram);

  auto budget_of = [&](const std::string& library, bool flash) -> std::string {
    auto it = budget.libraries.find(library);
    if (it == budget.libraries.end()) return "(none)";
    return WithThousands(flash ? it->second.flash : it->second.ram);
  };
  absl::StrAppendFormat(&out, "\n%-18s %10s %10s   %10s %10s\n", "library",
                        "flash B", "budget", "RAM B", "budget");
  Usage total;
  for (const auto& [library, usage] : report.libraries) {
    absl::StrAppendFormat(&out, "%-18s %10s %10s   %10s %10s\n", library,
                          WithThousands(usage.flash), budget_of(library, true),
                          WithThousands(usage.ram), budget_of(library, false));
    total.flash += usage.flash;
    total.ram += usage.ram;
  }
  absl::StrAppendFormat(&out, "%-18s %10s %10s   %10s %10s\n", "total",
                        WithThousands(total.flash), "",
                        WithThousands(total.ram), "");

  const StackPath& stack = report.main_stack;
  absl::StrAppend(
      &out, "\nWorst stack path from the entry point: ", Bytes(stack.bytes));
  if (report.main_stack_size)
    absl::StrAppend(&out, " of ", Bytes(*report.main_stack_size),
                    " main stack");
  if (budget.stack_bytes)
    absl::StrAppend(&out, ", budget ", Bytes(*budget.stack_bytes));
  absl::StrAppend(&out, "\n");
  for (const StackFrameUse& frame : stack.frames) {
    absl::StrAppendFormat(&out, "  %8s  %s\n", Bytes(frame.frame_bytes),
                          frame.function);
  }
  if (stack.bounded()) {
    absl::StrAppend(&out, "Every path from the entry point is bounded.\n");
  } else {
    absl::StrAppend(&out,
                    "Not bounded by this analysis (the figure above is a lower "
                    "bound for these):\n");
    auto list = [&](absl::string_view what,
                    const std::vector<std::string>& functions) {
      if (functions.empty()) return;
      absl::StrAppend(&out, "  ", what, ":\n");
      for (const std::string& function : functions)
        absl::StrAppend(&out, "    ", function, "\n");
    };
    list("indirect calls in", stack.indirect_callers);
    list("recursion through", stack.recursive);
    list("dynamic stack allocation in", stack.dynamic_stack);
  }

  absl::StrAppend(&out, "\nBudget: ", violations.empty() ? "OK" : "EXCEEDED",
                  "\n");
  for (const std::string& violation : violations)
    absl::StrAppend(&out, "  ", violation, "\n");
  return out;
}

}  // namespace release
