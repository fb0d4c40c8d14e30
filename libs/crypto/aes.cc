// Bitsliced AES (FIPS-197). Why this is constant-time:
//
//  * No table is indexed by data. The S-box is computed, not looked up: the
//    Boyar-Peralta circuit (J. Boyar, R. Peralta, "A new combinational logic
//    minimization technique with applications to cryptology", SEA 2010) is
//    113 XOR/XNOR/AND gates evaluated on eight 32-bit words, i.e. on all 32
//    bytes of a block pair at once.
//  * ShiftRows, MixColumns and AddRoundKey are fixed masks, shifts, rotates
//    and XORs; the key schedule reuses the same S-box circuit.
//  * There are no branches except on the number of rounds, which depends on
//    the key length, not on key or data bits.
// Every instruction executed and every address touched is therefore the same
// for all keys and plaintexts of a given key size. The Cortex-R5/R52 and x86
// ALU operations used (AND, EOR, ORR, BIC, shifts, rotates) have fixed
// latency.
#include "crypto/aes.h"

#include <cstddef>
#include <cstring>

#include "pool/secure_wipe.h"
#include "libs/crypto/aes_bitslice.h"
#include "libs/crypto/aes_gcm_x86.h"
#if defined(CRYPTO_AES_PAIR_ASM)
#include "libs/crypto/aes_pair_arm.h"
#endif
#include "libs/crypto/hw_dispatch.h"

namespace crypto {

namespace {

using internal::AddSboxConstant;
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

inline std::uint32_t Rotr(std::uint32_t x, int n) {
  return (x >> n) | (x << (32 - n));
}

// Rotates every byte lane of x right by n bits (0 < n < 8): in the bitsliced
// layout that moves column c + n/2 of every row to column c. Fixed masks and
// shifts only.
template <int n>
inline std::uint32_t ByteRor(std::uint32_t x) {
  static_assert(n > 0 && n < 8);
  constexpr std::uint32_t kLow = (0xffu >> n) * 0x01010101u;
  return ((x >> n) & kLow) | ((x << (8 - n)) & ~kLow);
}

// R_j of the fixsliced MixColumns (see MixColumnsFixsliced): row r + j
// (rotate the word by 8j) and column d + j*m (rotate each lane by 2jm).
template <int j, int m>
inline std::uint32_t R(std::uint32_t x) {
  const std::uint32_t rows = Rotr(x, 8 * j);
  constexpr int bits = (2 * j * m) % 8;
  if constexpr (bits == 0) {
    return rows;
  } else {
    return ByteRor<bits>(rows);
  }
}

// Fixslicing (Adomnicai & Peyrin, TCHES 2021), derived for this layout.
// ShiftRows is never applied to the state. If the stored state X holds the
// true state Z with a drift i, X = SR^-i(Z), then Z[r][c] = X[r][c + i*r],
// and the true MixColumns(ShiftRows(Z)), stored with drift i + 1, is
//   Y[r][d] = 2 X[r][d] ^ 3 X[r+1][d+m] ^ X[r+2][d+2m] ^ X[r+3][d+3m],
// m = i + 1 (mod 4): rows come from whole-word rotations (R_j above), the
// column offset j*m from a rotation inside every byte lane, which is free
// for m = 0, one nibble swap for m = 2 and two lane rotations for m = 1, 3
// (on average cheaper than the per-lane ShiftRows it replaces). The round
// keys are stored with the drift the state has when they are added (see
// SetKey), and the output transform undoes what is left (SR^(Nr mod 4)).
// As before, 2*(X ^ R1 X) ^ R1 X ^ R2 (X ^ R1 X) = 2X ^ 3 R1X ^ R2X ^ R3X,
// using R2 R1 = R3. xtime on bit planes: bit j takes bit j-1, and bit 7
// folds back into bits 0, 1, 3 and 4 (x^8 = x^4 + x^3 + x + 1).
template <int m>
inline void MixColumnsFixsliced(std::uint32_t q[8]) {
  std::uint32_t r[8];
  std::uint32_t t[8];
  for (int j = 0; j < 8; ++j) {
    r[j] = R<1, m>(q[j]);
    t[j] = q[j] ^ r[j];
  }
  q[0] = t[7] ^ r[0] ^ R<2, m>(t[0]);
  q[1] = t[0] ^ t[7] ^ r[1] ^ R<2, m>(t[1]);
  q[2] = t[1] ^ r[2] ^ R<2, m>(t[2]);
  q[3] = t[2] ^ t[7] ^ r[3] ^ R<2, m>(t[3]);
  q[4] = t[3] ^ t[7] ^ r[4] ^ R<2, m>(t[4]);
  q[5] = t[4] ^ r[5] ^ R<2, m>(t[5]);
  q[6] = t[5] ^ r[6] ^ R<2, m>(t[6]);
  q[7] = t[6] ^ r[7] ^ R<2, m>(t[7]);
}

inline void AddRoundKey(std::uint32_t q[8], const std::uint32_t* k) {
  for (int j = 0; j < 8; ++j) q[j] ^= k[j];
}

// One full round whose MixColumns has column step m (round number mod 4).
// Out of line: the four variants are called from one loop, which keeps the
// code small and gives each variant all registers.
template <int m>
[[gnu::noinline]] void Round(std::uint32_t q[8], const std::uint32_t* k) {
  internal::SubBytesInline(q);
  MixColumnsFixsliced<m>(q);
  AddRoundKey(q, k);
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
      temp = SubWord(Rotr(temp, 8)) ^ rcon;
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
  // SR^-k(K_k) = SR^(4 - k mod 4)(K_k) (fixslicing, see MixColumnsFixsliced).
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

}  // namespace crypto
