// The library version, from the build (CMake's project version).
#include <sluice/version.h>

namespace sluice {

std::string_view Version() { return SLUICE_VERSION; }

}  // namespace sluice
