// Bitsliced AES (FIPS-197). Why this is constant-time:
//
//  * No table is indexed by data. The S-box is computed, not looked up: the
//    Boyar-Peralta circuit (J. Boyar, R. Peralta, "A new combinational logic
//    minimization technique with applications to cryptology", SEA 2010) is
//    115 XOR/XNOR/AND gates evaluated on eight 32-bit words, i.e. on all 32
//    bytes of a block pair at once.
//  * ShiftRows, MixColumns and AddRoundKey are fixed masks, shifts, rotates
//    and XORs; the key schedule reuses the same S-box circuit.
//  * There are no branches except on the number of rounds, which depends on
//    the key length, not on key or data bits.
// Every instruction executed and every address touched is therefore the same
// for all keys and plaintexts of a given key size. The Cortex-R5/R52 and x86
// ALU operations used (AND, EOR, ORR, BIC, shifts, rotates) have fixed
// latency. With NEON (Cortex-R52) EncryptBlocks runs the same core on four
// block pairs per vector (aes_neon.cc); the NEON logic, shift, permute and
// load/store instructions it uses have data-independent timing too.
#include "crypto/aes.h"

#include <cstddef>
#include <cstring>

#include "base/secure_wipe.h"
#include "libs/crypto/aes_bitslice.h"
#include "libs/crypto/aes_ctr.h"
#include "libs/crypto/aes_fixslice.h"
#include "libs/crypto/aes_gcm_x86.h"
#include "libs/crypto/aes_neon.h"
#if defined(CRYPTO_AES_PAIR_ASM)
#include "libs/crypto/aes_pair_arm.h"
#endif
#include "libs/crypto/hw_dispatch.h"

