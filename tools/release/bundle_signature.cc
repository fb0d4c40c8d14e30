#include "tools/release/bundle_signature.h"

#include <openssl/bio.h>
#include <openssl/pem.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tools/release/sha256_manifest.h"

namespace release {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kRawKeyBytes = 32;
constexpr std::size_t kSignatureBytes = 64;

absl::StatusOr<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return absl::NotFoundError(absl::StrCat("cannot read ", path.string()));
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

absl::Status WriteFile(const fs::path& path, absl::string_view contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  out.close();
  if (!out)
    return absl::InternalError(absl::StrCat("cannot write ", path.string()));
  return absl::OkStatus();
}

bool IsLowerHex(absl::string_view text, std::size_t length) {
  if (text.size() != length) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(c) && !(c >= 'a' && c <= 'f')) return false;
  }
  return true;
}

// "key: value" lines; lines without a colon are ignored.
std::map<std::string, std::string> ParseFields(absl::string_view text) {
  std::map<std::string, std::string> fields;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    std::size_t colon = line.find(':');
    if (colon == absl::string_view::npos) continue;
    fields[std::string(absl::StripAsciiWhitespace(line.substr(0, colon)))] =
        std::string(absl::StripAsciiWhitespace(line.substr(colon + 1)));
  }
  return fields;
}

absl::StatusOr<Bundle> ReadTarBundle(const std::string& path) {
  absl::StatusOr<std::string> archive = ReadFile(path);
  if (!archive.ok()) return archive.status();
  absl::StatusOr<std::vector<TarMember>> members = ReadTar(*archive);
  if (!members.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", members.status().message()));
  }
  Bundle bundle;
  for (const TarMember& member : *members) {
    std::vector<std::string> parts = absl::StrSplit(member.name, '/');
    if (member.type == '5' &&
        (parts.size() == 1 || (parts.size() == 2 && parts[1].empty()))) {
      continue;  // the board directory itself
    }
    if (member.type != '0' || parts.size() != 2 || parts[0].empty() ||
        parts[1].empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": member ", member.name, " is not a file <board>/<name>"));
    }
    if (bundle.board.empty()) bundle.board = parts[0];
    if (parts[0] != bundle.board) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": members of two boards, ", bundle.board, " and ", parts[0]));
    }
    if (!bundle.files.emplace(parts[1], member.contents).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": ", member.name, " twice"));
    }
  }
  bundle.tar = *std::move(members);
  return bundle;
}

absl::StatusOr<Bundle> ReadDirectoryBundle(const fs::path& dir) {
  Bundle bundle;
  bundle.board = fs::absolute(dir).lexically_normal().filename().string();
  if (bundle.board.empty()) {
    bundle.board =
        fs::absolute(dir).lexically_normal().parent_path().filename().string();
  }
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, error)) {
    if (!entry.is_regular_file()) {
      return absl::InvalidArgumentError(
          absl::StrCat(dir.string(), ": ", entry.path().filename().string(),
                       " is not a regular file"));
    }
    absl::StatusOr<std::string> contents = ReadFile(entry.path());
    if (!contents.ok()) return contents.status();
    bundle.files[entry.path().filename().string()] = *std::move(contents);
  }
  if (error) {
    return absl::NotFoundError(
        absl::StrCat("cannot list ", dir.string(), ": ", error.message()));
  }
  return bundle;
}

