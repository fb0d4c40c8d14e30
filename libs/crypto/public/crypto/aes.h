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
#include <span>

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

  // The span functions below are an inline layer over pointer-based cores
  // (aes.cc): the span is taken apart in the caller, so a call costs what
  // the pointer call did (a span passed by value to an out-of-line function
  // went through the stack on the boards).

  // Expands a 16-, 24- or 32-byte key for `backend` (crypto/backend.h: on
  // x86-64 hosts kAuto uses AES-NI where the CPU has it, kPortable never;
  // on the boards both are the build's backend). Any other size, an empty
  // (null) span included, is kInvalidKeyLength. On error the object holds
  // no key.
  base::Status SetKey(std::span<const std::uint8_t> key,
                      Backend backend = Backend::kAuto) {
    return RawSetKey(key.data(), key.size(), backend);
  }
  // Wipes the expanded key.
  void Clear();

  bool has_key() const { return rounds_ != 0; }
  // 10, 12 or 14; 0 without a key.
  unsigned rounds() const { return rounds_; }

  // out = AES_K(in). in and out may be the same buffer.
  void EncryptBlock(std::span<const std::uint8_t, kBlockBytes> in,
                    std::span<std::uint8_t, kBlockBytes> out) const {
    RawEncryptBlock(in.data(), out.data());
  }
  // Two independent blocks: out[0..15] = AES_K(in[0..15]), out[16..31] =
  // AES_K(in[16..31]). The bitsliced core always works on a pair, so this
  // costs the same as one EncryptBlock; CTR mode uses it.
  void EncryptBlockPair(std::span<const std::uint8_t, 2 * kBlockBytes> in,
                        std::span<std::uint8_t, 2 * kBlockBytes> out) const {
    RawEncryptBlockPair(in.data(), out.data());
  }
  // Independent blocks: block i of out = AES_K(block i of in), for the
  // min(in.size(), out.size()) / 16 whole blocks both spans hold (0
  // included); bytes past them are neither read nor written. in and out may
  // be the same buffer (other overlaps are not allowed); no alignment
  // needed. The fastest path available: AES-NI on x86-64 hosts that have
  // it; on cores with NEON (Cortex-R52) eight blocks at a time in the
  // vector unit; otherwise, and for the rest, block pairs and a final
  // single block. Same results as EncryptBlock block by block; CTR mode
  // uses it.
  void EncryptBlocks(std::span<const std::uint8_t> in,
                     std::span<std::uint8_t> out) const {
    const std::size_t bytes = in.size() < out.size() ? in.size() : out.size();
    RawEncryptBlocks(in.data(), out.data(), bytes / kBlockBytes);
  }

 private:
  // The counter-mode cache of AES-GCM runs the cipher split inside round 2;
  // it also gives libs/crypto's own code (aes_gcm.cc, aes_ctr.cc) the
  // pointer-based cores below.
  friend struct internal::AesCtrAccess;

  // The cores behind the span API: in[0..16 n) -> out[0..16 n), n = 1, 2
  // and `blocks`; in == out allowed.
  base::Status RawSetKey(const std::uint8_t* key, std::size_t key_bytes,
                         Backend backend);
  void RawEncryptBlock(const std::uint8_t* in, std::uint8_t* out) const;
  void RawEncryptBlockPair(const std::uint8_t* in, std::uint8_t* out) const;
  void RawEncryptBlocks(const std::uint8_t* in, std::uint8_t* out,
                        std::size_t blocks) const;

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
