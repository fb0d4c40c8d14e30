// ctgrind-style constant-time check, run under valgrind memcheck by
// ct_check_test.sh.
//
// Why this works: memcheck tracks, bit by bit, whether each value is
// "defined". We declare the secrets (AES keys, GHASH key H, plaintexts)
// undefined with VALGRIND_MAKE_MEM_UNDEFINED. Arithmetic on them propagates
// undefinedness into everything derived (round keys, state, keystream,
// tags) without complaint, but memcheck reports an error whenever an
// undefined value decides a conditional jump or move, or is used to form a
// memory address. Those are exactly the timing channels a constant-time
// implementation must not have (branches, and cache-dependent indexing), so
// a clean run means no secret-dependent branch or index was executed on
// these inputs. Results that are public by design (the status of a tag
// check) are declared defined again before this program looks at them.
// Built at -O2 like the shipped library.
#include <valgrind/memcheck.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <span>

#include "crypto/aes.h"
#include "crypto/aes_gcm.h"
#include "crypto/ghash.h"

namespace {

void Secret(const void* p, std::size_t n) { VALGRIND_MAKE_MEM_UNDEFINED(p, n); }
void Public(const void* p, std::size_t n) { VALGRIND_MAKE_MEM_DEFINED(p, n); }

int failures = 0;
void Expect(bool ok, const char* what) {
  if (!ok) {
    std::printf("FAILED: %s\n", what);
    ++failures;
  }
}

#ifdef CT_CHECK_INJECT_LEAK
// A textbook leak: a table indexed by a secret byte, as a T-table AES does.
// Proves that the harness reports what it is meant to report.
std::uint8_t LeakySbox(std::uint8_t secret) {
  static std::uint8_t table[256];
  for (int i = 0; i < 256; ++i) table[i] = static_cast<std::uint8_t>(i * 7 + 1);
  return table[secret];
}
#endif

}  // namespace

