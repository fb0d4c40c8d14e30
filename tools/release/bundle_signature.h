// Ed25519 signatures of release bundles.
//
// A bundle (build_defs/release.bzl) is a directory <board>/ of files, or a
// tar of that directory. SHA256SUMS holds the SHA-256 of every other file
// but SIGNATURE; SIGNATURE says whether and how SHA256SUMS is signed:
//
//   signature: none                     as built: unsigned
//   note: ...
//
//   signature: ed25519                  after //tools/release:sign
//   signed-file: SHA256SUMS
//   public-key-sha256: <hex SHA-256 of the 32-byte raw public key>
//   value: <hex of the 64-byte Ed25519 signature over SHA256SUMS' bytes>
//
// The signature is plain Ed25519 over the manifest's exact bytes, so
// OpenSSL's command line checks it too (see apps/release/README.md).
#ifndef TOOLS_RELEASE_BUNDLE_SIGNATURE_H_
#define TOOLS_RELEASE_BUNDLE_SIGNATURE_H_

#include <openssl/evp.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tools/release/tar_archive.h"

namespace release {

inline constexpr char kManifestName[] = "SHA256SUMS";
inline constexpr char kSignatureName[] = "SIGNATURE";

// A bundle read from a tar or a directory: its files by name inside the
// board directory (board/name in the tar).
struct Bundle {
  std::string board;
  std::map<std::string, std::string> files;
  // Set when read from a tar: the archive's members, for rewriting.
  std::optional<std::vector<TarMember>> tar;
};

// Reads PATH: a tar file, or a bundle directory (whose name is the board).
absl::StatusOr<Bundle> ReadBundle(const std::string& path);

// Writes the bundle to OUT_PATH in the form it was read in: a tar (only the
// SIGNATURE member's contents changed) or a directory OUT_PATH of files.
absl::Status WriteBundle(const Bundle& bundle, const std::string& out_path);

// An Ed25519 key read from PEM (PKCS#8 private key or SubjectPublicKeyInfo
// public key, as `openssl genpkey -algorithm ed25519` and `openssl pkey
// -pubout` write them).
class Ed25519Key {
 public:
  static absl::StatusOr<Ed25519Key> FromPrivatePem(absl::string_view pem);
  static absl::StatusOr<Ed25519Key> FromPublicPem(absl::string_view pem);

  // Hex SHA-256 of the raw 32-byte public key: the key's name in SIGNATURE.
  std::string PublicKeySha256() const;
  bool has_private() const { return has_private_; }
  EVP_PKEY* get() const { return key_.get(); }

 private:
  struct Free {
    void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
  };
  Ed25519Key(EVP_PKEY* key, bool has_private)
      : key_(key), has_private_(has_private) {}
  std::unique_ptr<EVP_PKEY, Free> key_;
  bool has_private_ = false;
};

// What a check of the manifest and the signature found.
struct Verification {
  enum class Signature { kNone, kEd25519, kUnreadable };
  Signature signature = Signature::kUnreadable;
  std::string key_sha256;  // as named in SIGNATURE
  // Empty when every hash matches, every file is listed and, for a signed
  // bundle checked with a key, the signature is valid for that key.
  std::vector<std::string> problems;
  std::size_t files_checked = 0;
};

// Checks SHA256SUMS against the files (every file but SHA256SUMS and
// SIGNATURE listed, every listed file present with its hash) and, when the
// bundle is signed, the signature with KEY (a problem when no key is given).
Verification VerifyBundle(const Bundle& bundle, const Ed25519Key* key);

// The SIGNATURE contents of an unsigned bundle.
std::string UnsignedSignatureFile();

// Signs the bundle's SHA256SUMS with KEY, which must hold a private key, and
// replaces its SIGNATURE. Refuses a bundle whose files do not match its
// manifest: only what was built gets signed.
absl::Status SignBundle(Bundle& bundle, const Ed25519Key& key);

}  // namespace release

#endif  // TOOLS_RELEASE_BUNDLE_SIGNATURE_H_
