#include "tools/release/bundle_signature.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "tools/release/sha256_manifest.h"
#include "tools/release/tar_archive.h"

namespace release {
namespace {

// A fresh Ed25519 key pair as PEM, made for this test only.
struct KeyPair {
  std::string private_pem;
  std::string public_pem;
};

std::string BioText(BIO* bio) {
  char* data = nullptr;
  long length = BIO_get_mem_data(bio, &data);
  std::string text(data, static_cast<std::size_t>(length));
  BIO_free(bio);
  return text;
}

KeyPair NewKeyPair() {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  EXPECT_NE(key, nullptr);
  BIO* private_bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(private_bio, key, nullptr, nullptr, 0, nullptr,
                           nullptr);
  BIO* public_bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(public_bio, key);
  EVP_PKEY_free(key);
  return {BioText(private_bio), BioText(public_bio)};
}

Bundle UnsignedBundle() {
  Bundle bundle;
  bundle.board = "board";
  bundle.files["image.bin"] = std::string("\x01\x02\x03\x04", 4);
  bundle.files["build_info.txt"] = "board: board\n";
  bundle.files[kManifestName] =
      Sha256Hex(bundle.files["build_info.txt"]) + "  build_info.txt\n" +
      Sha256Hex(bundle.files["image.bin"]) + "  image.bin\n";
  bundle.files[kSignatureName] = UnsignedSignatureFile();
  return bundle;
}

bool HasProblem(const Verification& result, absl::string_view text) {
  for (const std::string& problem : result.problems) {
    if (absl::StrContains(problem, text)) return true;
  }
  return false;
}

TEST(BundleSignatureTest, UnsignedBundleIsReportedAsUnsigned) {
  Verification result = VerifyBundle(UnsignedBundle(), nullptr);
  EXPECT_TRUE(result.problems.empty());
  EXPECT_EQ(result.signature, Verification::Signature::kNone);
  EXPECT_EQ(result.files_checked, 2u);
}

TEST(BundleSignatureTest, SignedBundleVerifiesWithItsKeyOnly) {
  KeyPair pair = NewKeyPair();
  absl::StatusOr<Ed25519Key> private_key =
      Ed25519Key::FromPrivatePem(pair.private_pem);
  absl::StatusOr<Ed25519Key> public_key =
      Ed25519Key::FromPublicPem(pair.public_pem);
  ASSERT_TRUE(private_key.ok()) << private_key.status();
  ASSERT_TRUE(public_key.ok()) << public_key.status();
  EXPECT_EQ(private_key->PublicKeySha256(), public_key->PublicKeySha256());

  Bundle bundle = UnsignedBundle();
  ASSERT_TRUE(SignBundle(bundle, *private_key).ok());
  EXPECT_TRUE(
      absl::StartsWith(bundle.files[kSignatureName], "signature: ed25519\n"));

  Verification good = VerifyBundle(bundle, &*public_key);
  EXPECT_TRUE(good.problems.empty()) << good.problems.front();
  EXPECT_EQ(good.signature, Verification::Signature::kEd25519);
  EXPECT_EQ(good.key_sha256, public_key->PublicKeySha256());

  // Without a key a signed bundle is not taken as checked.
  EXPECT_TRUE(HasProblem(VerifyBundle(bundle, nullptr), "give --public-key"));

  absl::StatusOr<Ed25519Key> other =
      Ed25519Key::FromPublicPem(NewKeyPair().public_pem);
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(
      HasProblem(VerifyBundle(bundle, &*other), "not by the given key"));
}

TEST(BundleSignatureTest, TamperingIsFound) {
  KeyPair pair = NewKeyPair();
  absl::StatusOr<Ed25519Key> private_key =
      Ed25519Key::FromPrivatePem(pair.private_pem);
  absl::StatusOr<Ed25519Key> public_key =
      Ed25519Key::FromPublicPem(pair.public_pem);
  ASSERT_TRUE(private_key.ok() && public_key.ok());
  Bundle signed_bundle = UnsignedBundle();
  ASSERT_TRUE(SignBundle(signed_bundle, *private_key).ok());

  // One byte of the image.
  Bundle image = signed_bundle;
  image.files["image.bin"][2] ^= 0x01;
  EXPECT_TRUE(HasProblem(VerifyBundle(image, &*public_key),
                         "image.bin: SHA-256 differs"));

  // The image and its manifest line together: the signature catches it.
  Bundle both = image;
  both.files[kManifestName] =
      Sha256Hex(both.files["build_info.txt"]) + "  build_info.txt\n" +
      Sha256Hex(both.files["image.bin"]) + "  image.bin\n";
  Verification result = VerifyBundle(both, &*public_key);
  EXPECT_EQ(result.problems.size(), 1u);
  EXPECT_TRUE(HasProblem(result, "signature over SHA256SUMS is not valid"));

  // A file the manifest does not list, and a listed file removed.
  Bundle extra = signed_bundle;
  extra.files["payload.bin"] = "x";
  EXPECT_TRUE(HasProblem(VerifyBundle(extra, &*public_key),
                         "payload.bin: not covered by SHA256SUMS"));
  Bundle missing = signed_bundle;
  missing.files.erase("build_info.txt");
  EXPECT_TRUE(HasProblem(VerifyBundle(missing, &*public_key),
                         "build_info.txt: listed in SHA256SUMS but missing"));

  // A changed bundle is not signed at all.
  absl::Status refused = SignBundle(image, *private_key);
  EXPECT_FALSE(refused.ok());
  EXPECT_TRUE(absl::StrContains(refused.message(), "refusing to sign"));
}

TEST(BundleSignatureTest, KeysOfOtherKindsAreRefused) {
  EVP_PKEY* ec = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  ASSERT_NE(ec, nullptr);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, ec, nullptr, nullptr, 0, nullptr, nullptr);
  EVP_PKEY_free(ec);
  absl::StatusOr<Ed25519Key> key = Ed25519Key::FromPrivatePem(BioText(bio));
  EXPECT_FALSE(key.ok());
  EXPECT_FALSE(Ed25519Key::FromPublicPem("not a key").ok());
}

TEST(TarArchiveTest, RewritingKeepsHeadersAndUpdatesSizes) {
  // A minimal GNU-style header: name, mode, ids, mtime and magic.
  std::string header(512, '\0');
  header.replace(0, 9, "b/SIGNATU");
  header.replace(100, 7, "0000644");
  header.replace(108, 7, "0000000");
  header.replace(116, 7, "0000000");
  header.replace(136, 11, "00000000000");
  header[156] = '0';
  header.replace(257, 8, std::string("ustar  \0", 8));
  TarMember member{"b/SIGNATU", '0', "signature: none\n", header};
  std::string archive = WriteTar({member});
  EXPECT_EQ(archive.size() % 10240, 0u);

  absl::StatusOr<std::vector<TarMember>> read = ReadTar(archive);
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->size(), 1u);
  EXPECT_EQ((*read)[0].name, "b/SIGNATU");
  EXPECT_EQ((*read)[0].contents, "signature: none\n");

  (*read)[0].contents = std::string(600, 'x');
  absl::StatusOr<std::vector<TarMember>> again = ReadTar(WriteTar(*read));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ((*again)[0].contents, std::string(600, 'x'));

  archive[3] ^= 0x01;  // the checksum no longer matches
  EXPECT_FALSE(ReadTar(archive).ok());
}

TEST(BundleFilesTest, DirectoryBundleRoundTrip) {
  const std::filesystem::path dir =
      std::filesystem::path(std::getenv("TEST_TMPDIR")) / "out" / "board";
  Bundle bundle = UnsignedBundle();
  ASSERT_TRUE(WriteBundle(bundle, dir.string()).ok());
  absl::StatusOr<Bundle> read = ReadBundle(dir.string());
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->board, "board");
  EXPECT_EQ(read->files, bundle.files);
  EXPECT_FALSE(ReadBundle(dir.string() + "/nothing").ok());
}

}  // namespace
}  // namespace release