// argv[1]: the backend every key is set up for, "portable" (the code the
// boards run) or "auto" (AES-NI/PCLMULQDQ where the CPU has them).
int main(int argc, char** argv) {
  std::printf("running under valgrind: %d\n",
              static_cast<int>(RUNNING_ON_VALGRIND));
  if (argc != 2 || (std::strcmp(argv[1], "portable") != 0 &&
                    std::strcmp(argv[1], "auto") != 0)) {
    std::printf("usage: ct_check portable|auto\n");
    return 2;
  }
  const crypto::Backend backend = std::strcmp(argv[1], "portable") == 0
                                      ? crypto::Backend::kPortable
                                      : crypto::Backend::kAuto;
  std::printf("backend: %s\n", argv[1]);
  std::uint8_t key[32], pt[256], iv[12], iv_long[20], aad[37];
  for (int i = 0; i < 32; ++i) key[i] = static_cast<std::uint8_t>(3 * i + 1);
  for (int i = 0; i < 256; ++i) pt[i] = static_cast<std::uint8_t>(i ^ 0x5a);
  for (int i = 0; i < 12; ++i) iv[i] = static_cast<std::uint8_t>(i);
  for (int i = 0; i < 20; ++i) iv_long[i] = static_cast<std::uint8_t>(40 + i);
  for (int i = 0; i < 37; ++i) aad[i] = static_cast<std::uint8_t>(i * 5);

  // 1. AES key expansion and encryption, every key size.
  for (std::size_t key_len : {16u, 24u, 32u}) {
    Secret(key, sizeof key);
    Secret(pt, sizeof pt);
    crypto::Aes aes;
    const base::Status s = aes.SetKey({key, key_len}, backend);
    Expect(s.ok(), "Aes::SetKey");
    std::uint8_t out[32];
    aes.EncryptBlock(std::span(pt).first<16>(), std::span(out).first<16>());
    aes.EncryptBlockPair(std::span(pt).first<32>(), out);
    Public(out, sizeof out);
  }

  // 2. GHASH with a secret H over secret data.
  {
    std::uint8_t h[16];
    std::memcpy(h, key, 16);
    Secret(h, sizeof h);
    Secret(pt, sizeof pt);
    crypto::GhashKey ghash;
    ghash.Set(h, backend);
    std::uint32_t y[4] = {};
    ghash.Absorb(y, {pt, 77});
    ghash.AbsorbLengths(y, 0, 77 * 8);
    Public(y, sizeof y);
  }

  // 3. AES-GCM encrypt, then decrypt with the right tag and a forged one
  //    (tag comparison and masked output), one-shot and streaming, 96-bit
  //    and hashed IVs. One-shot lengths: 235 bytes (15 blocks: E(J0) in the
  //    final pair's free lane, the 14 blocks before it through a cached
  //    run with a 96-bit IV), 224 (14 blocks: E(J0) from its own, cached
  //    pair) and 16 (one pair: inc32(J0) and J0).
  for (std::size_t key_len : {16u, 32u}) {
    for (const std::uint8_t* nonce :
         {static_cast<const std::uint8_t*>(iv),
          static_cast<const std::uint8_t*>(iv_long)}) {
      const std::size_t nonce_len = nonce == iv ? 12 : 20;
      Secret(key, sizeof key);
      Secret(pt, sizeof pt);
      crypto::AesGcm gcm;
      Expect(gcm.SetKey({key, key_len}, backend) == base::OkStatus(),
             "AesGcm::SetKey");
      std::uint8_t ct[256], tag[16], back[256];
      base::Status s;
      for (std::size_t len : {235u, 224u, 16u}) {
        Expect(gcm.Encrypt({nonce, nonce_len}, {aad, sizeof aad}, {pt, len},
                           {ct, len}, {tag, 16}) == base::OkStatus(),
               "Encrypt");
        // Ciphertext and tag are sent in the clear.
        Public(ct, sizeof ct);
        Public(tag, sizeof tag);

        s = gcm.Decrypt({nonce, nonce_len}, {aad, sizeof aad}, {ct, len},
                        {tag, 16}, {back, len});
        Public(&s, sizeof s);
        Expect(s.ok(), "Decrypt genuine");
        tag[15] ^= 1;
        s = gcm.Decrypt({nonce, nonce_len}, {aad, sizeof aad}, {ct, len},
                        {tag, 16}, {back, len});
        Public(&s, sizeof s);
        Expect(s == crypto::Code::kAuthenticationFailed, "Decrypt forged");
        tag[15] ^= 1;
      }

      crypto::GcmStream stream;
      Expect(stream.StartEncrypt(gcm, {nonce, nonce_len}) == base::OkStatus(),
             "stream");
      Expect(stream.AddAad({aad, 5}) == base::OkStatus(), "stream aad");
      Expect(stream.Update({pt, 50}, {ct, 50}) == base::OkStatus(),
             "stream update");
      Expect(stream.Update({pt + 50, 121}, {ct + 50, 121}) == base::OkStatus(),
             "stream update");
      Expect(stream.FinishEncrypt({tag, 16}) == base::OkStatus(),
             "stream finish");
      Public(ct, sizeof ct);
      Public(tag, sizeof tag);
      Expect(stream.StartDecrypt(gcm, {nonce, nonce_len}) == base::OkStatus(),
             "stream");
      Expect(stream.AddAad({aad, 5}) == base::OkStatus(), "stream aad");
      Expect(stream.Update({ct, 171}, {back, 171}) == base::OkStatus(),
             "stream update");
      s = stream.FinishDecrypt({tag, 16});
      Public(&s, sizeof s);
      Expect(s.ok(), "stream decrypt");
      Public(back, sizeof back);
    }
  }

#ifdef CT_CHECK_INJECT_LEAK
  {
    std::uint8_t secret = pt[0];
    Secret(&secret, 1);
    std::uint8_t leaked = LeakySbox(secret);
    Public(&leaked, 1);
    std::printf("leaky lookup done (%d)\n", leaked);
  }
#endif

  std::printf("functional failures: %d\n", failures);
  return failures == 0 ? 0 : 2;
}
