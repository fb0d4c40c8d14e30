// The device's one global workspace, reachable only inside a critical
// section - the successor of the original with_crypto_workspace(f).
//
//   auto sealed =
//   workspace::WithCryptoWorkspace([&](workspace::GlobalWorkspace& ws) {
//     return ws.Encrypt(session, aad, message);
//   });
//
// fn runs with the CriticalSection held (critical_section.h: interrupts
// masked and the cross-core spinlock on Cortex-R, a recursive mutex on the
// host) and its result is returned. Calls may nest. Keep fn short: on the
// boards it runs with interrupts masked.
//
// Leases (lease.h) of the global workspace must be released inside a
// WithCryptoWorkspace call - the one that produced them or a later one -
// because releasing touches the workspace.
//
// The instance starts provisioned with the default WorkspaceConfig (board
// clock, default rotation policy); call Reprovision(config) inside the
// accessor to change it.
#ifndef LIBS_WORKSPACE_PUBLIC_WORKSPACE_GLOBAL_H_
#define LIBS_WORKSPACE_PUBLIC_WORKSPACE_GLOBAL_H_

#include <functional>
#include <utility>

#include "workspace/critical_section.h"
#include "workspace/presets.h"

namespace workspace {

// The preset of the global instance. Small fits every board comfortably;
// change this alias to resize the device's workspace.
using GlobalWorkspace = SmallWorkspace;

template <typename Fn>
decltype(auto) WithCryptoWorkspace(Fn&& fn);

// Holds the only path to the instance; nothing but WithCryptoWorkspace can
// name it.
class GlobalWorkspaceAccess {
 private:
  template <typename Fn>
  friend decltype(auto) WithCryptoWorkspace(Fn&& fn);
  static GlobalWorkspace& Instance();
};

template <typename Fn>
decltype(auto) WithCryptoWorkspace(Fn&& fn) {
  CriticalSection critical_section;
  return std::invoke(std::forward<Fn>(fn), GlobalWorkspaceAccess::Instance());
}

}  // namespace workspace

#endif  // LIBS_WORKSPACE_PUBLIC_WORKSPACE_GLOBAL_H_
