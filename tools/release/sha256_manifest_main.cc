// Writes a sha256sum-format manifest of files given as NAME=PATH arguments
// (NAME is how the file is called inside the bundle).
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "tools/release/sha256_manifest.h"

ABSL_FLAG(std::string, output, "", "Where to write the manifest.");

int main(int argc, char** argv) {
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  std::map<std::string, std::string> files;
  for (std::size_t i = 1; i < args.size(); ++i) {
    std::string arg = args[i];
    std::size_t equals = arg.find('=');
    if (equals == std::string::npos) {
      std::cerr << "sha256_manifest: expected NAME=PATH, got " << arg << "\n";
      return 2;
    }
    files[arg.substr(0, equals)] = arg.substr(equals + 1);
  }
  absl::StatusOr<std::string> manifest = release::BuildManifest(files);
  if (!manifest.ok()) {
    std::cerr << "sha256_manifest: " << manifest.status() << "\n";
    return 2;
  }
  std::ofstream out(absl::GetFlag(FLAGS_output), std::ios::binary);
  out << *manifest;
  return out ? 0 : 2;
}
