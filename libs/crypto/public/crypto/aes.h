// AES-128/192/256 block encryption (FIPS-197), constant-time by construction.
//
// The cipher is bitsliced: two blocks are held as eight 32-bit words, word j
// carrying bit j of all 32 state bytes, and every round is a fixed sequence
// of AND/XOR/shift/rotate operations on those words (aes.cc explains why that
// is constant-time). Only encryption is provided: GCM, the mode this library
// exists for, never runs the inverse cipher.
#ifndef LIBS_CRYPTO_PUBLIC_CRYPTO_AES_H_
#define LIBS_CRYPTO_PUBLIC_CRYPTO_AES_H_

#include <cstddef>
#include <cstdint>

#include "crypto/backend.h"
#include "crypto/status.h"

namespace crypto {
namespace internal {
struct AesCtrAccess;  // libs/crypto/aes_ctr.h
}  // namespace internal

class Aes {
 public:
  static constexpr std::size_t kBlockBytes = 16;
  static constexpr std::size_t kMaxRounds = 14;
  // One bitsliced round key: 8 words covering both lanes of a block pair.
  static constexpr std::size_t kRoundKeyWords = 8;

  Aes() = default;
  ~Aes() { Clear(); }
  // Key material is never duplicated implicitly.
  Aes(const Aes&) = delete;
  Aes& operator=(const Aes&) = delete;

  // Expands a 16-, 24- or 32-byte key for `backend` (crypto/backend.h: on
  // x86-64 hosts kAuto uses AES-NI where the CPU has it, kPortable never;
  // on the boards both are the build's backend). On error the object holds
  // no key.
  base::Status SetKey(const std::uint8_t* key, std::size_t key_bytes,
                      Backend backend = Backend::kAuto);
  // Wipes the expanded key.
  void Clear();

  bool has_key() const { return rounds_ != 0; }
  // 10, 12 or 14; 0 without a key.
  unsigned rounds() const { return rounds_; }

  // out = AES_K(in). in and out may be the same buffer.
  void EncryptBlock(const std::uint8_t in[kBlockBytes],
                    std::uint8_t out[kBlockBytes]) const;
  // Two independent blocks: out[0..15] = AES_K(in[0..15]), out[16..31] =
  // AES_K(in[16..31]). The bitsliced core always works on a pair, so this
  // costs the same as one EncryptBlock; CTR mode uses it.
  void EncryptBlockPair(const std::uint8_t in[2 * kBlockBytes],
                        std::uint8_t out[2 * kBlockBytes]) const;
  // `blocks` independent blocks (any count, 0 included): block i of out =
  // AES_K(block i of in). in and out may be the same buffer (other overlaps
  // are not allowed); no alignment needed. The fastest path available:
  // AES-NI on x86-64 hosts that have it; on cores with NEON (Cortex-R52)
  // eight blocks at a time in the vector unit; otherwise, and for the rest,
  // block pairs and a final single block. Same results as EncryptBlock
  // block by block; CTR mode uses it.
  void EncryptBlocks(const std::uint8_t* in, std::uint8_t* out,
                     std::size_t blocks) const;

 private:
  // The counter-mode cache of AES-GCM runs the cipher split inside round 2.
  friend struct internal::AesCtrAccess;
  // Bitsliced round keys 0..rounds_, with the S-box's affine constant 0x63
  // folded into keys 1..rounds_ (see aes.cc).
  std::uint32_t round_keys_[(kMaxRounds + 1) * kRoundKeyWords] = {};
  std::uint8_t rounds_ = 0;
  // x86-64 hosts: the schedule is AES-NI's (the FIPS-197 words), not the
  // bitsliced one. Always false elsewhere. Shares rounds_' word.
  bool x86_aesni_ = false;
};

}  // namespace crypto

#endif  // LIBS_CRYPTO_PUBLIC_CRYPTO_AES_H_