namespace crypto {

namespace {

using internal::AddRoundKey;
using internal::AddSboxConstant;
using internal::RotateRight;
using internal::Round;
using internal::RoundsUpToLast;
using internal::SubBytesWithoutConstant;
using internal::Transpose;

// Little-endian word access through memcpy: one LDR/STR on the (little-
// endian, unaligned-access capable) Cortex-R cores and x86-64.
inline std::uint32_t LoadLe32(const std::uint8_t* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  if constexpr (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)
    v = __builtin_bswap32(v);
  return v;
}

inline void StoreLe32(std::uint8_t* p, std::uint32_t v) {
  if constexpr (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)
    v = __builtin_bswap32(v);
  std::memcpy(p, &v, 4);
}

// ShiftRows^n applied to a 16-byte block held as four little-endian column
// words (byte r of word c is row r, column c): row r moves left by n*r.
// Used on public positions only (key schedule and output), fixed shifts.
void ShiftRowsWords(std::uint32_t w[4], unsigned n) {
  std::uint32_t out[4];
  for (unsigned c = 0; c < 4; ++c) {
    std::uint32_t v = 0;
    for (unsigned r = 0; r < 4; ++r) {
      const unsigned from = (c + n * r) % 4;
      v |= w[from] & (0xffu << (8 * r));
    }
    out[c] = v;
  }
  for (unsigned c = 0; c < 4; ++c) w[c] = out[c];
}

// S-box on the four bytes of w, through the same circuit as the rounds:
// the key schedule must not use a lookup table either.
std::uint32_t SubWord(std::uint32_t w) {
  std::uint32_t q[8] = {w, 0, 0, 0, 0, 0, 0, 0};
  Transpose(q);
  SubBytesWithoutConstant(q);
  AddSboxConstant(q);
  Transpose(q);
  const std::uint32_t result = q[0];
  base::SecureWipe(q, sizeof q);
  return result;
}

// q[2c + b] = word c of block b (little-endian), the transpose's input.
void LoadPair(const std::uint8_t* in, std::uint32_t q[8]) {
  for (int c = 0; c < 4; ++c) {
    q[2 * c] = LoadLe32(in + 4 * c);
    q[2 * c + 1] = LoadLe32(in + Aes::kBlockBytes + 4 * c);
  }
}

void StorePair(const std::uint32_t q[8], std::uint8_t* out) {
  for (int c = 0; c < 4; ++c) {
    StoreLe32(out + 4 * c, q[2 * c]);
    StoreLe32(out + Aes::kBlockBytes + 4 * c, q[2 * c + 1]);
  }
}

// Rounds k .. Nr of the C++ core, k = 1 or 5 (round k has MixColumns
// m = 1), rk the whole schedule, k_keys = its key k; then the output
// transform into out.
void RoundsFrom(std::uint32_t q[8], const std::uint32_t* rk, unsigned rounds,
                const std::uint32_t* k_keys, std::uint8_t* out) {
  const std::uint32_t* const last = rk + rounds * Aes::kRoundKeyWords;
  RoundsUpToLast(q, k_keys, last);
  // Last round: SubBytes and the key; ShiftRows of this round and the drift
  // left over amount to SR^(Nr mod 4) on the output.
  SubBytesWithoutConstant(q);
  AddRoundKey(q, last);
  Transpose(q);
  if (rounds % 4 == 2) {
    // SR^2: rows 1 and 3 swap columns c and c + 2 (byte lanes 1, 3), in
    // both blocks (q[2c + b]).
    for (int i = 0; i < 4; ++i) {
      const std::uint32_t t = (q[i] ^ q[i + 4]) & 0xff00ff00u;
      q[i] ^= t;
      q[i + 4] ^= t;
    }
  }
  StorePair(q, out);
  // q now holds output (keystream in CTR), which callers own and wipe; the
  // round state left in registers/stack is not wiped per block, as that
  // would cost a call per 32 bytes in the CTR loop.
}

}  // namespace

base::Status Aes::RawSetKey(const std::uint8_t* key, std::size_t key_bytes,
                            [[maybe_unused]] Backend backend) {
  Clear();
  // [[unlikely]] keeps the refusal off the key schedule's register
  // allocation (GCC 12 otherwise loses the LDRD/STRD pairs of the loop).
  // A span of 16, 24 or 32 bytes points at them (std::span's precondition),
  // so there is no null key to refuse; an empty span is a wrong length.
  if (key_bytes != 16 && key_bytes != 24 && key_bytes != 32) [[unlikely]] {
    return Code::kInvalidKeyLength;
  }

  const unsigned nk = static_cast<unsigned>(key_bytes / 4);
  const unsigned rounds = nk + 6;
  const unsigned total_words = 4 * (rounds + 1);

  // FIPS-197 KeyExpansion on little-endian words (byte 0 of a word is its
  // low byte, so RotWord is a right rotation by 8 and Rcon sits in the low
  // byte). The branches depend only on the word index.
  std::uint32_t w[4 * (kMaxRounds + 1)];
  for (unsigned i = 0; i < nk; ++i) w[i] = LoadLe32(key + 4 * i);
  std::uint32_t rcon = 1;
  for (unsigned i = nk; i < total_words; ++i) {
    std::uint32_t temp = w[i - 1];
    if (i % nk == 0) {
      temp = SubWord(RotateRight<8>(temp)) ^ rcon;
      // xtime on a public constant.
      rcon = (rcon << 1) ^ (0x11bu & (0u - (rcon >> 7)));
    } else if (nk == 8 && i % nk == 4) {
      temp = SubWord(temp);
    }
    w[i] = w[i - nk] ^ temp;
  }

#if defined(CRYPTO_HAVE_X86_AESNI)
  if (internal::UsesX86AesNi(backend)) {
    // AES-NI takes the FIPS-197 schedule as it is, in byte order.
    for (unsigned i = 0; i < total_words; ++i) round_keys_[i] = w[i];
    base::SecureWipe(w, sizeof w);
    rounds_ = static_cast<std::uint8_t>(rounds);
    x86_aesni_ = true;
    return base::OkStatus();
  }
#endif

  // Bitslice every round key, replicated into both block lanes. Key k is
  // added when the state has drift k (mod 4), so it is stored as
  // SR^-k(K_k) = SR^(4 - k mod 4)(K_k) (fixslicing, see aes_fixslice.h).
  for (unsigned round = 0; round <= rounds; ++round) {
    std::uint32_t* k = &round_keys_[round * kRoundKeyWords];
    ShiftRowsWords(&w[4 * round], (4 - round % 4) % 4);
    for (int c = 0; c < 4; ++c) {
      k[2 * c] = w[4 * round + c];
      k[2 * c + 1] = w[4 * round + c];
    }
    Transpose(k);
    // SubBytesWithoutConstant leaves S(x) ^ 0x63. Column permutations move
    // bytes and MixColumns maps a column of equal bytes c to 1*c
    // (2^3^1^1 = 1), so the missing constant passes through unchanged to
    // the next AddRoundKey, where adding it costs nothing at run time.
    if (round != 0) AddSboxConstant(k);
  }
  base::SecureWipe(w, sizeof w);
  rounds_ = static_cast<std::uint8_t>(rounds);
  return base::OkStatus();
}

void Aes::Clear() {
  base::SecureWipe(round_keys_, sizeof round_keys_);
  rounds_ = 0;
#if defined(CRYPTO_HAVE_X86_AESNI)
  x86_aesni_ = false;
#endif
}

void Aes::RawEncryptBlockPair(const std::uint8_t* in, std::uint8_t* out) const {
#if defined(CRYPTO_HAVE_X86_AESNI)
  if (x86_aesni_) {
    internal::x86::EncryptBlocks(round_keys_, rounds_, in, out, 2);
    return;
  }
#endif
#if defined(CRYPTO_AES_PAIR_ASM)
  // Boards: the same fixsliced core in Thumb-2 assembly (aes_pair_arm.S);
  // the C++ below stays the reference (host, :aes_pair_arm_test).
  internal::crypto_aes_fixsliced_pair_arm(round_keys_, rounds_, in, out);
  return;
#endif
  std::uint32_t q[8];
  LoadPair(in, q);
  Transpose(q);
  AddRoundKey(q, round_keys_);
  RoundsFrom(q, round_keys_, rounds_, round_keys_ + kRoundKeyWords, out);
}

void Aes::RawEncryptBlock(const std::uint8_t* in, std::uint8_t* out) const {
#if defined(CRYPTO_HAVE_X86_AESNI)
  if (x86_aesni_) {
    internal::x86::EncryptBlocks(round_keys_, rounds_, in, out, 1);
    return;
  }
#endif
  std::uint8_t pair[2 * kBlockBytes] = {};
  for (std::size_t i = 0; i < kBlockBytes; ++i) pair[i] = in[i];
  RawEncryptBlockPair(pair, pair);
  for (std::size_t i = 0; i < kBlockBytes; ++i) out[i] = pair[i];
  base::SecureWipe(pair, sizeof pair);
}

void Aes::RawEncryptBlocks(const std::uint8_t* in, std::uint8_t* out,
                           std::size_t blocks) const {
#if defined(CRYPTO_HAVE_X86_AESNI)
  if (x86_aesni_) {
    internal::x86::EncryptBlocks(round_keys_, rounds_, in, out, blocks);
    return;
  }
#endif
#if defined(CRYPTO_BACKEND_R52_NEON)
  static_assert(internal::kNeonRoundKeyWords == kRoundKeyWords);
  const std::size_t groups = blocks / internal::kNeonGroupBlocks;
  if (groups != 0) {
    internal::EncryptBlockGroupsNeon(round_keys_, rounds_, in, out, groups);
    const std::size_t done = groups * internal::kNeonGroupBlocks;
    in += done * kBlockBytes;
    out += done * kBlockBytes;
    blocks -= done;
  }
#endif
  // Branches on the (public) count only.
  for (; blocks >= 2; blocks -= 2) {
    RawEncryptBlockPair(in, out);
    in += 2 * kBlockBytes;
    out += 2 * kBlockBytes;
  }
  if (blocks != 0) RawEncryptBlock(in, out);
}

// ----------------------------------------------------------------------------
// Rounds split inside round 2, for the counter-mode cache (aes_ctr.h). Same
// constant-time argument as above: fixed code, no data-dependent branch or
// index; the only branches depend on the key size.

namespace internal {

void AesCtrAccess::Rounds0To1(const Aes& aes, const std::uint8_t in[32],
                              std::uint8_t state[32]) {
  std::uint32_t q[8];
  LoadPair(in, q);
  Transpose(q);
  AddRoundKey(q, aes.round_keys_);
  // Round 1 = Round<1>, but through the out-of-line S-box: this runs once
  // per run of 256 counters, and on the boards Round<1> would otherwise be
  // ~1.3 KB of code kept only for it.
  internal::SubBytesWithoutConstant(q);
  internal::MixColumnsFixsliced<1>(q);
  AddRoundKey(q, aes.round_keys_ + Aes::kRoundKeyWords);
  Transpose(q);
  StorePair(q, state);
  base::SecureWipe(q, sizeof q);
}

void AesCtrAccess::Round2SubBytes(std::uint8_t state[32]) {
  // The S-box works byte by byte, so any byte order will do: the pair's own.
  std::uint32_t q[8];
  LoadPair(state, q);
  Transpose(q);
  SubBytesWithoutConstant(q);
  Transpose(q);
  StorePair(q, state);
  base::SecureWipe(q, sizeof q);
}

void AesCtrAccess::FromRound2MixColumns(const Aes& aes,
                                        const std::uint8_t state[32],
                                        std::uint8_t out[32]) {
#if defined(CRYPTO_AES_PAIR_ASM)
  crypto_aes_fixsliced_pair_from_round2_mix_arm(aes.round_keys_, aes.rounds_,
                                                state, out);
#else
  constexpr std::size_t kRk = Aes::kRoundKeyWords;
  const std::uint32_t* rk = aes.round_keys_;
  std::uint32_t q[8];
  LoadPair(state, q);
  Transpose(q);
  internal::MixColumnsFixsliced<2>(q);
  AddRoundKey(q, rk + 2 * kRk);
  Round<3>(q, rk + 3 * kRk);
  Round<0>(q, rk + 4 * kRk);
  RoundsFrom(q, rk, aes.rounds_, rk + 5 * kRk, out);
#endif
}

const std::uint32_t* AesCtrAccess::RoundKeys(const Aes& aes) {
  return aes.round_keys_;
}

#if defined(CRYPTO_HAVE_X86_AESNI)
bool AesCtrAccess::UsesX86AesNi(const Aes& aes) { return aes.x86_aesni_; }
#endif

void AesCtrAccess::SubBytesOfWindow(const Aes& aes, std::uint32_t base,
                                    std::uint32_t s[8]) {
  // The bit planes of x = base + i need no transpose: Transpose maps byte
  // r of word k (byte i = 4k + r of s) to bit P = 8r + k of every plane,
  // so bit P of plane j is bit j of base + 4 (P & 7) + (P >> 3). Bits 0-4
  // of that are bits 3, 4, 0, 1, 2 of P (fixed masks), bits 5-7 those of
  // base (public).
  std::uint32_t q[8] = {0xff00ff00u,
                        0xffff0000u,
                        0xaaaaaaaau,
                        0xccccccccu,
                        0xf0f0f0f0u,
                        0u - ((base >> 5) & 1u),
                        0u - ((base >> 6) & 1u),
                        0u - ((base >> 7) & 1u)};
  // Byte 15 of round key 0 (row 3, column 3; key 0 has no drift) is bit
  // 8*3 + 2*3 = 30 of every bit plane; broadcast bit j to a whole word and
  // add it to all 32 bytes.
  for (int j = 0; j < 8; ++j) q[j] ^= 0u - ((aes.round_keys_[j] >> 30) & 1u);
  SubBytesWithoutConstant(q);
  for (int k = 0; k < 8; ++k) s[k] = q[k];
  base::SecureWipe(q, sizeof q);
}

}  // namespace internal
}  // namespace crypto
