// Parses a GNU ld linker map (-Wl,-Map=...): the memory regions the linker
// script declared and, per output section, the input sections placed in it
// with the archive member or object each came from.
//
// Only the parts the budget report needs are read; see linker_map_test.cc
// and testdata/ for the exact shapes of the lines (captured from real maps).
#ifndef TOOLS_RELEASE_LINKER_MAP_H_
#define TOOLS_RELEASE_LINKER_MAP_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace release {

struct MemoryRegion {
  std::string name{};  // e.g. FLASH, RAM
  std::uint64_t origin = 0;
  std::uint64_t length = 0;

  bool Contains(std::uint64_t address) const {
    return address >= origin && address - origin < length;
  }
};

struct InputSection {
  std::string name{};  // e.g. .text._ZN4pool4Pool8AllocateEv, or *fill*
  std::uint64_t address = 0;
  std::uint64_t size = 0;
  std::string origin{};  // e.g. bazel-out/.../libs/pool/libpool.a(pool.o);
                         // empty for *fill*
  bool is_fill() const { return name == "*fill*"; }
};

struct OutputSection {
  std::string name;
  std::uint64_t address = 0;  // VMA
  std::uint64_t load_address =
      0;  // LMA (equals address unless the map says otherwise)
  std::uint64_t size = 0;
  std::vector<InputSection> inputs{};
};

struct LinkerMap {
  std::vector<MemoryRegion> regions;  // without ld's *default*
  std::vector<OutputSection> sections;

  const MemoryRegion* FindRegion(absl::string_view name) const;
  const MemoryRegion* RegionOf(std::uint64_t address) const;
};

absl::StatusOr<LinkerMap> ParseLinkerMap(absl::string_view text);

}  // namespace release

#endif  // TOOLS_RELEASE_LINKER_MAP_H_
