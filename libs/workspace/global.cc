#include "workspace/global.h"

namespace workspace {
namespace {

// Static storage (.bss plus a constructor run at start-up, before main);
// never on a stack.
GlobalWorkspace instance;

}  // namespace

GlobalWorkspace& GlobalWorkspaceAccess::Instance() { return instance; }

}  // namespace workspace
