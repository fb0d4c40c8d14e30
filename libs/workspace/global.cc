#include "workspace/global.h"

namespace workspace {
namespace {

// Static storage (.bss plus a constructor run at start-up, before main);
// never on a stack.
GlobalWorkspace instance;

constinit base::CriticalSection* installed_section = nullptr;

}  // namespace

void SetCryptoWorkspaceCriticalSection(base::CriticalSection& section) {
  installed_section = &section;
}

GlobalWorkspace& GlobalWorkspaceAccess::Instance() { return instance; }

base::CriticalSection& GlobalWorkspaceAccess::Section() {
  // Without a section the instance would be shared unguarded: refuse to
  // run rather than race.
  if (installed_section == nullptr) [[unlikely]]
    __builtin_trap();
  return *installed_section;
}

}  // namespace workspace
