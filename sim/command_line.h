// The fleet's command line, checked the way a user expects: an unknown
// flag, a positional argument, or a value that is not exactly a number in
// its range (no wrapping, no NaN, no infinity) is refused with a message
// that names the flag, before anything is started. main.cc turns a refusal
// into exit status 2 (1 stays "verdict failed").
#ifndef SIM_COMMAND_LINE_H_
#define SIM_COMMAND_LINE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace sim {

// Every argument after argv[0] must be --name or --name=value with a flag
// the program defines (or --help and its kin); nothing positional.
absl::Status CheckArguments(const std::vector<std::string>& args);

// `text` as a whole number in [min, max]; the error names `flag`.
absl::StatusOr<std::int64_t> ParseWholeNumber(absl::string_view flag,
                                              absl::string_view text,
                                              std::int64_t min,
                                              std::int64_t max);
// `text` as a finite number in [min, max]; the error names `flag`.
absl::StatusOr<double> ParseFiniteNumber(absl::string_view flag,
                                         absl::string_view text, double min,
                                         double max);

// A path the user typed: relative paths are taken from the directory they
// ran `bazel run` in ($BUILD_WORKING_DIRECTORY), else the current one.
std::string UserPath(const std::string& path);

}  // namespace sim

#endif  // SIM_COMMAND_LINE_H_
