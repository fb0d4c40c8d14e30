// provision: prints the console lines that provision one node with its key
// bundle (tools/provision/bundle.h). The fleet secret is read from a file
// (or standard input with "-"), never from the command line, where other
// users of the machine could read it.
//
//   bazel run //tools/provision -- --fleet-secret-file=secret.hex --node=3
//   --peers=1,2,4
//
// Exit status: 0 printed, 2 bad arguments or an unreadable secret.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "tools/provision/bundle.h"

namespace {

int Usage(const std::string& problem) {
  std::cerr << "provision: " << problem << "\n"
            << "usage: provision --fleet-secret-file=PATH|- --node=ID "
               "--peers=ID[,ID...]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string secret_file;
  int node = 0;
  std::vector<int> peers;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--fleet-secret-file=", 0) == 0) {
      secret_file = arg.substr(20);
    } else if (arg.rfind("--node=", 0) == 0) {
      if (!absl::SimpleAtoi(arg.substr(7), &node))
        return Usage("--node: not a number");
    } else if (arg.rfind("--peers=", 0) == 0) {
      for (const absl::string_view word : absl::StrSplit(arg.substr(8), ',')) {
        int peer = 0;
        if (!absl::SimpleAtoi(word, &peer))
          return Usage("--peers: not a list of numbers");
        peers.push_back(peer);
      }
    } else {
      return Usage("unknown argument " + arg);
    }
  }
  if (secret_file.empty()) return Usage("--fleet-secret-file is required");
  if (node < 1 || node > 254) return Usage("--node must be 1..254");
  std::stringstream text;
  if (secret_file == "-") {
    text << std::cin.rdbuf();
  } else {
    std::ifstream in(secret_file);
    if (!in) return Usage("cannot read " + secret_file);
    text << in.rdbuf();
  }
  const auto secret = provision::ParseFleetSecret(text.str());
  if (!secret.ok()) return Usage(std::string(secret.status().message()));
  const auto lines =
      provision::MakeBundle(*secret, static_cast<std::uint8_t>(node), peers);
  if (!lines.ok()) return Usage(std::string(lines.status().message()));
  for (const std::string& line : *lines) std::cout << line << "\n";
  return 0;
}
