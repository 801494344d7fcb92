// The library version.
#pragma once

#include <string_view>

namespace sluice {

/// The version of the library, as `sluice --version` prints it and files record in created_by.
std::string_view Version();

}  // namespace sluice
