// Renders one value of a column as text, the way users read it: ISO dates and timestamps,
// decimals with their scale, shortest round-trip floats, hex for binary, canonical UUIDs.
#pragma once

#include <cstdint>
#include <string>

#include "core/column.h"

namespace sluice {

/// Renders row `row` of `column`; the caller handles nulls (the result for a null is unspecified).
std::string FormatValue(const Column& column, int64_t row);

/// Shortest text that reads back as the same double (`std::to_chars`), `inf`/`-inf`/`nan`.
std::string FormatDouble(double value);

}  // namespace sluice
