#include "tools/release/elf_file.h"

#include <elf.h>

#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace release {
namespace {

// Copies a T out of bytes at offset, bounds-checked (the file is untrusted
// input to the tool, and the structures may be unaligned in the buffer).
template <typename T>
absl::StatusOr<T> ReadAt(absl::string_view bytes, std::uint64_t offset) {
  if (offset > bytes.size() || bytes.size() - offset < sizeof(T)) {
    return absl::InvalidArgumentError(
        absl::StrCat("ELF truncated at offset ", offset));
  }
  T value;
  std::memcpy(&value, bytes.data() + offset, sizeof(T));
  return value;
}

std::string StringAt(absl::string_view bytes, const Elf32_Shdr& table,
                     std::uint32_t index) {
  if (index >= table.sh_size || table.sh_offset > bytes.size()) return "";
  absl::string_view strings = bytes.substr(
      table.sh_offset,
      std::min<std::uint64_t>(table.sh_size, bytes.size() - table.sh_offset));
  absl::string_view rest = strings.substr(index);
  return std::string(rest.substr(0, rest.find('\0')));
}

}  // namespace

bool ElfSection::allocated() const { return (flags & SHF_ALLOC) != 0; }

bool ElfSection::occupies_image() const {
  return allocated() && type != SHT_NOBITS;
}

const ElfSection* ElfImage::FindSection(absl::string_view name) const {
  for (const ElfSection& section : sections) {
    if (section.name == name) return &section;
  }
  return nullptr;
}

std::optional<std::uint32_t> ElfImage::SymbolValue(
    absl::string_view name) const {
  for (const ElfSymbol& symbol : symbols) {
    if (symbol.name == name) return symbol.value;
  }
  return std::nullopt;
}

absl::StatusOr<ElfImage> ParseElf32(absl::string_view bytes) {
  absl::StatusOr<Elf32_Ehdr> header = ReadAt<Elf32_Ehdr>(bytes, 0);
  if (!header.ok()) return header.status();
  if (std::memcmp(header->e_ident, ELFMAG, SELFMAG) != 0 ||
      header->e_ident[EI_CLASS] != ELFCLASS32 ||
      header->e_ident[EI_DATA] != ELFDATA2LSB) {
    return absl::InvalidArgumentError("not a 32-bit little-endian ELF file");
  }
  if (header->e_shentsize != sizeof(Elf32_Shdr)) {
    return absl::InvalidArgumentError("unexpected ELF section header size");
  }
  std::vector<Elf32_Shdr> headers;
  for (std::uint32_t i = 0; i < header->e_shnum; ++i) {
    absl::StatusOr<Elf32_Shdr> section = ReadAt<Elf32_Shdr>(
        bytes, header->e_shoff + std::uint64_t{i} * sizeof(Elf32_Shdr));
    if (!section.ok()) return section.status();
    headers.push_back(*section);
  }
  if (header->e_shstrndx >= headers.size()) {
    return absl::InvalidArgumentError("ELF has no section name table");
  }

  ElfImage image;
  image.entry = header->e_entry;
  for (const Elf32_Shdr& section : headers) {
    image.sections.push_back(ElfSection{
        .name = StringAt(bytes, headers[header->e_shstrndx], section.sh_name),
        .type = section.sh_type,
        .flags = section.sh_flags,
        .address = section.sh_addr,
        .size = section.sh_size,
    });
    if (section.sh_type != SHT_SYMTAB || section.sh_link >= headers.size())
      continue;
    const Elf32_Shdr& names = headers[section.sh_link];
    for (std::uint64_t offset = 0;
         offset + sizeof(Elf32_Sym) <= section.sh_size;
         offset += sizeof(Elf32_Sym)) {
      absl::StatusOr<Elf32_Sym> symbol =
          ReadAt<Elf32_Sym>(bytes, section.sh_offset + offset);
      if (!symbol.ok()) return symbol.status();
      if (symbol->st_name == 0) continue;
      image.symbols.push_back(ElfSymbol{
          .name = StringAt(bytes, names, symbol->st_name),
          .value = symbol->st_value,
          .size = symbol->st_size,
      });
    }
  }
  return image;
}

}  // namespace release
