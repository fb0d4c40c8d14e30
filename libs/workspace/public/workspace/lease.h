// RAII leases on workspace buffers.
//
// A lease is the only way to reach a buffer's bytes. While it lives, its
// buffer is locked (no other request can get it); when it is released -
// explicitly with Release(), by destruction, or by moving another lease into
// it - the bytes it may have dirtied are securely wiped and the buffer is
// unlocked. So outside a lease every buffer is all zero (the workspace's
// wipe invariant, checked by the tests).
//
// Leases carry the buffer's epoch: a lockout or re-provisioning wipes every
// buffer and advances every epoch, which turns outstanding leases stale.
// A stale lease shows no bytes (empty spans) and releasing it does nothing,
// so it can neither read nor unlock a buffer that someone else now owns.
//
// A lease must not outlive its workspace. Leases of the global workspace
// must be released inside WithCryptoWorkspace (global.h), as the release
// touches shared state.
#ifndef LIBS_WORKSPACE_PUBLIC_WORKSPACE_LEASE_H_
#define LIBS_WORKSPACE_PUBLIC_WORKSPACE_LEASE_H_

#include <cstddef>
#include <cstdint>
#include <span>

#include "workspace/nonce.h"

namespace workspace {

// The five buffers of every workspace: two inputs and two outputs, so one
// message can be staged or handed to a transmitter while the next one is
// processed, and a scratch buffer for the caller's own secret work.
enum class BufferId : std::uint8_t {
  kInput0 = 0,
  kInput1,
  kOutput0,
  kOutput1,
  kScratch,
};
inline constexpr std::size_t kBufferCount = 5;

const char* BufferName(BufferId id);

class WorkspaceCore;

namespace internal {

// What a lease needs from its workspace.
class LeaseOwner {
 public:
  // Wipes and unlocks the buffer if the lease is still current.
  virtual void ReleaseLease(BufferId id, std::uint32_t epoch) = 0;
  virtual bool LeaseIsCurrent(BufferId id, std::uint32_t epoch) const = 0;

 protected:
  ~LeaseOwner() = default;
};

class LeaseBase {
 public:
  LeaseBase(const LeaseBase&) = delete;
  LeaseBase& operator=(const LeaseBase&) = delete;
  LeaseBase(LeaseBase&& other) noexcept { TakeFrom(other); }
  LeaseBase& operator=(LeaseBase&& other) noexcept {
    if (this != &other) {
      Release();
      TakeFrom(other);
    }
    return *this;
  }
  ~LeaseBase() { Release(); }

  // Wipes and unlocks the buffer now; the lease becomes empty. Idempotent.
  void Release() {
    if (owner_ != nullptr) owner_->ReleaseLease(id_, epoch_);
    owner_ = nullptr;
    data_ = nullptr;
  }

  // Holds a buffer that has not been released or invalidated.
  bool valid() const {
    return owner_ != nullptr && owner_->LeaseIsCurrent(id_, epoch_);
  }
  BufferId id() const { return id_; }

 protected:
  LeaseBase() = default;
  LeaseBase(LeaseOwner* owner, BufferId id, std::uint32_t epoch,
            std::uint8_t* data, std::size_t capacity)
      : owner_(owner),
        data_(data),
        capacity_(capacity),
        epoch_(epoch),
        id_(id) {}

  // The bytes [0, size) if the lease is valid, else an empty span.
  std::span<std::uint8_t> View(std::size_t size) const {
    if (!valid()) return {};
    return {data_, size <= capacity_ ? size : capacity_};
  }
  std::size_t capacity() const { return capacity_; }
  bool OwnedBy(const LeaseOwner* owner) const { return owner_ == owner; }

 private:
  void TakeFrom(LeaseBase& other) {
    owner_ = other.owner_;
    data_ = other.data_;
    capacity_ = other.capacity_;
    epoch_ = other.epoch_;
    id_ = other.id_;
    other.owner_ = nullptr;
    other.data_ = nullptr;
  }

  LeaseOwner* owner_ = nullptr;
  std::uint8_t* data_ = nullptr;
  std::size_t capacity_ = 0;
  std::uint32_t epoch_ = 0;
  BufferId id_ = BufferId::kInput0;
};

}  // namespace internal

// An input buffer to fill with a message (plaintext to encrypt, or
// ciphertext || tag to decrypt) before Encrypt / Decrypt consumes it.
class InputLease : public internal::LeaseBase {
 public:
  InputLease() = default;
  // The whole buffer, writable.
  std::span<std::uint8_t> buffer() const { return View(capacity()); }

 private:
  friend class WorkspaceCore;
  using LeaseBase::LeaseBase;
};

// The scratch buffer, for the caller's own secret intermediate data; wiped
// on release like every other buffer.
class ScratchLease : public internal::LeaseBase {
 public:
  ScratchLease() = default;
  std::span<std::uint8_t> buffer() const { return View(capacity()); }

 private:
  friend class WorkspaceCore;
  using LeaseBase::LeaseBase;
};

// The result of Encrypt (ciphertext followed by its 16-byte tag, and the
// nonce used) or of a successful Decrypt (plaintext, no tag). Read-only.
class OutputLease : public internal::LeaseBase {
 public:
  OutputLease() = default;
  OutputLease(OutputLease&&) noexcept = default;
  OutputLease& operator=(OutputLease&&) noexcept = default;

  // text() then tag(): what goes on the wire after the nonce.
  std::span<const std::uint8_t> bytes() const {
    return View(text_bytes_ + tag_bytes_);
  }
  // Ciphertext (after Encrypt) or plaintext (after Decrypt).
  std::span<const std::uint8_t> text() const { return View(text_bytes_); }
  // The tag after Encrypt; empty after Decrypt.
  std::span<const std::uint8_t> tag() const {
    return bytes().subspan(text().size());
  }
  // The nonce the message was encrypted under. Not secret: it travels with
  // the message and stays readable after release.
  const Nonce& nonce() const { return nonce_; }

 private:
  friend class WorkspaceCore;
  OutputLease(internal::LeaseOwner* owner, BufferId id, std::uint32_t epoch,
              std::uint8_t* data, std::size_t capacity, std::size_t text_bytes,
              std::size_t tag_bytes, const Nonce& nonce)
      : LeaseBase(owner, id, epoch, data, capacity),
        text_bytes_(text_bytes),
        tag_bytes_(tag_bytes),
        nonce_(nonce) {}

  std::size_t text_bytes_ = 0;
  std::size_t tag_bytes_ = 0;
  Nonce nonce_{};
};

}  // namespace workspace

#endif  // LIBS_WORKSPACE_PUBLIC_WORKSPACE_LEASE_H_
