// AES-GCM authenticated encryption (NIST SP 800-38D).
//
// Accepted parameters (enforced, each violation has its own Status):
//  * keys of 16, 24 or 32 bytes;
//  * IVs of 1 .. 2^61 - 1 bytes; 12 bytes is the fast path (J0 = IV || 1),
//    other lengths are hashed into J0 as the standard prescribes;
//  * AAD of 0 .. 2^61 - 1 bytes, text of 0 .. 2^36 - 32 bytes;
//  * tags of 16, 15, 14, 13 or 12 bytes. The 8- and 4-byte tags that
//    SP 800-38D permits only under Appendix C's per-key limits on message
//    length and count are rejected (kInvalidTagLength): this library cannot
//    enforce those limits, and a forged 4-byte tag succeeds once in 2^32.
// Buffers: a null pointer with a non-zero length is kNullBuffer. The output
// may be exactly the input (in place); any other overlap of the output with
// an input (text, IV, AAD, tag) is kOverlappingBuffers.
#ifndef LIBS_CRYPTO_PUBLIC_CRYPTO_AES_GCM_H_
#define LIBS_CRYPTO_PUBLIC_CRYPTO_AES_GCM_H_

#include <cstddef>
#include <cstdint>

#include "crypto/aes.h"
#include "crypto/ghash.h"
#include "crypto/status.h"

namespace crypto {

class AesGcm {
 public:
  static constexpr std::size_t kBlockBytes = 16;
  static constexpr std::size_t kNonceBytes = 12;  // the recommended IV length
  static constexpr std::size_t kMaxTagBytes = 16;
  static constexpr std::size_t kMinTagBytes = 12;
  static constexpr std::uint64_t kMaxTextBytes = (1ull << 36) - 32;
  static constexpr std::uint64_t kMaxAadBytes = (1ull << 61) - 1;
  static constexpr std::uint64_t kMaxIvBytes = (1ull << 61) - 1;

  AesGcm() = default;
  ~AesGcm() { Clear(); }
  AesGcm(const AesGcm&) = delete;
  AesGcm& operator=(const AesGcm&) = delete;

  // Expands the AES key and derives H = AES_K(0^128), both for `backend`
  // (crypto/backend.h).
  base::Status SetKey(const std::uint8_t* key, std::size_t key_bytes,
                      Backend backend = Backend::kAuto);
  // Wipes the key schedule and H.
  void Clear();
  bool has_key() const { return aes_.has_key(); }

  // ciphertext[0..len) = GCM-encrypt(plaintext), tag[0..tag_len) = its tag.
  base::Status Encrypt(const std::uint8_t* iv, std::size_t iv_len,
                       const std::uint8_t* aad, std::size_t aad_len,
                       const std::uint8_t* plaintext, std::size_t len,
                       std::uint8_t* ciphertext, std::uint8_t* tag,
                       std::size_t tag_len) const;

  // Verifies the tag over (aad, ciphertext) in constant time, and only then
  // writes plaintext[0..len). On a mismatch plaintext[0..len) is zeroed
  // (wiped even when in place) and kAuthenticationFailed is returned.
  base::Status Decrypt(const std::uint8_t* iv, std::size_t iv_len,
                       const std::uint8_t* aad, std::size_t aad_len,
                       const std::uint8_t* ciphertext, std::size_t len,
                       const std::uint8_t* tag, std::size_t tag_len,
                       std::uint8_t* plaintext) const;

 private:
  friend class GcmStream;

