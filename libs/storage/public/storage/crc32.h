// CRC-32 (IEEE 802.3: reflected polynomial 0xEDB88320, initial value and
// final XOR 0xFFFFFFFF; "123456789" -> 0xCBF43926), computed four bits at a
// time from a 16-entry table: 64 bytes of table instead of 1 KiB, about
// twice the work of the byte-wise table, which is little for the short
// records the store writes.
#ifndef LIBS_STORAGE_PUBLIC_STORAGE_CRC32_H_
#define LIBS_STORAGE_PUBLIC_STORAGE_CRC32_H_

#include <cstdint>
#include <span>

namespace storage {

inline constexpr std::uint32_t kCrc32Initial = 0xFFFFFFFFu;

// Feeds `bytes` into a running CRC state (start from kCrc32Initial).
std::uint32_t Crc32Update(std::uint32_t state,
                          std::span<const std::uint8_t> bytes);

// The CRC of a finished message from its running state.
constexpr std::uint32_t Crc32Final(std::uint32_t state) {
  return state ^ 0xFFFFFFFFu;
}

inline std::uint32_t Crc32(std::span<const std::uint8_t> bytes) {
  return Crc32Final(Crc32Update(kCrc32Initial, bytes));
}

}  // namespace storage

#endif  // LIBS_STORAGE_PUBLIC_STORAGE_CRC32_H_
