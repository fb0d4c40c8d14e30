// Host critical section: a process-wide recursive mutex.
#include <mutex>

#include "workspace/critical_section.h"

namespace workspace {
namespace {

std::recursive_mutex& Mutex() {
  static std::recursive_mutex mutex;
  return mutex;
}

thread_local unsigned depth = 0;

}  // namespace

CriticalSection::CriticalSection() : saved_state_(0) {
  Mutex().lock();
  ++depth;
}

CriticalSection::~CriticalSection() {
  --depth;
  Mutex().unlock();
}

unsigned CriticalSection::DepthForTesting() { return depth; }

bool CriticalSection::InterruptsMaskedForTesting() { return depth != 0; }

}  // namespace workspace
