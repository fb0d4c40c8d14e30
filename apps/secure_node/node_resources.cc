#include "apps/secure_node/node_resources.h"

namespace secure_node {

workspace::WorkspaceConfig NodeWorkspaceConfig(const base::Clock& clock) {
  workspace::WorkspaceConfig config;
  config.clock = &clock;
  config.violation_threshold = kViolationThreshold;
  config.authentication_failures_are_violations = false;
  // Sequence numbers are 32-bit per peer and epoch; the workspace's own
  // message budget per key is the SP 800-38D default (2^32), and keys are
  // rotated by epoch (ROTATE), so the age limit is the default day.
  return config;
}

}  // namespace secure_node
