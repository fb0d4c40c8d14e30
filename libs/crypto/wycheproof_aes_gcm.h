// The Wycheproof AES-GCM vectors as a C++ table, generated at build time
// from third_party/wycheproof/aes_gcm_test.json (see tools/wycheproof_gen.cc).
#ifndef LIBS_CRYPTO_WYCHEPROOF_AES_GCM_H_
#define LIBS_CRYPTO_WYCHEPROOF_AES_GCM_H_

#include <cstddef>
#include <cstdint>

namespace crypto::testing {

struct Bytes {
  const std::uint8_t* data;
  std::size_t size;
};

struct WycheproofAeadCase {
  int tc_id;
  int key_bits;  // group parameters
  int iv_bits;
  int tag_bits;
  bool valid;  // "valid"; otherwise "invalid" (no "acceptable" in this file)
  const char* comment;
  const char* flags;  // comma-separated
  Bytes key, iv, aad, msg, ct, tag;
};

extern const std::size_t kWycheproofAesGcmDeclaredTests;  // numberOfTests
extern const std::size_t kWycheproofAesGcmCount;
extern const WycheproofAeadCase kWycheproofAesGcm[];

}  // namespace crypto::testing

#endif  // LIBS_CRYPTO_WYCHEPROOF_AES_GCM_H_
