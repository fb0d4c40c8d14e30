// Writes the memory budget report of a firmware image (budget.json and
// budget.txt) and fails when the image breaks its board's memory regions or
// its declared budget. See apps/release/README.md.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "tools/release/elf_file.h"
#include "tools/release/linker_map.h"
#include "tools/release/memory_report.h"
#include "tools/release/stack_usage.h"

ABSL_FLAG(std::string, board, "", "Board name, for the report's title.");
ABSL_FLAG(std::string, map, "", "Linker map of the image (-Wl,-Map).");
ABSL_FLAG(std::string, elf, "", "The image's ELF file.");
ABSL_FLAG(std::string, disassembly, "",
          "arm-none-eabi-objdump -d --no-show-raw-insn of the ELF.");
ABSL_FLAG(std::string, budget, "", "Budget JSON (see apps/release/budgets/).");
ABSL_FLAG(std::string, json_out, "", "Where to write the report as JSON.");
ABSL_FLAG(std::string, text_out, "", "Where to write the report as text.");
ABSL_FLAG(bool, enforce, true,
          "Exit with status 1 when the budget is exceeded.");

namespace {

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError("cannot read " + path);
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

bool WriteFile(const std::string& path, const std::string& contents) {
  if (path.empty()) return true;
  std::ofstream out(path, std::ios::binary);
  out << contents;
  return static_cast<bool>(out);
}

int Fail(const absl::Status& status) {
  std::cerr << "budget_report: " << status << "\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string board = absl::GetFlag(FLAGS_board);
  absl::StatusOr<std::string> map_text = ReadFile(absl::GetFlag(FLAGS_map));
  absl::StatusOr<std::string> elf_bytes = ReadFile(absl::GetFlag(FLAGS_elf));
  absl::StatusOr<std::string> disassembly =
      ReadFile(absl::GetFlag(FLAGS_disassembly));
  absl::StatusOr<std::string> budget_text =
      ReadFile(absl::GetFlag(FLAGS_budget));
  for (const auto* input :
       {&map_text, &elf_bytes, &disassembly, &budget_text}) {
    if (!input->ok()) return Fail(input->status());
  }
  absl::StatusOr<release::LinkerMap> map = release::ParseLinkerMap(*map_text);
  if (!map.ok()) return Fail(map.status());
  absl::StatusOr<release::ElfImage> elf = release::ParseElf32(*elf_bytes);
  if (!elf.ok()) return Fail(elf.status());
  absl::StatusOr<release::CallGraph> calls =
      release::ParseDisassembly(*disassembly);
  if (!calls.ok()) return Fail(calls.status());
  nlohmann::json budget_json =
      nlohmann::json::parse(*budget_text, nullptr, /*allow_exceptions=*/false);
  if (budget_json.is_discarded()) {
    return Fail(absl::InvalidArgumentError(absl::GetFlag(FLAGS_budget) +
                                           " is not valid JSON"));
  }
  absl::StatusOr<release::Budget> budget = release::ParseBudget(budget_json);
  if (!budget.ok()) return Fail(budget.status());

  absl::StatusOr<release::MemoryReport> report =
      release::ComputeMemoryReport(*map, *elf, *calls);
  if (!report.ok()) return Fail(report.status());
  const std::vector<std::string> violations =
      release::CheckBudget(*report, *budget, absl::GetFlag(FLAGS_budget));

  const std::string text =
      release::ReportToText(board, *report, *budget, violations);
  if (!WriteFile(
          absl::GetFlag(FLAGS_json_out),
          release::ReportToJson(board, *report, *budget, violations).dump(2) +
              "\n") ||
      !WriteFile(absl::GetFlag(FLAGS_text_out), text)) {
    return Fail(absl::InternalError("cannot write the report"));
  }
  if (violations.empty() || !absl::GetFlag(FLAGS_enforce)) return 0;
  std::cerr << "Memory budget of " << board << " exceeded:\n";
  for (const std::string& violation : violations)
    std::cerr << "  " << violation << "\n";
  return 1;
}