// Checks the manifest's lines against the files; adds what is wrong.
void CheckManifest(const Bundle& bundle, Verification& result) {
  auto manifest = bundle.files.find(kManifestName);
  if (manifest == bundle.files.end()) {
    result.problems.push_back("no SHA256SUMS in the bundle");
    return;
  }
  std::set<std::string> listed;
  for (absl::string_view line : absl::StrSplit(manifest->second, '\n')) {
    if (line.empty()) continue;
    std::size_t gap = line.find("  ");
    absl::string_view hash = line.substr(0, gap);
    if (gap == absl::string_view::npos || !IsLowerHex(hash, 64)) {
      result.problems.push_back(
          absl::StrCat("SHA256SUMS: unreadable line '", line, "'"));
      continue;
    }
    std::string name(line.substr(gap + 2));
    if (name == kManifestName || name == kSignatureName ||
        !listed.insert(name).second) {
      result.problems.push_back(
          absl::StrCat("SHA256SUMS lists ", name, " where it may not"));
      continue;
    }
    auto file = bundle.files.find(name);
    if (file == bundle.files.end()) {
      result.problems.push_back(
          absl::StrCat(name, ": listed in SHA256SUMS but missing"));
    } else if (Sha256Hex(file->second) != hash) {
      result.problems.push_back(
          absl::StrCat(name, ": SHA-256 differs from SHA256SUMS"));
    } else {
      ++result.files_checked;
    }
  }
  for (const auto& [name, contents] : bundle.files) {
    if (name != kManifestName && name != kSignatureName &&
        !listed.count(name)) {
      result.problems.push_back(
          absl::StrCat(name, ": not covered by SHA256SUMS"));
    }
  }
}

}  // namespace

absl::StatusOr<Bundle> ReadBundle(const std::string& path) {
  std::error_code error;
  if (fs::is_directory(path, error)) return ReadDirectoryBundle(path);
  if (fs::is_regular_file(path, error)) return ReadTarBundle(path);
  return absl::NotFoundError(
      absl::StrCat(path, ": no such bundle (a tar or a directory)"));
}

absl::Status WriteBundle(const Bundle& bundle, const std::string& out_path) {
  const fs::path out(out_path);
  if (bundle.tar.has_value()) {
    std::vector<TarMember> members = *bundle.tar;
    for (TarMember& member : members) {
      if (member.type != '0') continue;
      std::string name = member.name.substr(member.name.find('/') + 1);
      auto file = bundle.files.find(name);
      if (file != bundle.files.end()) member.contents = file->second;
    }
    const fs::path partial = out.string() + ".partial";
    absl::Status written = WriteFile(partial, WriteTar(members));
    if (!written.ok()) return written;
    std::error_code error;
    fs::rename(partial, out, error);
    if (error) {
      return absl::InternalError(
          absl::StrCat("cannot rename to ", out_path, ": ", error.message()));
    }
    return absl::OkStatus();
  }
  std::error_code error;
  fs::create_directories(out, error);
  if (error) {
    return absl::InternalError(
        absl::StrCat("cannot create ", out_path, ": ", error.message()));
  }
  for (const auto& [name, contents] : bundle.files) {
    const fs::path file = out / name;
    fs::remove(file, error);  // build outputs are read-only; replace them
    absl::Status written = WriteFile(file, contents);
    if (!written.ok()) return written;
  }
  return absl::OkStatus();
}

absl::StatusOr<Ed25519Key> Ed25519Key::FromPrivatePem(absl::string_view pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key == nullptr) {
    return absl::InvalidArgumentError("not a PEM private key");
  }
  Ed25519Key result(key, true);
  if (EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
    return absl::InvalidArgumentError("the private key is not an Ed25519 key");
  }
  return result;
}

absl::StatusOr<Ed25519Key> Ed25519Key::FromPublicPem(absl::string_view pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key == nullptr) {
    return absl::InvalidArgumentError("not a PEM public key");
  }
  Ed25519Key result(key, false);
  if (EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
    return absl::InvalidArgumentError("the public key is not an Ed25519 key");
  }
  return result;
}

std::string Ed25519Key::PublicKeySha256() const {
  std::array<unsigned char, kRawKeyBytes> raw{};
  std::size_t length = raw.size();
  if (EVP_PKEY_get_raw_public_key(key_.get(), raw.data(), &length) != 1 ||
      length != raw.size()) {
    return "";
  }
  return Sha256Hex(
      absl::string_view(reinterpret_cast<const char*>(raw.data()), length));
}

