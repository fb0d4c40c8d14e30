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

#include "pool/secure_wipe.h"
#include "libs/crypto/aes_bitslice.h"
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
using internal::SubBytesWithoutConstant;
using internal::Transpose;

// Little-endian word access through memcpy: one LDR/STR on the (little-
// endian, unaligned-access capable) Cortex-R cores and x86-64.
inline std::uint32_t LoadLe32(const std::uint8_t* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  if constexpr (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__) v = __builtin_bswap32(v);
  return v;
}

inline void StoreLe32(std::uint8_t* p, std::uint32_t v) {
  if constexpr (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__) v = __builtin_bswap32(v);
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
  pool::SecureWipe(q, sizeof q);
  return result;
}

}  // namespace

Status Aes::SetKey(const std::uint8_t* key, std::size_t key_bytes) {
  Clear();
  if (key_bytes != 16 && key_bytes != 24 && key_bytes != 32) {
    return Status::kInvalidKeyLength;
  }
  if (key == nullptr) return Status::kNullBuffer;

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
  if (internal::UseX86AesNi()) {
    // AES-NI takes the FIPS-197 schedule as it is, in byte order.
    for (unsigned i = 0; i < total_words; ++i) round_keys_[i] = w[i];
    pool::SecureWipe(w, sizeof w);
    rounds_ = rounds;
    return Status::kOk;
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
  pool::SecureWipe(w, sizeof w);
  rounds_ = rounds;
  return Status::kOk;
}

void Aes::Clear() {
  pool::SecureWipe(round_keys_, sizeof round_keys_);
  rounds_ = 0;
}

void Aes::EncryptBlockPair(const std::uint8_t in[2 * kBlockBytes],
                           std::uint8_t out[2 * kBlockBytes]) const {
#if defined(CRYPTO_HAVE_X86_AESNI)
  if (internal::UseX86AesNi()) {
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
  for (int c = 0; c < 4; ++c) {
    q[2 * c] = LoadLe32(in + 4 * c);
    q[2 * c + 1] = LoadLe32(in + kBlockBytes + 4 * c);
  }
  Transpose(q);
  AddRoundKey(q, round_keys_);
  // Rounds 1 .. Nr-1; round k uses the MixColumns variant m = k mod 4. The
  // loop bounds depend on the key size only.
  const std::uint32_t* k = round_keys_ + kRoundKeyWords;
  const std::uint32_t* const last = round_keys_ + rounds_ * kRoundKeyWords;
  while (last - k >= 4 * static_cast<std::ptrdiff_t>(kRoundKeyWords)) {
    Round<1>(q, k);
    Round<2>(q, k + kRoundKeyWords);
    Round<3>(q, k + 2 * kRoundKeyWords);
    Round<0>(q, k + 3 * kRoundKeyWords);
    k += 4 * kRoundKeyWords;
  }
  // Nr - 1 = 9, 11, 13: one or three rounds remain.
  Round<1>(q, k);
  k += kRoundKeyWords;
  if (k != last) {
    Round<2>(q, k);
    Round<3>(q, k + kRoundKeyWords);
    k += 2 * kRoundKeyWords;
  }
  // Last round: SubBytes and the key; ShiftRows of this round and the drift
  // left over amount to SR^(Nr mod 4) on the output.
  SubBytesWithoutConstant(q);
  AddRoundKey(q, last);
  Transpose(q);
  std::uint32_t b0[4], b1[4];
  for (int c = 0; c < 4; ++c) {
    b0[c] = q[2 * c];
    b1[c] = q[2 * c + 1];
  }
  if (rounds_ % 4 == 2) {
    // SR^2: rows 1 and 3 swap columns c and c + 2 (byte lanes 1, 3).
    for (int c = 0; c < 2; ++c) {
      const std::uint32_t t0 = (b0[c] ^ b0[c + 2]) & 0xff00ff00u;
      b0[c] ^= t0;
      b0[c + 2] ^= t0;
      const std::uint32_t t1 = (b1[c] ^ b1[c + 2]) & 0xff00ff00u;
      b1[c] ^= t1;
      b1[c + 2] ^= t1;
    }
  }
  for (int c = 0; c < 4; ++c) {
    StoreLe32(out + 4 * c, b0[c]);
    StoreLe32(out + kBlockBytes + 4 * c, b1[c]);
  }
  // q now holds output (keystream in CTR), which callers own and wipe; the
  // round state left in registers/stack is not wiped per block, as that
  // would cost a call per 32 bytes in the CTR loop.
}

void Aes::EncryptBlock(const std::uint8_t in[kBlockBytes],
                       std::uint8_t out[kBlockBytes]) const {
#if defined(CRYPTO_HAVE_X86_AESNI)
  if (internal::UseX86AesNi()) {
    internal::x86::EncryptBlocks(round_keys_, rounds_, in, out, 1);
    return;
  }
#endif
  std::uint8_t pair[2 * kBlockBytes] = {};
  for (std::size_t i = 0; i < kBlockBytes; ++i) pair[i] = in[i];
  EncryptBlockPair(pair, pair);
  for (std::size_t i = 0; i < kBlockBytes; ++i) out[i] = pair[i];
  pool::SecureWipe(pair, sizeof pair);
}

void Aes::EncryptBlocks(const std::uint8_t* in, std::uint8_t* out,
                        std::size_t blocks) const {
#if defined(CRYPTO_HAVE_X86_AESNI)
  if (internal::UseX86AesNi()) {
    internal::x86::EncryptBlocks(round_keys_, rounds_, in, out, blocks);
    return;
  }
#endif
#if defined(__ARM_NEON)
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
    EncryptBlockPair(in, out);
    in += 2 * kBlockBytes;
    out += 2 * kBlockBytes;
  }
  if (blocks != 0) EncryptBlock(in, out);
}

}  // namespace crypto
