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

#include "pool/secure_wipe.h"
#include "libs/crypto/aes_bitslice.h"

namespace crypto {

namespace {

using internal::AddSboxConstant;
using internal::SubBytesWithoutConstant;
using internal::Transpose;

inline std::uint32_t LoadLe32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) |
         (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) |
         (static_cast<std::uint32_t>(p[3]) << 24);
}

inline void StoreLe32(std::uint8_t* p, std::uint32_t v) {
  p[0] = static_cast<std::uint8_t>(v);
  p[1] = static_cast<std::uint8_t>(v >> 8);
  p[2] = static_cast<std::uint8_t>(v >> 16);
  p[3] = static_cast<std::uint8_t>(v >> 24);
}

inline std::uint32_t Rotr(std::uint32_t x, int n) {
  return (x >> n) | (x << (32 - n));
}

// Row r of both states is byte lane r; rotating the lane right by 2*r bit
// positions moves column c + r to column c.
inline void ShiftRows(std::uint32_t q[8]) {
  for (int j = 0; j < 8; ++j) {
    const std::uint32_t x = q[j];
    q[j] = (x & 0x000000ffu) |
           ((x & 0x0000fc00u) >> 2) | ((x & 0x00000300u) << 6) |
           ((x & 0x00f00000u) >> 4) | ((x & 0x000f0000u) << 4) |
           ((x & 0xc0000000u) >> 6) | ((x & 0x3f000000u) << 2);
  }
}

// s'[r] = 2*s[r] ^ 3*s[r+1] ^ s[r+2] ^ s[r+3]
//       = 2*(s[r] ^ s[r+1]) ^ s[r+1] ^ (s[r+2] ^ s[r+3]).
// Rotating a word right by 8 brings row r+1 into lane r, so with
// t = q ^ rotr(q, 8) the result is xtime(t) ^ rotr(q, 8) ^ rotr(t, 16).
// xtime on bit planes: bit j takes bit j-1, and bit 7 folds back into bits
// 0, 1, 3 and 4 (x^8 = x^4 + x^3 + x + 1).
inline void MixColumns(std::uint32_t q[8]) {
  std::uint32_t r[8];
  std::uint32_t t[8];
  for (int j = 0; j < 8; ++j) {
    r[j] = Rotr(q[j], 8);
    t[j] = q[j] ^ r[j];
  }
  q[0] = t[7] ^ r[0] ^ Rotr(t[0], 16);
  q[1] = t[0] ^ t[7] ^ r[1] ^ Rotr(t[1], 16);
  q[2] = t[1] ^ r[2] ^ Rotr(t[2], 16);
  q[3] = t[2] ^ t[7] ^ r[3] ^ Rotr(t[3], 16);
  q[4] = t[3] ^ t[7] ^ r[4] ^ Rotr(t[4], 16);
  q[5] = t[4] ^ r[5] ^ Rotr(t[5], 16);
  q[6] = t[5] ^ r[6] ^ Rotr(t[6], 16);
  q[7] = t[6] ^ r[7] ^ Rotr(t[7], 16);
}

inline void AddRoundKey(std::uint32_t q[8], const std::uint32_t* k) {
  for (int j = 0; j < 8; ++j) q[j] ^= k[j];
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

  // Bitslice every round key, replicated into both block lanes.
  for (unsigned round = 0; round <= rounds; ++round) {
    std::uint32_t* k = &round_keys_[round * kRoundKeyWords];
    for (int c = 0; c < 4; ++c) {
      k[2 * c] = w[4 * round + c];
      k[2 * c + 1] = w[4 * round + c];
    }
    Transpose(k);
    // SubBytesWithoutConstant leaves S(x) ^ 0x63. ShiftRows moves bytes and
    // MixColumns maps a column of equal bytes c to 1*c (2^3^1^1 = 1), so the
    // missing constant passes through unchanged to the next AddRoundKey,
    // where adding it costs nothing at run time.
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
  std::uint32_t q[8];
  for (int c = 0; c < 4; ++c) {
    q[2 * c] = LoadLe32(in + 4 * c);
    q[2 * c + 1] = LoadLe32(in + kBlockBytes + 4 * c);
  }
  Transpose(q);
  AddRoundKey(q, round_keys_);
  for (unsigned round = 1; round < rounds_; ++round) {
    SubBytesWithoutConstant(q);
    ShiftRows(q);
    MixColumns(q);
    AddRoundKey(q, &round_keys_[round * kRoundKeyWords]);
  }
  SubBytesWithoutConstant(q);
  ShiftRows(q);
  AddRoundKey(q, &round_keys_[rounds_ * kRoundKeyWords]);
  Transpose(q);
  for (int c = 0; c < 4; ++c) {
    StoreLe32(out + 4 * c, q[2 * c]);
    StoreLe32(out + kBlockBytes + 4 * c, q[2 * c + 1]);
  }
  // q now holds output (keystream in CTR), which callers own and wipe; the
  // round state left in registers/stack is not wiped per block, as that
  // would cost a call per 32 bytes in the CTR loop.
}

void Aes::EncryptBlock(const std::uint8_t in[kBlockBytes],
                       std::uint8_t out[kBlockBytes]) const {
  std::uint8_t pair[2 * kBlockBytes] = {};
  for (std::size_t i = 0; i < kBlockBytes; ++i) pair[i] = in[i];
  EncryptBlockPair(pair, pair);
  for (std::size_t i = 0; i < kBlockBytes; ++i) out[i] = pair[i];
  pool::SecureWipe(pair, sizeof pair);
}

}  // namespace crypto
