// Reads the section headers and symbol table of a 32-bit little-endian ELF
// (the firmware images), using the structures of glibc's <elf.h>.
//
// The budget report needs two facts the linker map does not state: which
// output sections occupy memory at all (SHF_ALLOC) and which take no image
// bytes (SHT_NOBITS: .bss, .stacks), plus a few linker-script symbols
// (the stack limits) and the entry point.
#ifndef TOOLS_RELEASE_ELF_FILE_H_
#define TOOLS_RELEASE_ELF_FILE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace release {

struct ElfSection {
  std::string name{};
  std::uint32_t type = 0;   // SHT_*
  std::uint32_t flags = 0;  // SHF_*
  std::uint32_t address = 0;
  std::uint32_t size = 0;

  bool allocated() const;
  bool occupies_image() const;  // allocated and has file contents
};

struct ElfSymbol {
  std::string name;
  std::uint32_t value = 0;
  std::uint32_t size = 0;
};

struct ElfImage {
  std::uint32_t entry = 0;
  std::vector<ElfSection> sections;
  std::vector<ElfSymbol> symbols;

  const ElfSection* FindSection(absl::string_view name) const;
  std::optional<std::uint32_t> SymbolValue(absl::string_view name) const;
};

// Parses an in-memory ELF32 little-endian image.
absl::StatusOr<ElfImage> ParseElf32(absl::string_view bytes);

}  // namespace release

#endif  // TOOLS_RELEASE_ELF_FILE_H_
