// The refusals of the link's send window (domain "arq").
#ifndef LIBS_ARQ_PUBLIC_ARQ_STATUS_H_
#define LIBS_ARQ_PUBLIC_ARQ_STATUS_H_

#include <cstdint>
#include <string_view>

#include "base/status.h"

namespace arq {

enum class Code : std::uint8_t {
  // Admit: every entry holds an unacknowledged message. The caller answers
  // "busy" (backpressure); nothing is dropped.
  kWindowFull = 1,
  // Sequence 0 is never sent (wire::LinkHeader).
  kZeroSequence,
  // Admit: not above every sequence admitted before under this window. Two
  // entries with one sequence would be two frames under one nonce.
  kSequenceNotIncreasing,
  // Acknowledge: no entry waits for this sequence (never sent, already
  // acknowledged, given up, or from before Clear). Counted; changes nothing.
  kUnknownSequence,
  // The policy cannot work: a zero timeout, a cap below the first timeout,
  // or no transmission at all.
  kInvalidPolicy,
};

constexpr base::Domain StatusDomain(Code) { return base::Domain::kArq; }

constexpr std::string_view CodeName(Code code) {
  switch (code) {
    case Code::kWindowFull:
      return "arq.window_full";
    case Code::kZeroSequence:
      return "arq.zero_sequence";
    case Code::kSequenceNotIncreasing:
      return "arq.sequence_not_increasing";
    case Code::kUnknownSequence:
      return "arq.unknown_sequence";
    case Code::kInvalidPolicy:
      return "arq.invalid_policy";
  }
  return "";
}

}  // namespace arq

#endif  // LIBS_ARQ_PUBLIC_ARQ_STATUS_H_
