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
// Buffers are spans; a span's size is the length of what it holds.
//  * Inputs (IV, AAD, text, tag to verify) may be empty; an empty span may
//    be null. An empty IV is kInvalidIvLength, a tag of any size but
//    12..16 (so also an empty one) kInvalidTagLength.
//  * An output receives exactly as many bytes as the input text has; it
//    may be longer (the rest is not touched), not shorter: then a null
//    output span is kNullBuffer (nowhere to write) and any other
//    kOutputTooShort. An empty text needs no output.
//  * The output may be exactly the input (in place: same first byte); any
//    other overlap of the bytes written with an input (text, IV, AAD, tag)
//    is kOverlappingBuffers.
//  * A span with data() == nullptr and size() > 0 breaks std::span's
//    precondition and is not checked for.
#ifndef LIBS_CRYPTO_PUBLIC_CRYPTO_AES_GCM_H_
#define LIBS_CRYPTO_PUBLIC_CRYPTO_AES_GCM_H_

#include <cstddef>
#include <cstdint>
#include <span>

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

  // The span functions of AesGcm and GcmStream are an inline layer over
  // pointer-based cores (aes_gcm.cc), as in aes.h: the spans are taken
  // apart in the caller, so a call costs what the pointer call did. The
  // output-size check is made there too (free when the caller's sizes are
  // equal, which the compiler sees in most calls); a short output goes to a
  // cold function that returns the first refusal in the documented order.

  // Expands the AES key and derives H = AES_K(0^128), both for `backend`
  // (crypto/backend.h).
  base::Status SetKey(std::span<const std::uint8_t> key,
                      Backend backend = Backend::kAuto) {
    return RawSetKey(key.data(), key.size(), backend);
  }
  // Wipes the key schedule and H.
  void Clear();
  bool has_key() const { return aes_.has_key(); }

  // ciphertext[0..n) = GCM-encrypt(plaintext), n = plaintext.size(), and
  // tag = its tag, truncated to tag.size() (12..16) bytes.
  base::Status Encrypt(std::span<const std::uint8_t> iv,
                       std::span<const std::uint8_t> aad,
                       std::span<const std::uint8_t> plaintext,
                       std::span<std::uint8_t> ciphertext,
                       std::span<std::uint8_t> tag) const {
    if (ciphertext.size() < plaintext.size()) [[unlikely]] {
      return RefuseShortOutput(iv.size(), aad.size(), plaintext.size(),
                               ciphertext.data(), tag.size());
    }
    return RawEncrypt(iv.data(), iv.size(), aad.data(), aad.size(),
                      plaintext.data(), plaintext.size(), ciphertext.data(),
                      tag.data(), tag.size());
  }

  // Verifies the tag (tag.size() bytes, 12..16) over (aad, ciphertext) in
  // constant time, and only then writes plaintext[0..n), n =
  // ciphertext.size(). On a mismatch plaintext[0..n) is zeroed (wiped even
  // when in place) and kAuthenticationFailed is returned.
  base::Status Decrypt(std::span<const std::uint8_t> iv,
                       std::span<const std::uint8_t> aad,
                       std::span<const std::uint8_t> ciphertext,
                       std::span<const std::uint8_t> tag,
                       std::span<std::uint8_t> plaintext) const {
    if (plaintext.size() < ciphertext.size()) [[unlikely]] {
      return RefuseShortOutput(iv.size(), aad.size(), ciphertext.size(),
                               plaintext.data(), tag.size());
    }
    return RawDecrypt(iv.data(), iv.size(), aad.data(), aad.size(),
                      ciphertext.data(), ciphertext.size(), tag.data(),
                      tag.size(), plaintext.data());
  }

 private:
  friend class GcmStream;

  base::Status RawSetKey(const std::uint8_t* key, std::size_t key_bytes,
                         Backend backend);
  // The one-shot cores: the output holds len bytes (checked by the caller).
  base::Status RawEncrypt(const std::uint8_t* iv, std::size_t iv_len,
                          const std::uint8_t* aad, std::size_t aad_len,
                          const std::uint8_t* plaintext, std::size_t len,
                          std::uint8_t* ciphertext, std::uint8_t* tag,
                          std::size_t tag_len) const;
  base::Status RawDecrypt(const std::uint8_t* iv, std::size_t iv_len,
                          const std::uint8_t* aad, std::size_t aad_len,
                          const std::uint8_t* ciphertext, std::size_t len,
                          const std::uint8_t* tag, std::size_t tag_len,
                          std::uint8_t* plaintext) const;
  // An output shorter than the len bytes of text: the refusal the checks
  // give in their order (kBadState, kInvalidTagLength, kInvalidIvLength,
  // kMessageTooLong, kAadTooLong, then kNullBuffer for a null output or
  // kOutputTooShort).
  [[gnu::cold]] base::Status RefuseShortOutput(std::size_t iv_len,
                                               std::size_t aad_len,
                                               std::size_t len,
                                               const std::uint8_t* out,
                                               std::size_t tag_len) const;

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
//    in constant time) or a tag of a bad size (kInvalidTagLength: unlike
//    FinishEncrypt, this ends the operation);
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
  base::Status StartEncrypt(const AesGcm& key,
                            std::span<const std::uint8_t> iv) {
    return Start(key, iv.data(), iv.size(), /*decrypt=*/false);
  }
  base::Status StartDecrypt(const AesGcm& key,
                            std::span<const std::uint8_t> iv) {
    return Start(key, iv.data(), iv.size(), /*decrypt=*/true);
  }
  base::Status AddAad(std::span<const std::uint8_t> aad) {
    return RawAddAad(aad.data(), aad.size());
  }
  // Encrypts or decrypts in into out[0..in.size()) (out.data() == in.data()
  // allowed; out may be longer, see the buffer rules above).
  base::Status Update(std::span<const std::uint8_t> in,
                      std::span<std::uint8_t> out) {
    if (out.size() < in.size()) [[unlikely]] {
      return RefuseShortOutput(out.data());
    }
    return RawUpdate(in.data(), in.size(), out.data());
  }
  // Writes the tag, truncated to tag.size() (12..16) bytes.
  base::Status FinishEncrypt(std::span<std::uint8_t> tag) {
    return RawFinishEncrypt(tag.data(), tag.size());
  }
  // kOk keeps the plaintext; any other result of an unfinished decryption
  // has zeroed it (kBadState on an idle or encrypting stream changes nothing).
  base::Status FinishDecrypt(std::span<const std::uint8_t> tag) {
    return RawFinishDecrypt(tag.data(), tag.size());
  }
  // Abandons the operation: zeroes what an unfinished decryption wrote to
  // the output, and wipes all state.
  void Reset();

 private:
  enum class Phase : std::uint8_t { kIdle, kAad, kText };

  // The pointer-based cores behind the span API.
  base::Status Start(const AesGcm& key, const std::uint8_t* iv,
                     std::size_t iv_len, bool decrypt);
  base::Status RawAddAad(const std::uint8_t* aad, std::size_t len);
  // out holds len bytes (checked by the caller).
  base::Status RawUpdate(const std::uint8_t* in, std::size_t len,
                         std::uint8_t* out);
  // Update's refusal of an output shorter than a non-empty input:
  // kBadState on an idle stream, else kNullBuffer or kOutputTooShort.
  [[gnu::cold]] base::Status RefuseShortOutput(const std::uint8_t* out) const;
  base::Status RawFinishEncrypt(std::uint8_t* tag, std::size_t tag_len);
  base::Status RawFinishDecrypt(const std::uint8_t* tag, std::size_t tag_len);
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
