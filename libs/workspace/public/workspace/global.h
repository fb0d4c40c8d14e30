// The device's one global workspace, reachable only inside a critical
// section - the successor of the original with_crypto_workspace(f).
//
//   // Once, at start-up: the caller says how exclusion is achieved (o1heap
//   // style), and hands in its clock with the configuration.
//   workspace::SetCryptoWorkspaceCriticalSection(
//       workspace::SystemCriticalSection());
//   workspace::WorkspaceConfig config;
//   config.clock = &board::SystemBoardClock();
//   workspace::WithCryptoWorkspace([&](workspace::GlobalWorkspace& ws) {
//     return ws.Reprovision(config);
//   });
//   auto sealed = workspace::WithCryptoWorkspace(
//       [&](workspace::GlobalWorkspace& ws) {
//         return ws.Encrypt(session, aad, message);
//       });
//
// fn runs with the installed base::CriticalSection held (on the boards,
// workspace::BoardCriticalSection: interrupts masked and the cross-core
// spinlock on Cortex-R, a recursive mutex on the host) and its result is
// returned. Calls may nest if the section does. Keep fn short: on the
// boards it runs with interrupts masked. Calling WithCryptoWorkspace before
// a section is installed is a start-up bug and traps.
//
// Leases (lease.h) of the global workspace must be released inside a
// WithCryptoWorkspace call - the one that produced them or a later one -
// because releasing touches the workspace.
//
// The instance starts wiped and locked out (the default WorkspaceConfig
// has no clock): the first call Reprovision(config)s it with the caller's
// clock.
#ifndef LIBS_WORKSPACE_PUBLIC_WORKSPACE_GLOBAL_H_
#define LIBS_WORKSPACE_PUBLIC_WORKSPACE_GLOBAL_H_

#include <functional>
#include <utility>

#include "base/critical_section.h"
#include "workspace/presets.h"

namespace workspace {

// The preset of the global instance. Small fits every board comfortably;
// change this alias to resize the device's workspace.
using GlobalWorkspace = SmallWorkspace;

// Installs the section that guards the instance; it must outlive every
// WithCryptoWorkspace call. Install it once, before the first call.
void SetCryptoWorkspaceCriticalSection(base::CriticalSection& section);

template <typename Fn>
decltype(auto) WithCryptoWorkspace(Fn&& fn);

// Holds the only path to the instance; nothing but WithCryptoWorkspace can
// name it.
class GlobalWorkspaceAccess {
 private:
  template <typename Fn>
  friend decltype(auto) WithCryptoWorkspace(Fn&& fn);
  static GlobalWorkspace& Instance();
  // The installed section; traps if there is none.
  static base::CriticalSection& Section();
};

template <typename Fn>
decltype(auto) WithCryptoWorkspace(Fn&& fn) {
  base::CriticalSectionGuard<> guard(GlobalWorkspaceAccess::Section());
  return std::invoke(std::forward<Fn>(fn), GlobalWorkspaceAccess::Instance());
}

}  // namespace workspace

#endif  // LIBS_WORKSPACE_PUBLIC_WORKSPACE_GLOBAL_H_