std::string UnsignedSignatureFile() {
  return "signature: none\n"
         "note: not signed; sign with bazel run //tools/release:sign -- "
         "--key=<private.pem> --out=<dir> <bundle>\n";
}

Verification VerifyBundle(const Bundle& bundle, const Ed25519Key* key) {
  Verification result;
  CheckManifest(bundle, result);

  auto signature_file = bundle.files.find(kSignatureName);
  if (signature_file == bundle.files.end()) {
    result.problems.push_back("no SIGNATURE in the bundle");
    return result;
  }
  std::map<std::string, std::string> fields =
      ParseFields(signature_file->second);
  const std::string& kind = fields["signature"];
  if (kind == "none") {
    result.signature = Verification::Signature::kNone;
    return result;
  }
  if (kind != "ed25519" || fields["signed-file"] != kManifestName ||
      !IsLowerHex(fields["public-key-sha256"], 64) ||
      !IsLowerHex(fields["value"], 2 * kSignatureBytes)) {
    result.problems.push_back("SIGNATURE: unreadable");
    return result;
  }
  result.signature = Verification::Signature::kEd25519;
  result.key_sha256 = fields["public-key-sha256"];
  if (key == nullptr) {
    result.problems.push_back(
        "the bundle is signed; give --public-key to check it");
    return result;
  }
  if (key->PublicKeySha256() != result.key_sha256) {
    result.problems.push_back(
        absl::StrCat("signed by the key with SHA-256 ", result.key_sha256,
                     ", not by the given key (", key->PublicKeySha256(), ")"));
    return result;
  }
  auto manifest = bundle.files.find(kManifestName);
  const std::string message =
      manifest == bundle.files.end() ? "" : manifest->second;
  const std::string signature = absl::HexStringToBytes(fields["value"]);
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  const bool valid =
      context != nullptr &&
      EVP_DigestVerifyInit(context, nullptr, nullptr, nullptr, key->get()) ==
          1 &&
      EVP_DigestVerify(context,
                       reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(),
                       reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) == 1;
  EVP_MD_CTX_free(context);
  if (!valid) {
    result.problems.push_back(
        "the Ed25519 signature over SHA256SUMS is not valid");
  }
  return result;
}

absl::Status SignBundle(Bundle& bundle, const Ed25519Key& key) {
  if (!key.has_private()) {
    return absl::InvalidArgumentError("signing needs a private key");
  }
  Verification check = VerifyBundle(bundle, nullptr);
  for (const std::string& problem : check.problems) {
    if (check.signature == Verification::Signature::kEd25519 &&
        absl::StartsWith(problem, "the bundle is signed")) {
      continue;  // signing again replaces the signature
    }
    return absl::FailedPreconditionError(
        absl::StrCat("refusing to sign: ", problem));
  }
  const std::string& message = bundle.files[kManifestName];
  std::array<unsigned char, kSignatureBytes> signature{};
  std::size_t length = signature.size();
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  const bool signed_ok =
      context != nullptr &&
      EVP_DigestSignInit(context, nullptr, nullptr, nullptr, key.get()) == 1 &&
      EVP_DigestSign(context, signature.data(), &length,
                     reinterpret_cast<const unsigned char*>(message.data()),
                     message.size()) == 1 &&
      length == signature.size();
  EVP_MD_CTX_free(context);
  if (!signed_ok) return absl::InternalError("Ed25519 signing failed");
  bundle.files[kSignatureName] = absl::StrCat(
      "signature: ed25519\n", "signed-file: ", kManifestName, "\n",
      "public-key-sha256: ", key.PublicKeySha256(), "\n", "value: ",
      absl::BytesToHexString(absl::string_view(
          reinterpret_cast<const char*>(signature.data()), length)),
      "\n");
  return absl::OkStatus();
}

}  // namespace release
