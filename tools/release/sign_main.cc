// Signs release bundles with an Ed25519 key, after the build:
//
//   bazel run //tools/release:sign -- --key=KEY.pem --out=DIR BUNDLE...
//
// BUNDLE is a bundle tar (bazel-bin/apps/release/<product>-<board>.tar) or
// directory (bazel-bin/apps/release/<board>); each is written, signed, to
// DIR under the same name: the tar with only its SIGNATURE member changed.
// The key is a PEM private key (`openssl genpkey -algorithm ed25519`), from
// --key or else the file named by $RELEASE_SIGNING_KEY. Relative paths are
// taken from the directory `bazel run` was started in.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "tools/release/bundle_signature.h"

ABSL_FLAG(std::string, key, "",
          "PEM Ed25519 private key file (default: $RELEASE_SIGNING_KEY).");
ABSL_FLAG(std::string, out, "", "Directory for the signed bundles.");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "sign --key=KEY.pem --out=DIR BUNDLE...  (a bundle is a tar or a "
      "directory of //apps:release)");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (const char* dir = std::getenv("BUILD_WORKING_DIRECTORY")) {
    if (chdir(dir) != 0) {
      std::cerr << "sign: cannot change to " << dir << "\n";
      return 2;
    }
  }
  std::string key_path = absl::GetFlag(FLAGS_key);
  if (key_path.empty()) {
    const char* env = std::getenv("RELEASE_SIGNING_KEY");
    key_path = env == nullptr ? "" : env;
  }
  const std::string out_dir = absl::GetFlag(FLAGS_out);
  if (key_path.empty() || out_dir.empty() || args.size() < 2) {
    std::cerr << "usage: sign --key=KEY.pem --out=DIR BUNDLE...\n"
                 "  (or RELEASE_SIGNING_KEY=KEY.pem instead of --key)\n";
    return 2;
  }

  std::ifstream key_file(key_path, std::ios::binary);
  std::ostringstream pem;
  pem << key_file.rdbuf();
  if (!key_file) {
    std::cerr << "sign: cannot read the key " << key_path << "\n";
    return 2;
  }
  absl::StatusOr<release::Ed25519Key> key =
      release::Ed25519Key::FromPrivatePem(pem.str());
  if (!key.ok()) {
    std::cerr << "sign: " << key_path << ": " << key.status().message() << "\n";
    return 2;
  }
  std::error_code error;
  std::filesystem::create_directories(out_dir, error);
  if (error) {
    std::cerr << "sign: cannot create " << out_dir << ": " << error.message()
              << "\n";
    return 2;
  }

  int status = 0;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string path = args[i];
    absl::StatusOr<release::Bundle> bundle = release::ReadBundle(path);
    absl::Status done = bundle.status();
    const std::filesystem::path name =
        std::filesystem::path(path).lexically_normal().filename().empty()
            ? std::filesystem::path(path)
                  .lexically_normal()
                  .parent_path()
                  .filename()
            : std::filesystem::path(path).lexically_normal().filename();
    const std::string out_path =
        (std::filesystem::path(out_dir) / name).string();
    if (done.ok()) done = release::SignBundle(*bundle, *key);
    if (done.ok()) done = release::WriteBundle(*bundle, out_path);
    if (done.ok()) {
      std::cout << "signed " << path << " -> " << out_path
                << " (ed25519, public key sha256 " << key->PublicKeySha256()
                << ")\n";
    } else {
      std::cerr << "sign: " << path << ": " << done.message() << "\n";
      status = 1;
    }
  }
  return status;
}
