// Checks release bundles: every file against SHA256SUMS and, for a signed
// bundle, the Ed25519 signature over SHA256SUMS.
//
//   bazel run //tools/release:verify -- [--public-key=PUB.pem]
//       [--allow-unsigned] BUNDLE...
//
// BUNDLE is a bundle tar or directory. Exit status: 0 when every bundle is
// intact and signed by the given key; 1 when one is not (a changed, missing
// or unlisted file, a bad signature, another key); 3 when all are intact
// but one is unsigned (0 with --allow-unsigned); 2 for a usage error.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "tools/release/bundle_signature.h"

ABSL_FLAG(std::string, public_key, "",
          "PEM Ed25519 public key the bundles must be signed with.");
ABSL_FLAG(bool, allow_unsigned, false,
          "Exit 0 for intact unsigned bundles (they are still reported).");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "verify [--public-key=PUB.pem] [--allow-unsigned] BUNDLE...");
  // The flags are spelled with '-' in the documentation; Abseil's names
  // have '_'.
  std::vector<std::string> spelled(argv, argv + argc);
  std::vector<char*> spelled_argv;
  for (std::string& arg : spelled) {
    if (arg.rfind("--", 0) == 0) {
      std::size_t end = std::min(arg.find('='), arg.size());
      std::replace(arg.begin() + 2, arg.begin() + static_cast<long>(end), '-',
                   '_');
    }
    spelled_argv.push_back(arg.data());
  }
  std::vector<char*> args = absl::ParseCommandLine(argc, spelled_argv.data());
  if (const char* dir = std::getenv("BUILD_WORKING_DIRECTORY")) {
    if (chdir(dir) != 0) {
      std::cerr << "verify: cannot change to " << dir << "\n";
      return 2;
    }
  }
  if (args.size() < 2) {
    std::cerr << "usage: verify [--public-key=PUB.pem] [--allow-unsigned] "
                 "BUNDLE...\n";
    return 2;
  }
  std::unique_ptr<release::Ed25519Key> key;
  if (const std::string path = absl::GetFlag(FLAGS_public_key); !path.empty()) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream pem;
    pem << in.rdbuf();
    if (!in) {
      std::cerr << "verify: cannot read the public key " << path << "\n";
      return 2;
    }
    absl::StatusOr<release::Ed25519Key> parsed =
        release::Ed25519Key::FromPublicPem(pem.str());
    if (!parsed.ok()) {
      std::cerr << "verify: " << path << ": " << parsed.status().message()
                << "\n";
      return 2;
    }
    key = std::make_unique<release::Ed25519Key>(*std::move(parsed));
  }

  bool failed = false;
  bool unsigned_seen = false;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string path = args[i];
    absl::StatusOr<release::Bundle> bundle = release::ReadBundle(path);
    if (!bundle.ok()) {
      std::cout << path << ": FAILED\n  " << bundle.status().message() << "\n";
      failed = true;
      continue;
    }
    release::Verification result = release::VerifyBundle(*bundle, key.get());
    if (!result.problems.empty()) {
      std::cout << path << ": FAILED\n";
      for (const std::string& problem : result.problems) {
        std::cout << "  " << problem << "\n";
      }
      failed = true;
    } else if (result.signature == release::Verification::Signature::kNone) {
      std::cout << path << ": UNSIGNED (SIGNATURE says none); "
                << result.files_checked << " files match SHA256SUMS\n";
      unsigned_seen = true;
    } else {
      std::cout << path << ": OK, signed (ed25519, public key sha256 "
                << result.key_sha256 << "); " << result.files_checked
                << " files match SHA256SUMS\n";
    }
  }
  if (failed) return 1;
  if (unsigned_seen && !absl::GetFlag(FLAGS_allow_unsigned)) return 3;
  return 0;
}
