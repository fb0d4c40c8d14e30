#include "sim/command_line.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "absl/flags/reflection.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace sim {

absl::Status CheckArguments(const std::vector<std::string>& args) {
  for (const std::string& arg : args) {
    absl::string_view name = arg;
    if (!absl::ConsumePrefix(&name, "--") && !absl::ConsumePrefix(&name, "-")) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unexpected argument '", arg, "': every option is --name=value"));
    }
    name = name.substr(0, name.find('='));
    if (name == "help" || name == "helpfull" || name == "helpshort" ||
        name == "version")
      continue;
    absl::string_view flag_name = name;
    // absl's boolean negation: --noprogress.
    if (absl::FindCommandLineFlag(flag_name) == nullptr &&
        absl::ConsumePrefix(&flag_name, "no") &&
        absl::FindCommandLineFlag(flag_name) != nullptr) {
      continue;
    }
    absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    if (flag == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown flag --", name, " (see --help)"));
    }
    // Check the value here, so a bad one is refused with exit status 2 like
    // every other bad argument (absl's own parser would exit with 1).
    const std::size_t equals = arg.find('=');
    std::string error;
    if (equals != std::string::npos &&
        !flag->ParseFrom(arg.substr(equals + 1), &error)) {
      return absl::InvalidArgumentError(absl::StrCat("--", name, ": ", error));
    }
    if (equals == std::string::npos && !flag->IsOfType<bool>()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", name, " needs a value: --", name, "=..."));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::int64_t> ParseWholeNumber(absl::string_view flag,
                                              absl::string_view text,
                                              std::int64_t min,
                                              std::int64_t max) {
  std::int64_t value = 0;
  if (!absl::SimpleAtoi(text, &value) || value < min || value > max) {
    return absl::InvalidArgumentError(absl::StrCat(
        flag, ": '", text, "' is not a whole number in ", min, "..", max));
  }
  return value;
}

absl::StatusOr<double> ParseFiniteNumber(absl::string_view flag,
                                         absl::string_view text, double min,
                                         double max) {
  double value = 0;
  if (!absl::SimpleAtod(text, &value) || !std::isfinite(value) || value < min ||
      value > max) {
    return absl::InvalidArgumentError(absl::StrCat(
        flag, ": '", text, "' is not a number in ", min, "..", max));
  }
  return value;
}

std::string UserPath(const std::string& path) {
  namespace fs = std::filesystem;
  if (path.empty() || fs::path(path).is_absolute()) return path;
  if (const char* dir = std::getenv("BUILD_WORKING_DIRECTORY")) {
    return (fs::path(dir) / path).lexically_normal().string();
  }
  return fs::absolute(path).lexically_normal().string();
}

}  // namespace sim
