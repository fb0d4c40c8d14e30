#include "tools/release/linker_map.h"

#include <optional>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace release {
namespace {

std::optional<std::uint64_t> ParseHex(absl::string_view token) {
  if (!absl::ConsumePrefix(&token, "0x")) return std::nullopt;
  std::uint64_t value = 0;
  if (!absl::SimpleHexAtoi(token, &value)) return std::nullopt;
  return value;
}

std::vector<absl::string_view> Tokens(absl::string_view line) {
  return absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
}

// "<address> <size> [load address <lma>]" after an output section's name.
bool ParseOutputPlacement(const std::vector<absl::string_view>& tokens,
                          std::size_t first, OutputSection& section) {
  if (tokens.size() < first + 2) return false;
  std::optional<std::uint64_t> address = ParseHex(tokens[first]);
  std::optional<std::uint64_t> size = ParseHex(tokens[first + 1]);
  if (!address || !size) return false;
  section.address = section.load_address = *address;
  section.size = *size;
  if (tokens.size() >= first + 5 && tokens[first + 2] == "load" &&
      tokens[first + 3] == "address") {
    if (std::optional<std::uint64_t> lma = ParseHex(tokens[first + 4]))
      section.load_address = *lma;
  }
  return true;
}

// "<address> <size> [origin...]" after an input section's name. The origin
// may contain spaces ("linker stubs").
bool ParseInputPlacement(const std::vector<absl::string_view>& tokens,
                         std::size_t first, InputSection& input) {
  if (tokens.size() < first + 2) return false;
  std::optional<std::uint64_t> address = ParseHex(tokens[first]);
  std::optional<std::uint64_t> size = ParseHex(tokens[first + 1]);
  if (!address || !size) return false;
  input.address = *address;
  input.size = *size;
  input.origin = absl::StrJoin(tokens.begin() + first + 2, tokens.end(), " ");
  return true;
}

absl::Status ParseMemoryConfiguration(
    const std::vector<absl::string_view>& lines, std::size_t& i,
    LinkerMap& map) {
  for (; i < lines.size() && lines[i] != "Linker script and memory map"; ++i) {
    std::vector<absl::string_view> tokens = Tokens(lines[i]);
    if (tokens.size() < 3 || tokens[0] == "Name" || tokens[0] == "*default*")
      continue;
    std::optional<std::uint64_t> origin = ParseHex(tokens[1]);
    std::optional<std::uint64_t> length = ParseHex(tokens[2]);
    if (!origin || !length) {
      return absl::InvalidArgumentError(
          absl::StrCat("bad memory region line: ", lines[i]));
    }
    map.regions.push_back(
        MemoryRegion{std::string(tokens[0]), *origin, *length});
  }
  return absl::OkStatus();
}

}  // namespace

const MemoryRegion* LinkerMap::FindRegion(absl::string_view name) const {
  for (const MemoryRegion& region : regions) {
    if (region.name == name) return &region;
  }
  return nullptr;
}

const MemoryRegion* LinkerMap::RegionOf(std::uint64_t address) const {
  for (const MemoryRegion& region : regions) {
    if (region.Contains(address)) return &region;
  }
  return nullptr;
}

absl::StatusOr<LinkerMap> ParseLinkerMap(absl::string_view text) {
  std::vector<absl::string_view> lines = absl::StrSplit(text, '\n');
  for (absl::string_view& line : lines) line = absl::StripSuffix(line, "\r");
  LinkerMap map;
  std::size_t i = 0;
  while (i < lines.size() && lines[i] != "Memory Configuration") ++i;
  if (i == lines.size())
    return absl::InvalidArgumentError("no 'Memory Configuration' in the map");
  if (absl::Status status = ParseMemoryConfiguration(lines, ++i, map);
      !status.ok())
    return status;
  if (i == lines.size()) {
    return absl::InvalidArgumentError(
        "no 'Linker script and memory map' in the map");
  }

  // A name too long for its column is printed alone, with the placement on
  // the next line; these remember such a name.
  std::optional<OutputSection> pending_output;
  std::optional<InputSection> pending_input;
  OutputSection* current = nullptr;
  for (++i; i < lines.size(); ++i) {
    absl::string_view line = lines[i];
    std::vector<absl::string_view> tokens = Tokens(line);
    if (tokens.empty()) {
      pending_output.reset();
      pending_input.reset();
      continue;
    }
    if (pending_output) {
      if (ParseOutputPlacement(tokens, 0, *pending_output)) {
        map.sections.push_back(std::move(*pending_output));
        current = &map.sections.back();
      }
      pending_output.reset();
      continue;
    }
    if (pending_input) {
      if (current != nullptr &&
          ParseInputPlacement(tokens, 0, *pending_input)) {
        current->inputs.push_back(std::move(*pending_input));
      }
      pending_input.reset();
      continue;
    }
    if (line[0] != ' ') {
      // An output section starts in column 0 with its name; everything else
      // there (LOAD, START GROUP, OUTPUT(...), /DISCARD/) ends the current one.
      current = nullptr;
      if (tokens[0][0] != '.') continue;
      OutputSection section{.name = std::string(tokens[0])};
      if (tokens.size() == 1) {
        pending_output = std::move(section);
      } else if (ParseOutputPlacement(tokens, 1, section)) {
        map.sections.push_back(std::move(section));
        current = &map.sections.back();
      }
      continue;
    }
    // Input sections are indented by exactly one space; deeper indentation
    // is a symbol or an assignment. Input patterns like *(.text .text.*)
    // start with '*' too, but only *fill* is a placement.
    if (current == nullptr || line.size() < 2 || line[1] == ' ') continue;
    if (tokens[0][0] == '*' && tokens[0] != "*fill*") continue;
    InputSection input{.name = std::string(tokens[0])};
    if (tokens.size() == 1) {
      pending_input = std::move(input);
    } else if (ParseInputPlacement(tokens, 1, input)) {
      current->inputs.push_back(std::move(input));
    }
  }
  return map;
}

}  // namespace release
