#include "kdf/cmac.h"

#include "base/secure_wipe.h"

namespace kdf {
namespace {

// Doubling in GF(2^128) as SP 800-38B defines it: shift left by one bit; if
// the bit shifted out was 1, XOR 0x87 into the last byte. The condition is
// turned into a mask (0x00 or 0xff) so no branch depends on the key.
std::array<std::uint8_t, 16> Double(const std::array<std::uint8_t, 16>& in) {
  std::array<std::uint8_t, 16> out;
  const std::uint8_t carry_mask = static_cast<std::uint8_t>(-(in[0] >> 7));
  for (std::size_t i = 0; i < 15; ++i) {
    out[i] = static_cast<std::uint8_t>((in[i] << 1) | (in[i + 1] >> 7));
  }
  out[15] = static_cast<std::uint8_t>((in[15] << 1) ^ (carry_mask & 0x87));
  return out;
}

}  // namespace

base::Status AesCmac::SetKey(std::span<const std::uint8_t> key) {
  Clear();
  const base::Status status = aes_.SetKey(key);
  if (!status.ok()) return status;
  std::array<std::uint8_t, 16> l{};
  aes_.EncryptBlock(l, l);
  k1_ = Double(l);
  k2_ = Double(k1_);
  base::SecureWipe(l.data(), l.size());
  return base::OkStatus();
}

void AesCmac::Clear() {
  aes_.Clear();
  base::SecureWipe(k1_.data(), k1_.size());
  base::SecureWipe(k2_.data(), k2_.size());
}

CmacTag AesCmac::Compute(std::span<const std::uint8_t> message) const {
  const std::span<const std::uint8_t> pieces[] = {message};
  return Compute(pieces);
}

CmacTag AesCmac::Compute(
    std::span<const std::span<const std::uint8_t>> pieces) const {
  std::size_t total = 0;
  for (const auto& piece : pieces) total += piece.size();

  // CBC-MAC over every block but the last; the last block (complete, or
  // padded with 10*) is XORed with K1 or K2 before its encryption.
  std::array<std::uint8_t, 16> state{};
  std::array<std::uint8_t, 16> block{};
  std::size_t filled = 0;
  for (const auto& piece : pieces) {
    for (const std::uint8_t byte : piece) {
      if (filled == 16) {  // a full block that is not the last one
        for (std::size_t i = 0; i < 16; ++i) state[i] ^= block[i];
        aes_.EncryptBlock(state, state);
        filled = 0;
      }
      block[filled++] = byte;
    }
  }
  const bool complete = total != 0 && filled == 16;
  if (!complete) {
    block[filled] = 0x80;
    for (std::size_t i = filled + 1; i < 16; ++i) block[i] = 0;
  }
  const std::array<std::uint8_t, 16>& subkey = complete ? k1_ : k2_;
  for (std::size_t i = 0; i < 16; ++i) state[i] ^= block[i] ^ subkey[i];
  aes_.EncryptBlock(state, state);
  base::SecureWipe(block.data(), block.size());
  return state;
}

}  // namespace kdf
