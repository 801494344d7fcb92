// The public C++ API of sluice. Today it is the error family and the version; the lazy query
// API (LazyFrame, expressions, collect, sinks) joins it with the query engine. Nothing here
// includes a header from src/: embedders see only include/sluice/.
#pragma once

#include <sluice/error.h>

#include <string_view>

namespace sluice {

/// The version of the library, as `sluice --version` prints it and files record in created_by.
std::string_view Version();

}  // namespace sluice
