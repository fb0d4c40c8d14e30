// One error vocabulary for every library: base::Status and base::Result<T>.
//
// A Status is either ok or one named refusal of one library. The refusal
// is a (domain, code) pair: the domain says which library's vocabulary the
// code belongs to (base::Domain), the code is that library's own enumerator
// (crypto::Code::kAuthenticationFailed, storage::FlashCode::kPowerLost, ...),
// so no refusal loses its name when it crosses a library boundary. An
// optional 8-bit argument qualifies a refusal further (the pool router puts
// the exhausted size class there); it is not part of the code.
//
// Representation: one 32-bit word, code in bits 0-7, domain in 8-15,
// argument in 16-23, and ok is the all-zero word. The word is what makes
// the type cheap enough for the crypto and pool hot paths: a Status is
// returned in r0 (AAPCS returns a composite of at most 4 bytes in r0), a
// success is `movs r0, #0` and testing it is one `cbz`/`cbnz`, exactly as
// with the plain enums it replaces. The word is 32 rather than 16 bits wide
// so that the caller never has to zero-extend the register it gets back.
//
// A library makes an enum a status code by declaring, next to it:
//   enum class Code : std::uint8_t { kFirstRefusal = 1, ... };  // no kOk
//   constexpr base::Domain StatusDomain(Code) { return base::Domain::kX; }
//   constexpr std::string_view CodeName(Code code);  // "x.first_refusal"
// (found by argument-dependent lookup). Success is not a code: it is
// base::OkStatus(), the default Status.
//
// Names: "<domain>.<code>" in lower snake case, e.g. "crypto.bad_state",
// "flash.power_lost"; "ok" for success. CodeName(code) is a compile-time
// constant; base::StatusName<Codes...>(status) names a Status of any of the
// listed domains.
//
// Comparison: `status == crypto::Code::kBadState` is true when the domain
// and the code match (the argument is ignored); `status == other_status`
// compares all of it.
#ifndef LIBS_BASE_PUBLIC_BASE_STATUS_H_
#define LIBS_BASE_PUBLIC_BASE_STATUS_H_

#include <concepts>
#include <cstdint>
#include <string_view>
#include <type_traits>
#include <utility>

namespace base {

// Whose vocabulary a code belongs to. Values are stable (they appear in
// logs and counters); add new domains at the end.
enum class Domain : std::uint8_t {
  kNone = 0,       // ok
  kPool = 1,       // pool::Code
  kWorkspace = 2,  // workspace::Code
  kCrypto = 3,     // crypto::Code
  kKdf = 4,        // kdf::Code
  kCobs = 5,       // wire::CobsCode
  kHeader = 6,     // wire::HeaderCode
  kStore = 7,      // storage::StoreCode
  kFlash = 8,      // storage::FlashCode
  kArq = 9,        // arq::Code
};

// "pool", "workspace", "crypto", "kdf", "cobs", "header", "store", "flash",
// "arq"; "ok" for kNone.
constexpr std::string_view DomainName(Domain domain) {
  switch (domain) {
    case Domain::kNone:
      return "ok";
    case Domain::kPool:
      return "pool";
    case Domain::kWorkspace:
      return "workspace";
    case Domain::kCrypto:
      return "crypto";
    case Domain::kKdf:
      return "kdf";
    case Domain::kCobs:
      return "cobs";
    case Domain::kHeader:
      return "header";
    case Domain::kStore:
      return "store";
    case Domain::kFlash:
      return "flash";
    case Domain::kArq:
      return "arq";
  }
  return "unknown";
}

// An enum that a library has declared to be a status code (see above).
template <typename E>
concept StatusCode = std::is_enum_v<E> &&
    std::same_as<std::underlying_type_t<E>, std::uint8_t> && requires(E e) {
  { StatusDomain(e) } -> std::same_as<Domain>;
  { CodeName(e) } -> std::convertible_to<std::string_view>;
};

class Status {
 public:
  // Ok.
  constexpr Status() = default;

  // A refusal. Implicit, so that a function returning Status can
  // `return crypto::Code::kBadState;`.
  template <StatusCode E>
  constexpr Status(E code) : value_(Encode(code)) {}  // NOLINT: by design

  // A refusal with an argument (e.g. the exhausted size class).
  template <StatusCode E>
  constexpr Status(E code, std::uint8_t argument)
      : value_(Encode(code) | std::uint32_t{argument} << 16) {}

