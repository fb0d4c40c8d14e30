// AES-GCM (SP 800-38D). Constant-time argument: AES (aes.cc) and GHASH
// (ghash.cc) are constant-time; this file only adds
//  * branches and indices that depend on lengths, pointers and the phase of
//    a stream, all public;
//  * the tag check, which ORs the byte differences together and turns the
//    result into an all-ones/all-zero mask arithmetically, so neither the
//    comparison nor what follows branches on the tag: decryption always runs
//    the CTR pass, writing (C ^ keystream) & mask, and the status code is
//    computed from the mask. A forged message costs exactly as much as a
//    genuine one, and no plaintext byte is ever stored when the mask is 0.
#include "crypto/aes_gcm.h"

#include <cstdint>
#include <cstring>
#include <span>

#include "base/byte_order.h"
#include "base/secure_wipe.h"
#include "libs/crypto/aes_ctr.h"
#include "libs/crypto/aes_gcm_x86.h"
#include "libs/crypto/hw_dispatch.h"

namespace crypto {
namespace {

constexpr std::size_t kBlock = AesGcm::kBlockBytes;

using base::LoadBe32;
using base::StoreBe32;

// True when [a, a + a_len) and [b, b + b_len) share a byte. Compared as
// integers: relational operators on pointers into different objects are
// unspecified in C++.
bool Overlaps(const void* a, std::size_t a_len, const void* b,
              std::size_t b_len) {
  if (a_len == 0 || b_len == 0) return false;
  const std::uintptr_t x = reinterpret_cast<std::uintptr_t>(a);
  const std::uintptr_t y = reinterpret_cast<std::uintptr_t>(b);
  return x < y + b_len && y < x + a_len;
}

// Taking the limits as uint64_t parameters keeps the comparisons meaningful
// (and warning-free) where size_t is 32 bits.
bool Exceeds(std::uint64_t len, std::uint64_t limit) { return len > limit; }

bool ValidTagLength(std::size_t tag_len) {
  return tag_len >= AesGcm::kMinTagBytes && tag_len <= AesGcm::kMaxTagBytes;
}

// Inlined by force, as the enum these checks returned used to be by GCC's
// heuristics: the callers' fast paths then fold the checks into theirs.
// Spans need no null checks on inputs: a span of n > 0 bytes points at
// them (std::span's precondition), and an empty one is never read.
[[gnu::always_inline]] inline base::Status CheckIv(std::size_t iv_len) {
  if (iv_len == 0 || Exceeds(iv_len, AesGcm::kMaxIvBytes)) {
    return Code::kInvalidIvLength;
  }
  return base::OkStatus();
}

// An output span shorter than the len bytes to be written: kNullBuffer if
// it is null (nowhere to write), else kOutputTooShort. Out of line and cold:
// the callers' fast path is one comparison.
[[gnu::cold, gnu::noinline]] base::Status ShortOutput(const std::uint8_t* out) {
  return out == nullptr ? Code::kNullBuffer : Code::kOutputTooShort;
}

// The checks one-shot Encrypt and Decrypt share, in the order their errors
// are documented, but for the output's size, which the span layer checks
// (aes_gcm.h; AesGcm::RefuseShortOutput ends the order); each then checks
// the overlaps of its own outputs.
[[gnu::always_inline]] inline base::Status CheckOneShotArguments(
    bool has_key, std::size_t iv_len, std::size_t aad_len, std::size_t len,
    std::size_t tag_len) {
  if (!has_key) return Code::kBadState;
  if (!ValidTagLength(tag_len)) return Code::kInvalidTagLength;
  if (const base::Status s = CheckIv(iv_len); !s.ok()) return s;
  if (Exceeds(len, AesGcm::kMaxTextBytes)) return Code::kMessageTooLong;
  if (Exceeds(aad_len, AesGcm::kMaxAadBytes)) return Code::kAadTooLong;
  return base::OkStatus();
}

// J0 = GHASH(IV || pad || [len(IV)]_64), for IVs of any length but 96 bits.
[[gnu::noinline]] void HashIvIntoJ0(const GhashKey& ghash,
                                    const std::uint8_t* iv, std::size_t iv_len,
                                    std::uint8_t j0[kBlock]) {
  std::uint32_t y[4] = {};
  ghash.Absorb(y, {iv, iv_len});
  ghash.AbsorbLengths(y, 0, static_cast<std::uint64_t>(iv_len) * 8);
  GhashKey::Store(y, std::span<std::uint8_t, kBlock>(j0, kBlock));
  base::SecureWipeFixed<sizeof y, 4>(y);
}

// J0: IV || 0^31 || 1 for 96-bit IVs (inline: three word copies and a
// store), else HashIvIntoJ0.
[[gnu::always_inline]] inline void DeriveJ0(const GhashKey& ghash,
                                            const std::uint8_t* iv,
                                            std::size_t iv_len,
                                            std::uint8_t j0[kBlock]) {
  if (iv_len == AesGcm::kNonceBytes) {
    std::memcpy(j0, iv, AesGcm::kNonceBytes);
    StoreBe32(j0 + 12, 1);
    return;
  }
  HashIvIntoJ0(ghash, iv, iv_len, j0);
}

inline std::uint32_t LoadWord(const std::uint8_t* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

inline void StoreWord(std::uint8_t* p, std::uint32_t v) {
  std::memcpy(p, &v, 4);
}

// LoadBe32 and StoreBe32 as one word access (and a byte swap on
// little-endian cores): GCC merges the byte-wise forms well in isolation,
// but not always next to other arithmetic (a lengths block of ~40
// instructions, a tag XOR vectorised into byte stores on the R52).
inline std::uint32_t LoadBe32Word(const std::uint8_t* p) {
  std::uint32_t v = LoadWord(p);
  if constexpr (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__) {
    v = __builtin_bswap32(v);
  }
  return v;
}

inline void StoreBe32Word(std::uint8_t* p, std::uint32_t v) {
  if constexpr (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__) {
    v = __builtin_bswap32(v);
  }
  StoreWord(p, v);
}

// Counter blocks per CtrXor step: the NEON kernel's group (eight blocks,
// four pairs per vector), which the other paths simply run as pairs.
constexpr std::size_t kCtrBlocks = 8;
constexpr std::size_t kPair = 2 * kBlock;

// The counter-mode cache for this message, or nullptr. counter_is_public:
// only with a 96-bit IV is the counter public (J0 = IV || 1); any other
// length gives J0 = GHASH(IV), which depends on H. len: the bytes the cache
// will be used for (public), a hint for when a run is worth caching.
internal::CtrCache* CacheFor(const Aes& aes, bool counter_is_public,
                             std::size_t len, internal::CtrCache& cache) {
  if (!counter_is_public || !internal::CtrCacheEnabled(aes)) return nullptr;
  cache.blocks_ahead = (len + kPair - 1) / kPair * 2;
  return &cache;
}

// out[i] = (in[i] ^ keystream[i]) & mask for len bytes, keystream blocks
// E(J0[0..12) || counter), E(.. || counter + 1), ... with the counter
// wrapping modulo 2^32 (inc32). Advances counter by the blocks produced,
// rounded up to a pair, as when the cipher only worked in pairs. GcmStream
// depends on pair steps: its byte-wise path also takes keystream a pair at
// a time, and it passes CtrXor only whole pairs, so its counter stays
// pair-aligned with the text. Up to kCtrBlocks counter blocks are built in
// the keystream buffer and encrypted in place by Aes::EncryptBlocks (one
// 128-byte buffer on the stack, not two); whole pairs of text are combined a
// word at a time (the mask is replicated into a word: still no branch on
// it).
//
// cache: non-null only for 96-bit IVs (then the counter is public) where
// internal::CtrCacheEnabled(aes); everything then goes through
// internal::CtrXorPairs, which skips rounds 0 and 1 (aes_ctr.h).
//
// kMasked: false where mask is the constant 0xff (encryption, streaming
// decryption), which saves the AND per word; a compile-time choice, not a
// branch on the mask.
template <bool kMasked>
[[gnu::noinline]] void CtrXor(const Aes& aes, const std::uint8_t j0[kBlock],
                              std::uint32_t& counter, const std::uint8_t* in,
                              std::uint8_t* out, std::size_t len,
                              std::uint8_t mask, internal::CtrCache* cache) {
  const std::uint32_t mask32 = kMasked ? 0x01010101u * mask : 0xffffffffu;
  if constexpr (!kMasked) mask = 0xff;
  if (cache != nullptr) {
    // Keystream and XOR in one pass (the assembly CTR entry on the boards):
    // whole pairs in place, a tail of less than a pair through a
    // zero-padded copy (a whole pair of counter blocks, as above).
    const std::size_t pairs = len / kPair;
    if (pairs != 0) {
      internal::CtrXorPairs(aes, *cache, j0, counter, in, out, pairs, mask32,
                            kMasked);
      counter += static_cast<std::uint32_t>(2 * pairs);
      in += pairs * kPair;
      out += pairs * kPair;
      len -= pairs * kPair;
    }
    if (len != 0) {
      std::uint8_t tail[kPair] = {};
      std::memcpy(tail, in, len);
      internal::CtrXorPairs(aes, *cache, j0, counter, tail, tail, 1, mask32,
                            kMasked);
      counter += 2;
      std::memcpy(out, tail, len);
      base::SecureWipe(tail, sizeof tail);
    }
    return;
  }
  std::uint8_t keystream[kCtrBlocks * kBlock];
  while (len != 0) {
    std::size_t n = len < kCtrBlocks * kBlock ? len : kCtrBlocks * kBlock;
    const std::size_t n_blocks = (n + kPair - 1) / kPair * 2;  // see above
    // All kCtrBlocks counter blocks, also on a short last step: a fixed,
    // unrolled sequence, so no loop condition involves the counter (which
    // derives from J0, secret for hashed IVs; ct_check_test would flag the
    // compare).
#pragma GCC unroll 8
    for (std::size_t b = 0; b < kCtrBlocks; ++b) {
      std::memcpy(keystream + b * kBlock, j0, 12);
      StoreBe32(keystream + b * kBlock + 12,
                counter + static_cast<std::uint32_t>(b));
    }
    counter += static_cast<std::uint32_t>(n_blocks);
    internal::AesCtrAccess::EncryptBlocks(aes, keystream, keystream, n_blocks);
    len -= n;
    // Whole pairs a word at a time, unrolled (five instructions a word), a
    // tail of less than a pair byte by byte.
    const std::uint8_t* ks = keystream;
    for (; n >= kPair; n -= kPair, in += kPair, out += kPair, ks += kPair) {
#pragma GCC unroll 8
      for (std::size_t w = 0; w < kPair; w += 4) {
        StoreWord(out + w, (LoadWord(in + w) ^ LoadWord(ks + w)) & mask32);
      }
    }
    for (std::size_t i = 0; i < n; ++i) {
      out[i] = static_cast<std::uint8_t>((in[i] ^ ks[i]) & mask);
    }
    in += n;
    out += n;
  }
  base::SecureWipe(keystream, sizeof keystream);
}

// E(J0), the block that masks the tag. When the message starts a cached
// run (a 96-bit IV, so J0 = IV || 1, and enough blocks ahead for
// CtrXorPairs to set one up), E(J0) is the second block of the cached pair
// at counter 0: same run and window as the text's counters 2, 3, ..., so
// the run set up here serves the text, which must come after. Otherwise a
// plain block.
void EncryptJ0(const Aes& aes, const std::uint8_t j0[kBlock],
               internal::CtrCache* cache, std::uint8_t out[kBlock]) {
  if (cache == nullptr ||
      cache->blocks_ahead < internal::CtrCache::kMinRunBlocks) {
    internal::AesCtrAccess::EncryptBlock(aes, j0, out);
    return;
  }
  std::uint8_t pair[kPair] = {};
  internal::CtrXorPairs(aes, *cache, j0, 0, pair, pair, 1, 0xffffffffu,
                        /*masked=*/false);
  std::memcpy(out, pair + kBlock, kBlock);
  base::SecureWipe(pair, sizeof pair);
}

// E(J0) riding in the CTR pass (one-shot Encrypt and Decrypt). The cipher
// works on pairs of blocks (eight at a time with NEON), so a text of an odd
// number of blocks leaves one lane of its last pair unused; E(J0) takes it
// instead of costing a pair of its own (a 16-byte message: one pair, J0 and
// inc32(J0), instead of two). The lane is the last pair's rather than the
// first: the text's pairs then still start at even counters, which the
// counter-mode cache's windows of 32 need (aes_ctr.h). The final step, the
// last few text blocks and J0, is encrypted first: decryption must know
// E(J0), and so the tag's verdict, before it writes any plaintext.
//
// kFinalStepBlocks: the most blocks the final step encrypts. With NEON it
// is the last group of eight, so that a group whose last lane is free stays
// one group; elsewhere a pair, the cipher's unit (and the cache's: only the
// final pair leaves the cached path).
#if defined(CRYPTO_BACKEND_R52_NEON)
constexpr std::size_t kFinalStepBlocks = kCtrBlocks;
#else
constexpr std::size_t kFinalStepBlocks = 2;
#endif

// How a text of len bytes splits around the final step. Public: lengths.
struct FinalStep {
  // Text blocks that share the final step with J0: 0 (E(J0) is a block of
  // its own, EncryptJ0) when the text has an even number of blocks (no free
  // lane), else the text's last blocks up to the free lane (odd, less than
  // kFinalStepBlocks).
  std::size_t text_blocks;
  // The text's bytes before the final step (all of it without one): whole
  // steps of kFinalStepBlocks blocks.
  std::size_t head;
};

// The one-shot functions' key-dependent locals, in one object that one
// inline wipe clears (three separate wipes cost more code and instructions).
struct OneShotSecrets {
  std::uint32_t y[4];  // the GHASH state
  alignas(4) std::uint8_t j0[kBlock];
  // The final step's keystream with E(J0) at block FinalStep::text_blocks;
  // without a final step, E(J0) alone at block 0.
  alignas(4) std::uint8_t ks[kFinalStepBlocks * kBlock];
  void Wipe() { base::SecureWipeFixed<sizeof(OneShotSecrets), 4>(this); }
};

FinalStep PlanFinalStep(std::size_t len) {
  const std::size_t blocks = (len + kBlock - 1) / kBlock;
  if (blocks % 2 == 0) return {0, len};
  const std::size_t text_blocks = (blocks - 1) % kFinalStepBlocks + 1;
  return {text_blocks, (blocks - text_blocks) * kBlock};
}

// The final step's keystream: ks[16 i ..] = E(J0[0..12) || counter + i) for
// i < text_blocks (odd, < kFinalStepBlocks), then ks[16 text_blocks ..] =
// E(J0). All kFinalStepBlocks counter blocks are written, unrolled, as in
// CtrXor: no loop condition involves the counter; J0 overwrites one at a
// public index.
void EncryptFinalStep(const Aes& aes, const std::uint8_t j0[kBlock],
                      std::uint32_t counter, std::size_t text_blocks,
                      std::uint8_t ks[kFinalStepBlocks * kBlock]) {
  if (kFinalStepBlocks == 2 || text_blocks == 1) {
    // One pair, the common case (every short message): its two blocks
    // only, and the pair core without EncryptBlocks' dispatch.
    std::memcpy(ks, j0, 12);
    StoreBe32(ks + 12, counter);
    std::memcpy(ks + kBlock, j0, kBlock);
    internal::AesCtrAccess::EncryptBlockPair(aes, ks, ks);
    return;
  }
#pragma GCC unroll 8
  for (std::size_t b = 0; b < kFinalStepBlocks; ++b) {
    std::memcpy(ks + b * kBlock, j0, 12);
    StoreBe32(ks + b * kBlock + 12, counter + static_cast<std::uint32_t>(b));
  }
  std::memcpy(ks + text_blocks * kBlock, j0, kBlock);
  internal::AesCtrAccess::EncryptBlocks(aes, ks, ks, text_blocks + 1);
}

// out[i] = (in[i] ^ ks[i]) & mask for i < len, words, then bytes; out of
// line, one copy for both directions.
[[gnu::noinline]] void XorMaskedAny(const std::uint8_t* in,
                                    const std::uint8_t* ks, std::uint8_t* out,
                                    std::size_t len, std::uint32_t mask32) {
  std::size_t i = 0;
  for (; i + 4 <= len; i += 4) {
    StoreWord(out + i, (LoadWord(in + i) ^ LoadWord(ks + i)) & mask32);
  }
  for (; i < len; ++i) {
    out[i] = static_cast<std::uint8_t>((in[i] ^ ks[i]) & mask32);
  }
}

// The same with a whole block, the usual final step of a short message, in
// four straight-line word operations.
[[gnu::always_inline]] inline void XorMasked(const std::uint8_t* in,
                                             const std::uint8_t* ks,
                                             std::uint8_t* out, std::size_t len,
                                             std::uint32_t mask32) {
  if (len != kBlock) {
    XorMaskedAny(in, ks, out, len, mask32);
    return;
  }
#pragma GCC unroll 4
  for (std::size_t w = 0; w < kBlock; w += 4) {
    StoreWord(out + w, (LoadWord(in + w) ^ LoadWord(ks + w)) & mask32);
  }
}

// Encrypts len bytes and absorbs the ciphertext. The portable path works
// 1 KiB at a time so each chunk is still in cache when GHASH reads it back
// (text in and out, 2 KiB, fit the smallest Cortex-R5 data cache, 4 KB);
// longer chunks mean fewer calls (256-byte ones cost the R5F 0.57
// instructions/byte more at 4 KiB). The AES-NI path hashes the whole run at
// once (4-block aggregated reduction).
void EncryptAndHash(const Aes& aes, const GhashKey& ghash,
                    const std::uint8_t j0[kBlock], std::uint32_t& counter,
                    std::uint32_t y[4], const std::uint8_t* in,
                    std::uint8_t* out, std::size_t len,
                    internal::CtrCache* cache) {
  if (internal::AesCtrAccess::UsesX86AesNi(aes)) {
    CtrXor<false>(aes, j0, counter, in, out, len, 0xff, cache);
    ghash.Absorb(y, {out, len});
    return;
  }
  constexpr std::size_t kChunk = 1024;
  while (len != 0) {
    const std::size_t n = len < kChunk ? len : kChunk;
    CtrXor<false>(aes, j0, counter, in, out, n, 0xff, cache);
    ghash.Absorb(y, {out, n});
    in += n;
    out += n;
    len -= n;
  }
}

// GHASH input that comes in short pieces (a message's AAD, the text of its
// final step, the lengths block) gathered so that the pieces take one call
// of the block routine instead of one each. Measured on the boards, a call
// costs ~36 instructions of set-up (the assembly zeroes its frame on
// return), and on the R5F a lone block misses the two-block step with H^2
// (553 instructions against 531.5 per block): a 16-byte message with a
// 16-byte header hashes three blocks. A piece that does not fit in the
// room left goes to GhashKey::Absorb directly, after what is pending (the
// order matters). Everything held is public (AAD, ciphertext, lengths), so
// the buffer needs no wipe. The buffer is the caller's: with it outside
// the object, GCC keeps the object's fields in registers.
class GhashBatch {
 public:
  // Room for the AAD, text and lengths of a one-block message.
  static constexpr std::size_t kBytes = 3 * kBlock;

  // buf: kBytes, word-aligned.
  GhashBatch(const GhashKey& key, std::uint32_t y[4], std::uint8_t* buf)
      : key_(key), y_(y), buf_(buf) {}

  // data, zero-padded to whole blocks as GCM pads AAD and text. A whole
  // block that fits (a link message's header or payload) takes four word
  // copies here; anything else goes out of line, to AddAny.
  void Add(const std::uint8_t* data, std::size_t len) {
    if (len == kBlock && used_ != kBytes) {
      std::memcpy(buf_ + used_, data, kBlock);
      used_ += kBlock;
      return;
    }
    used_ = AddAny(key_, y_, buf_, used_, data, len);
  }
  // The closing block [len(A)]_64 || [len(C)]_64, lengths in bytes here.
  void AddLengths(std::uint64_t aad_bytes, std::uint64_t text_bytes) {
    if (used_ == kBytes) Flush();
    std::uint8_t* const to = buf_ + used_;
    StoreBe32Word(to, static_cast<std::uint32_t>(aad_bytes >> 29));
    StoreBe32Word(to + 4, static_cast<std::uint32_t>(aad_bytes << 3));
    StoreBe32Word(to + 8, static_cast<std::uint32_t>(text_bytes >> 29));
    StoreBe32Word(to + 12, static_cast<std::uint32_t>(text_bytes << 3));
    used_ += kBlock;
  }
  // Absorbs what is pending.
  void Flush() {
    if (used_ == 0) return;
    key_.Absorb(y_, {buf_, used_});
    used_ = 0;
  }

 private:
  // Add for any length; returns the new used_. A function of values, not a
  // member: the object's fields stay in the caller's registers.
  [[gnu::noinline]] static std::size_t AddAny(
      const GhashKey& key, std::uint32_t y[4], std::uint8_t* buf,
      std::size_t used, const std::uint8_t* data, std::size_t len) {
    if (len == 0) return used;
    const std::size_t padded = (len + kBlock - 1) / kBlock * kBlock;
    if (padded > kBytes - used) {
      if (used != 0) key.Absorb(y, {buf, used});
      used = 0;
      if (padded > kBytes) {
        key.Absorb(y, {data, len});
        return 0;
      }
    }
    std::memset(buf + used + padded - kBlock, 0, kBlock);
    std::memcpy(buf + used, data, len);
    return used + padded;
  }

  const GhashKey& key_;
  std::uint32_t* const y_;
  std::uint8_t* const buf_;
  std::size_t used_ = 0;  // bytes pending, whole blocks
};

// All ones if the first tag_len bytes of a and b are equal, else zero,
// without a branch or an index that depends on their contents. A whole
// word, so that StatusFromMask is one BIC with a shifted operand. The
// bytes are compared a word at a time (the loops run on tag_len only).
std::uint32_t EqualMask(const std::uint8_t* a, const std::uint8_t* b,
                        std::size_t tag_len) {
  // Tags are 12..16 bytes (checked by every caller): three words always.
  static_assert(AesGcm::kMinTagBytes == 12);
  std::uint32_t diff = (LoadWord(a) ^ LoadWord(b)) |
                       (LoadWord(a + 4) ^ LoadWord(b + 4)) |
                       (LoadWord(a + 8) ^ LoadWord(b + 8));
  std::size_t i = 12;
  if (tag_len == kBlock) {
    diff |= LoadWord(a + 12) ^ LoadWord(b + 12);
    i = kBlock;
  }
  for (; i < tag_len; ++i) diff |= a[i] ^ b[i];
  diff |= diff >> 16;
  diff = (diff | diff >> 8) & 0xffu;
  // diff is 0..255: diff - 1 is negative exactly when diff == 0, and the
  // arithmetic shift spreads that sign over the word.
  return static_cast<std::uint32_t>(static_cast<std::int32_t>(diff - 1) >> 8);
}

// block ^= S, S the GHASH value y as bytes (big-endian words): E(J0) ^ S is
// the full tag. A word at a time.
[[gnu::always_inline]] inline void XorGhashValue(std::uint8_t block[kBlock],
                                                 const std::uint32_t y[4]) {
#pragma GCC unroll 4
  for (int i = 0; i < 4; ++i) {
    StoreBe32Word(block + 4 * i, LoadBe32Word(block + 4 * i) ^ y[i]);
  }
}

// Ok when mask is all ones, kAuthenticationFailed when it is zero, by
// arithmetic: the mask clears the refusal's bits.
base::Status StatusFromMask(std::uint32_t mask) {
  return base::Status(Code::kAuthenticationFailed).ClearedBy(mask);
}

}  // namespace

base::Status AesGcm::RawSetKey(const std::uint8_t* key, std::size_t key_bytes,
                               Backend backend) {
  Clear();
  const base::Status status = aes_.SetKey({key, key_bytes}, backend);
  if (!status.ok()) return status;
  std::uint8_t h[kBlock] = {};
  aes_.EncryptBlock(h, h);
  ghash_key_.Set(h, backend);
  base::SecureWipe(h, sizeof h);
  return base::OkStatus();
}

void AesGcm::Clear() {
  aes_.Clear();
  ghash_key_.Clear();
}

base::Status AesGcm::RefuseShortOutput(std::size_t iv_len, std::size_t aad_len,
                                       std::size_t len, const std::uint8_t* out,
                                       std::size_t tag_len) const {
  if (const base::Status s =
          CheckOneShotArguments(has_key(), iv_len, aad_len, len, tag_len);
      !s.ok()) {
    return s;
  }
  return ShortOutput(out);
}

base::Status AesGcm::RawEncrypt(const std::uint8_t* iv, std::size_t iv_len,
                                const std::uint8_t* aad, std::size_t aad_len,
                                const std::uint8_t* plaintext, std::size_t len,
                                std::uint8_t* ciphertext, std::uint8_t* tag,
                                std::size_t tag_len) const {
  if (const base::Status s =
          CheckOneShotArguments(has_key(), iv_len, aad_len, len, tag_len);
      !s.ok()) [[unlikely]] {
    return s;
  }
  if ((plaintext != ciphertext && Overlaps(plaintext, len, ciphertext, len)) ||
      Overlaps(ciphertext, len, iv, iv_len) ||
      Overlaps(ciphertext, len, aad, aad_len) ||
      Overlaps(tag, tag_len, ciphertext, len) ||
      Overlaps(tag, tag_len, plaintext, len) ||
      Overlaps(tag, tag_len, iv, iv_len) ||
      Overlaps(tag, tag_len, aad, aad_len)) [[unlikely]] {
    return Code::kOverlappingBuffers;
  }

  OneShotSecrets secrets;
  std::uint8_t* const j0 = secrets.j0;
  std::uint8_t* const ks = secrets.ks;
  DeriveJ0(ghash_key_, iv, iv_len, j0);
  std::uint32_t counter = LoadBe32(j0 + 12) + 1;
  std::uint32_t* const y = secrets.y;
  y[0] = y[1] = y[2] = y[3] = 0;
  alignas(4) std::uint8_t ghash_buf[GhashBatch::kBytes];
  GhashBatch ghash(ghash_key_, y, ghash_buf);
  ghash.Add(aad, aad_len);
  // The text up to the final step (whole pairs), then the final step with
  // E(J0) if the text leaves a lane free (see EncryptFinalStep).
  const FinalStep final_step = PlanFinalStep(len);
  const std::size_t head = final_step.head;
  internal::CtrCache cache;  // wiped on destruction if used
  // The block-count hint includes J0's pair when it has one.
  internal::CtrCache* const c =
      CacheFor(aes_, iv_len == kNonceBytes,
               final_step.text_blocks == 0 ? len + kPair : head, cache);
  std::uint8_t* const full_tag = ks + final_step.text_blocks * kBlock;
  if (final_step.text_blocks == 0) {
    EncryptJ0(aes_, j0, c, ks);  // before the text: see EncryptJ0
  }
  if (head != 0) {
    ghash.Flush();
    EncryptAndHash(aes_, ghash_key_, j0, counter, y, plaintext, ciphertext,
                   head, c);
  }
  if (final_step.text_blocks != 0) {
    EncryptFinalStep(aes_, j0, counter, final_step.text_blocks, ks);
    XorMasked(plaintext + head, ks, ciphertext + head, len - head, 0xffffffffu);
    ghash.Add(ciphertext + head, len - head);
  }
  ghash.AddLengths(aad_len, len);
  ghash.Flush();
  XorGhashValue(full_tag, y);
  // The usual full tag by four word copies; a truncated one by a call.
  if (tag_len == kBlock) {
    std::memcpy(tag, full_tag, kBlock);
  } else {
    std::memcpy(tag, full_tag, tag_len);
  }
  secrets.Wipe();
  return base::OkStatus();
}

base::Status AesGcm::RawDecrypt(const std::uint8_t* iv, std::size_t iv_len,
                                const std::uint8_t* aad, std::size_t aad_len,
                                const std::uint8_t* ciphertext, std::size_t len,
                                const std::uint8_t* tag, std::size_t tag_len,
                                std::uint8_t* plaintext) const {
  if (const base::Status s =
          CheckOneShotArguments(has_key(), iv_len, aad_len, len, tag_len);
      !s.ok()) [[unlikely]] {
    return s;
  }
  if ((plaintext != ciphertext && Overlaps(plaintext, len, ciphertext, len)) ||
      Overlaps(plaintext, len, iv, iv_len) ||
      Overlaps(plaintext, len, aad, aad_len) ||
      Overlaps(plaintext, len, tag, tag_len)) [[unlikely]] {
    return Code::kOverlappingBuffers;
  }

  // Pass 1: authenticate. Nothing is written to plaintext yet, so in-place
  // decryption still sees the ciphertext here.
  OneShotSecrets secrets;
  std::uint8_t* const j0 = secrets.j0;
  std::uint8_t* const ks = secrets.ks;
  DeriveJ0(ghash_key_, iv, iv_len, j0);
  std::uint32_t* const y = secrets.y;
  y[0] = y[1] = y[2] = y[3] = 0;
  alignas(4) std::uint8_t ghash_buf[GhashBatch::kBytes];
  GhashBatch ghash(ghash_key_, y, ghash_buf);
  ghash.Add(aad, aad_len);
  ghash.Add(ciphertext, len);
  ghash.AddLengths(aad_len, len);
  ghash.Flush();
  // E(J0): from the final step when the text leaves a lane free (see
  // EncryptFinalStep), which is encrypted here and kept for pass 2.
  const FinalStep final_step = PlanFinalStep(len);
  const std::size_t head = final_step.head;
  std::uint32_t counter = LoadBe32(j0 + 12) + 1;
  internal::CtrCache cache;  // wiped on destruction if used
  internal::CtrCache* const c =
      CacheFor(aes_, iv_len == kNonceBytes,
               final_step.text_blocks == 0 ? len + kPair : head, cache);
  // As in RawEncrypt: E(J0), which becomes the expected tag, alone or in
  // the final step's keystream.
  std::uint8_t* const expected = ks + final_step.text_blocks * kBlock;
  if (final_step.text_blocks == 0) {
    EncryptJ0(aes_, j0, c, ks);  // before the text: see EncryptJ0
  } else {
    EncryptFinalStep(aes_, j0,
                     counter + static_cast<std::uint32_t>(head / kBlock),
                     final_step.text_blocks, ks);
  }
  XorGhashValue(expected, y);
  const std::uint32_t mask = EqualMask(expected, tag, tag_len);

  // Pass 2: decrypt under the mask: plaintext on success, zeros on failure.
  if (head != 0) {
    CtrXor<true>(aes_, j0, counter, ciphertext, plaintext, head,
                 static_cast<std::uint8_t>(mask), c);
  }
  if (final_step.text_blocks != 0) {
    XorMasked(ciphertext + head, ks, plaintext + head, len - head, mask);
  }

  secrets.Wipe();
  return StatusFromMask(mask);
}

// ----------------------------------------------------------------------------
// GcmStream

base::Status GcmStream::Start(const AesGcm& key, const std::uint8_t* iv,
                              std::size_t iv_len, bool decrypt) {
  Reset();
  if (!key.has_key()) return Code::kBadState;
  if (const base::Status s = CheckIv(iv_len); !s.ok()) return s;
  key_ = &key;
  decrypt_ = decrypt;
  nonce_iv_ = iv_len == AesGcm::kNonceBytes;
  DeriveJ0(key.ghash_key_, iv, iv_len, j0_);
  counter_ = LoadBe32(j0_ + 12) + 1;
  phase_ = Phase::kAad;
  return base::OkStatus();
}

base::Status GcmStream::RawAddAad(const std::uint8_t* aad, std::size_t len) {
  if (phase_ != Phase::kAad) return Code::kBadState;
  if (len == 0) return base::OkStatus();
  if (Exceeds(len, AesGcm::kMaxAadBytes - aad_len_)) return Code::kAadTooLong;
  aad_len_ += len;
  const GhashKey& ghash = key_->ghash_key_;
  // Top up a partial block first; then whole blocks go straight to GHASH.
  while (pending_len_ != 0 && len != 0) {
    pending_[pending_len_++] = *aad++;
    --len;
    if (pending_len_ == kBlock) {
      ghash.Absorb(y_, pending_);
      pending_len_ = 0;
    }
  }
  const std::size_t whole = len - len % kBlock;
  ghash.Absorb(y_, {aad, whole});
  for (std::size_t i = whole; i < len; ++i) pending_[pending_len_++] = aad[i];
  return base::OkStatus();
}

void GcmStream::FlushAad() {
  if (pending_len_ != 0) {
    key_->ghash_key_.Absorb(y_, {pending_, pending_len_});
    pending_len_ = 0;
  }
  phase_ = Phase::kText;
}

base::Status GcmStream::RefuseShortOutput(const std::uint8_t* out) const {
  if (phase_ == Phase::kIdle) return Code::kBadState;
  return ShortOutput(out);
}

base::Status GcmStream::RawUpdate(const std::uint8_t* in, std::size_t len,
                                  std::uint8_t* out) {
  if (phase_ == Phase::kIdle) return Code::kBadState;
  if (len == 0) return base::OkStatus();
  if (in != out && Overlaps(in, len, out, len)) {
    return Code::kOverlappingBuffers;
  }
  if (Exceeds(len, AesGcm::kMaxTextBytes - text_len_)) {
    return Code::kMessageTooLong;
  }
  if (decrypt_) {
    if (out_start_ == nullptr) {
      out_start_ = out;
    } else if (out != out_next_) {
      return Code::kNonContiguousOutput;
    }
    out_next_ = out + len;
  }
  if (phase_ == Phase::kAad) FlushAad();

  const Aes& aes = key_->aes_;
  const GhashKey& ghash = key_->ghash_key_;
  while (len != 0) {
    const std::size_t pos = static_cast<std::size_t>(text_len_ % kPair);
    if (pos == 0 && len >= kPair) {
      // Aligned bulk: no partial keystream or GHASH block is outstanding.
      const std::size_t n = len - len % kPair;
      internal::CtrCache cache;  // wiped on destruction if used
      internal::CtrCache* const c = CacheFor(key_->aes_, nonce_iv_, n, cache);
      if (decrypt_) {
        ghash.Absorb(y_, {in, n});
        CtrXor<false>(aes, j0_, counter_, in, out, n, 0xff, c);
      } else {
        EncryptAndHash(aes, ghash, j0_, counter_, y_, in, out, n, c);
      }
      in += n;
      out += n;
      len -= n;
      text_len_ += n;
      continue;
    }
    if (pos == 0) {
      // Keystream for the next two blocks, consumed byte by byte below.
      std::uint8_t blocks[kPair];
      for (std::size_t i = 0; i < 12; ++i) {
        blocks[i] = j0_[i];
        blocks[kBlock + i] = j0_[i];
      }
      StoreBe32(blocks + 12, counter_);
      StoreBe32(blocks + kBlock + 12, counter_ + 1);
      counter_ += 2;
      aes.EncryptBlockPair(blocks, keystream_);
    }
    const std::uint8_t c_in = *in++;
    const std::uint8_t c_out =
        static_cast<std::uint8_t>(c_in ^ keystream_[pos]);
    *out++ = c_out;
    pending_[pending_len_++] = decrypt_ ? c_in : c_out;
    if (pending_len_ == kBlock) {
      ghash.Absorb(y_, pending_);
      pending_len_ = 0;
    }
    --len;
    ++text_len_;
  }
  return base::OkStatus();
}

void GcmStream::ComputeTag(std::uint8_t tag[AesGcm::kMaxTagBytes]) {
  if (phase_ == Phase::kAad) FlushAad();
  const GhashKey& ghash = key_->ghash_key_;
  if (pending_len_ != 0) {
    ghash.Absorb(y_, {pending_, pending_len_});
    pending_len_ = 0;
  }
  ghash.AbsorbLengths(y_, aad_len_ * 8, text_len_ * 8);
  internal::AesCtrAccess::EncryptBlock(key_->aes_, j0_, tag);
  std::uint8_t s[kBlock];
  GhashKey::Store(y_, s);
  for (std::size_t i = 0; i < kBlock; ++i) tag[i] ^= s[i];
  base::SecureWipe(s, sizeof s);
}

base::Status GcmStream::RawFinishEncrypt(std::uint8_t* tag,
                                         std::size_t tag_len) {
  if (phase_ == Phase::kIdle || decrypt_) return Code::kBadState;
  if (!ValidTagLength(tag_len)) return Code::kInvalidTagLength;
  std::uint8_t full[AesGcm::kMaxTagBytes];
  ComputeTag(full);
  for (std::size_t i = 0; i < tag_len; ++i) tag[i] = full[i];
  base::SecureWipe(full, sizeof full);
  ClearState();
  return base::OkStatus();
}

base::Status GcmStream::RawFinishDecrypt(const std::uint8_t* tag,
                                         std::size_t tag_len) {
  if (phase_ == Phase::kIdle || !decrypt_) return Code::kBadState;
  // A bad tag argument also ends the decryption (Reset wipes the output):
  // the plaintext is unverified, and a caller that mishandles the error
  // must not find it in its buffer.
  if (!ValidTagLength(tag_len)) {
    Reset();
    return Code::kInvalidTagLength;
  }
  std::uint8_t expected[AesGcm::kMaxTagBytes];
  ComputeTag(expected);
  const std::uint32_t mask = EqualMask(expected, tag, tag_len);
  // Everything the stream wrote is one run [out_start_, out_next_): keep it
  // or zero it under the mask, with the same instructions either way.
  for (std::uint8_t* p = out_start_; p != out_next_; ++p) {
    *p = static_cast<std::uint8_t>(*p & mask);
  }
  base::SecureWipe(expected, sizeof expected);
  // The output is settled (verified, or zeroed above): forget it, so no
  // later Reset or destructor touches the caller's buffer again.
  ClearState();
  return StatusFromMask(mask);
}

void GcmStream::Reset() {
  // An unfinished decryption has written plaintext whose tag was never
  // verified; abandoning it must not leave that plaintext behind. Only a
  // decryption records an output run (out_start_ stays null otherwise), and
  // the run is all the stream ever wrote because Update insists on
  // contiguity. Ciphertext from an abandoned encryption is not secret.
  if (out_start_ != nullptr) {
    base::SecureWipe(out_start_,
                     static_cast<std::size_t>(out_next_ - out_start_));
  }
  ClearState();
}

void GcmStream::ClearState() {
  key_ = nullptr;
  phase_ = Phase::kIdle;
  decrypt_ = false;
  nonce_iv_ = false;
  base::SecureWipe(y_, sizeof y_);
  base::SecureWipe(j0_, sizeof j0_);
  counter_ = 0;
  base::SecureWipe(keystream_, sizeof keystream_);
  base::SecureWipe(pending_, sizeof pending_);
  pending_len_ = 0;
  aad_len_ = 0;
  text_len_ = 0;
  out_start_ = nullptr;
  out_next_ = nullptr;
}

}  // namespace crypto