  Aes aes_;
  GhashKey ghash_key_;
};

// Incremental GCM: Start, AddAad (any number of times, before any text),
// Update (any number of times, any chunk sizes), then Finish. The result is
// bit-for-bit that of the one-shot calls.
//
// Decryption cannot hold plaintext back until the tag is seen without
// buffering the whole message, so the stream writes plaintext as it goes but
// requires the outputs of successive Update calls to be one contiguous
// buffer (kNonContiguousOutput otherwise); it remembers that run. Plaintext
// must not be used before FinishDecrypt returns kOk.
//
// Wipe guarantee for decryption. Plaintext written before the tag was
// verified survives only a FinishDecrypt that returns kOk. Every other end
// of a decryption zeroes the whole output run written so far (in place too:
// the caller's ciphertext is then gone as well) and the stream's own state
// (GHASH state, J0, keystream, partial block):
//  * FinishDecrypt with a tag mismatch (kAuthenticationFailed, the zeroing
//    in constant time) or a bad tag argument (kInvalidTagLength,
//    kNullBuffer: unlike FinishEncrypt, these end the operation);
//  * Reset();
//  * StartEncrypt / StartDecrypt while the decryption is unfinished;
//  * the destructor.
// An Update that returns an error writes nothing and leaves the decryption
// going. Consequence for the caller: the output buffer must stay valid
// until the decryption has ended (FinishDecrypt, Reset, a new Start or the
// stream's destruction), because ending it may write zeros there. Declare
// the buffer before the stream, or end the stream first. Encryption output
// (ciphertext) is never wiped.
class GcmStream {
 public:
  GcmStream() = default;
  // Abandons an unfinished decryption: zeroes its output (see above).
  ~GcmStream() { Reset(); }
  GcmStream(const GcmStream&) = delete;
  GcmStream& operator=(const GcmStream&) = delete;

  // key must outlive the stream's use of it (until Finish or Reset).
  base::Status StartEncrypt(const AesGcm& key, const std::uint8_t* iv,
                            std::size_t iv_len);
  base::Status StartDecrypt(const AesGcm& key, const std::uint8_t* iv,
                            std::size_t iv_len);
  base::Status AddAad(const std::uint8_t* aad, std::size_t len);
  // Encrypts or decrypts len bytes from in to out (out == in allowed).
  base::Status Update(const std::uint8_t* in, std::size_t len,
                      std::uint8_t* out);
  base::Status FinishEncrypt(std::uint8_t* tag, std::size_t tag_len);
  // kOk keeps the plaintext; any other result of an unfinished decryption
  // has zeroed it (kBadState on an idle or encrypting stream changes nothing).
  base::Status FinishDecrypt(const std::uint8_t* tag, std::size_t tag_len);
  // Abandons the operation: zeroes what an unfinished decryption wrote to
  // the output, and wipes all state.
  void Reset();

 private:
  enum class Phase : std::uint8_t { kIdle, kAad, kText };

  base::Status Start(const AesGcm& key, const std::uint8_t* iv,
                     std::size_t iv_len, bool decrypt);
  // Wipes the stream's own state, never the caller's output: for the ends
  // of an operation whose output is settled (a finished encryption, a
  // verified or already zeroed decryption).
  void ClearState();
  void FlushAad();
  // S ^ E_K(J0): the full 16-byte tag. Ends the text phase.
  void ComputeTag(std::uint8_t tag[AesGcm::kMaxTagBytes]);

  const AesGcm* key_ = nullptr;
  Phase phase_ = Phase::kIdle;
  bool decrypt_ = false;
  bool nonce_iv_ = false;    // 96-bit IV: the counter is public (aes_gcm.cc)
  std::uint32_t y_[4] = {};  // GHASH state
  std::uint8_t j0_[AesGcm::kBlockBytes] = {};  // pre-counter block
  std::uint32_t counter_ = 0;                  // next CTR counter value
  std::uint8_t keystream_[2 * AesGcm::kBlockBytes] = {};
  std::uint8_t pending_[AesGcm::kBlockBytes] = {};  // partial GHASH block
  std::size_t pending_len_ = 0;
  std::uint64_t aad_len_ = 0;
  std::uint64_t text_len_ = 0;
  // Decryption: the output run [out_start_, out_next_) written so far, which
  // an abandoned decryption zeroes; null before the first byte and always
  // null for encryption.
  std::uint8_t* out_start_ = nullptr;
  std::uint8_t* out_next_ = nullptr;
};

}  // namespace crypto

#endif  // LIBS_CRYPTO_PUBLIC_CRYPTO_AES_GCM_H_
