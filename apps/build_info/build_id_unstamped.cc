#include "apps/build_info/build_info.h"

namespace build_info {

std::string_view BuildId() { return "unstamped"; }

}  // namespace build_info