  constexpr bool ok() const { return value_ == 0; }
  constexpr Domain domain() const {
    return static_cast<Domain>((value_ >> 8) & 0xffu);
  }
  // The library's enumerator as a number (0 when ok).
  constexpr std::uint8_t code() const {
    return static_cast<std::uint8_t>(value_);
  }
  constexpr std::uint8_t argument() const {
    return static_cast<std::uint8_t>(value_ >> 16);
  }
  // Whether this is a refusal of E's domain.
  template <StatusCode E>
  constexpr bool Is() const {
    return domain() == StatusDomain(E{});
  }
  // The code as E's enumerator; meaningful only when Is<E>().
  template <StatusCode E>
  constexpr E As() const {
    return static_cast<E>(code());
  }
  // The whole word, for counters and traces.
  constexpr std::uint32_t raw() const { return value_; }

  // Branch-free choice for constant-time code: ok where `mask` is all ones,
  // this status where it is zero (other masks are not meaningful). A
  // verdict derived from secret data must not steer a branch.
  constexpr Status ClearedBy(std::uint32_t mask) const {
    Status status;
    status.value_ = value_ & ~mask;
    return status;
  }

  // Ok, built from a word the caller knows is 0 at run time (e.g. the status
  // register of an exclusive store that succeeded), so that a hot path
  // returns ok in the register already holding that zero instead of loading
  // a constant into r0. Fails safe: any other word gives a Status that is
  // not ok() (raw() == zero), never a false success.
  static constexpr Status OkFromZero(std::uint32_t zero) {
    Status status;
    status.value_ = zero;
    return status;
  }

  friend constexpr bool operator==(Status, Status) = default;
  template <StatusCode E>
  friend constexpr bool operator==(Status status, E code) {
    return (status.value_ & 0xffffu) == Encode(code);
  }

 private:
  template <StatusCode E>
  static constexpr std::uint32_t Encode(E code) {
    return std::uint32_t{static_cast<std::uint8_t>(StatusDomain(code))} << 8 |
           static_cast<std::uint8_t>(code);
  }

  std::uint32_t value_ = 0;
};

static_assert(sizeof(Status) == 4 && std::is_trivially_copyable_v<Status>);

constexpr Status OkStatus() { return Status(); }

// The name of a status whose domain is one of Codes: "ok", a code's
// CodeName, or "<domain>.unknown" for a domain not listed (or a code its
// library does not know).
template <StatusCode... Codes>
constexpr std::string_view StatusName(Status status) {
  if (status.ok()) return "ok";
  std::string_view name;
  const bool found =
      ((status.Is<Codes>() ? (name = CodeName(status.As<Codes>()), true)
                           : false) ||
       ...);
  if (found && !name.empty()) return name;
  switch (status.domain()) {
    case Domain::kNone:
      return "ok";
    case Domain::kPool:
      return "pool.unknown";
    case Domain::kWorkspace:
      return "workspace.unknown";
    case Domain::kCrypto:
      return "crypto.unknown";
    case Domain::kKdf:
      return "kdf.unknown";
    case Domain::kCobs:
      return "cobs.unknown";
    case Domain::kHeader:
      return "header.unknown";
    case Domain::kStore:
      return "store.unknown";
    case Domain::kFlash:
      return "flash.unknown";
    case Domain::kArq:
      return "arq.unknown";
  }
  return "unknown";
}

// A value or a refusal. T must be default-constructible (handles, ids and
// pointers are: their default is "empty"); the value is meaningful only
// when ok(). Constructing a Result from an ok Status is a caller bug: it
// reads as ok with a default T.
template <typename T>
class [[nodiscard]] Result {
 public:
  constexpr Result(T value) : value_(std::move(value)) {}  // NOLINT
  constexpr Result(Status status) : status_(status) {}     // NOLINT
  template <StatusCode E>
  constexpr Result(E code) : status_(code) {}  // NOLINT
  template <StatusCode E>
  constexpr Result(E code, std::uint8_t argument) : status_(code, argument) {}

  constexpr bool ok() const { return status_.ok(); }
  constexpr Status status() const { return status_; }

  constexpr T& value() & { return value_; }
  constexpr const T& value() const& { return value_; }
  constexpr T&& value() && { return std::move(value_); }
  constexpr T* operator->() { return &value_; }
  constexpr const T* operator->() const { return &value_; }
  constexpr T& operator*() & { return value_; }
  constexpr const T& operator*() const& { return value_; }

 private:
  T value_{};
  Status status_;
};

}  // namespace base

#endif  // LIBS_BASE_PUBLIC_BASE_STATUS_H_
