// Host critical section: a process-wide recursive mutex.
#include <mutex>

#include "workspace/board_critical_section.h"

namespace workspace {
namespace {

std::recursive_mutex& Mutex() {
  static std::recursive_mutex mutex;
  return mutex;
}

thread_local unsigned depth = 0;

}  // namespace

std::uint32_t BoardCriticalSection::Enter() {
  Mutex().lock();
  ++depth;
  return 0;
}

void BoardCriticalSection::Leave(std::uint32_t) {
  --depth;
  Mutex().unlock();
}

BoardCriticalSection& SystemCriticalSection() {
  static constinit BoardCriticalSection section;
  return section;
}

unsigned BoardCriticalSection::DepthForTesting() { return depth; }

bool BoardCriticalSection::InterruptsMaskedForTesting() { return depth != 0; }

}  // namespace workspace
