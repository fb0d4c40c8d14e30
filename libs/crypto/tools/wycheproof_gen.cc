// Build-time generator: Wycheproof AEAD JSON -> a C++ table for tests that
// run on boards (which have no file system and no JSON parser).
//
//   wycheproof_gen <aes_gcm_test.json> <out.cc>
//
// Parsing is nlohmann/json's; this program only validates the fields it
// needs and prints them. All payload bytes go into one pool array so empty
// fields (zero-length IV, AAD, message) need no zero-length arrays.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace {

[[noreturn]] void Fail(const std::string& message) {
  std::cerr << "wycheproof_gen: " << message << "\n";
  std::exit(1);
}

std::vector<unsigned char> FromHex(const std::string& hex, int tc_id) {
  if (hex.size() % 2 != 0)
    Fail("odd hex length in tcId " + std::to_string(tc_id));
  std::vector<unsigned char> out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const std::string byte = hex.substr(i, 2);
    char* end = nullptr;
    const long v = std::strtol(byte.c_str(), &end, 16);
    if (end != byte.c_str() + 2)
      Fail("bad hex in tcId " + std::to_string(tc_id));
    out.push_back(static_cast<unsigned char>(v));
  }
  return out;
}

std::string CString(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u >= 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\%03o", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) Fail("usage: wycheproof_gen <input.json> <output.cc>");
  std::ifstream in(argv[1]);
  if (!in) Fail(std::string("cannot open ") + argv[1]);
  const nlohmann::json doc = nlohmann::json::parse(in);
  if (doc.at("algorithm").get<std::string>() != "AES-GCM")
    Fail("not an AES-GCM file");

  std::vector<unsigned char> pool;
  std::ostringstream cases;
  std::size_t count = 0;
  auto add = [&pool](const std::vector<unsigned char>& bytes) {
    const std::size_t offset = pool.size();
    pool.insert(pool.end(), bytes.begin(), bytes.end());
    return offset;
  };
  for (const auto& group : doc.at("testGroups")) {
    const int iv_bits = group.at("ivSize").get<int>();
    const int key_bits = group.at("keySize").get<int>();
    const int tag_bits = group.at("tagSize").get<int>();
    for (const auto& test : group.at("tests")) {
      const int tc_id = test.at("tcId").get<int>();
      const std::string result = test.at("result").get<std::string>();
      if (result != "valid" && result != "invalid") {
        Fail("unsupported result '" + result + "' in tcId " +
             std::to_string(tc_id));
      }
      std::string flags;
      for (const auto& flag : test.at("flags")) {
        if (!flags.empty()) flags += ",";
        flags += flag.get<std::string>();
      }
      const char* fields[] = {"key", "iv", "aad", "msg", "ct", "tag"};
      cases << "    {" << tc_id << ", " << key_bits << ", " << iv_bits << ", "
            << tag_bits << ", " << (result == "valid" ? "true" : "false")
            << ", " << CString(test.at("comment").get<std::string>()) << ", "
            << CString(flags);
      for (const char* field : fields) {
        const auto bytes = FromHex(test.at(field).get<std::string>(), tc_id);
        cases << ", {kPool + " << add(bytes) << ", " << bytes.size() << "}";
      }
      cases << "},\n";
      ++count;
    }
  }

  std::ofstream out(argv[2]);
  if (!out) Fail(std::string("cannot write ") + argv[2]);
  out << "// GENERATED at build time by //libs/crypto:wycheproof_gen from\n"
      << "// third_party/wycheproof/aes_gcm_test.json. Do not edit.\n"
      << "#include \"libs/crypto/wycheproof_aes_gcm.h\"\n\n"
      << "namespace crypto::testing {\nnamespace {\n\n"
      << "const std::uint8_t kPool[" << (pool.empty() ? 1 : pool.size())
      << "] = {";
  for (std::size_t i = 0; i < pool.size(); ++i) {
    out << (i % 16 == 0 ? "\n    " : " ") << static_cast<int>(pool[i]) << ",";
  }
  out << "\n};\n\n}  // namespace\n\n"
      << "const std::size_t kWycheproofAesGcmDeclaredTests = "
      << doc.at("numberOfTests").get<std::size_t>() << ";\n"
      << "const std::size_t kWycheproofAesGcmCount = " << count << ";\n"
      << "const WycheproofAeadCase kWycheproofAesGcm[] = {\n"
      << cases.str() << "};\n\n}  // namespace crypto::testing\n";
  return out ? 0 : 1;
}
