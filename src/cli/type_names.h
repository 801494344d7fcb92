// Reads type names as users type them on the command line (`--types price=decimal(15,2)`): the
// names DataType::ToString prints, so that what `sluice schema` shows can be pasted back, plus
// a few SQL spellings (string, double, date, timestamp).
#pragma once

#include <string_view>

#include "core/types.h"

namespace sluice::cli {

/// Parses `int64`, `decimal(15,2)`, `timestamp[us, UTC]`, ... Spaces and case do not matter.
/// Throws UsageError naming the text, with the closest known name when one is close.
DataType ParseTypeName(std::string_view text);

}  // namespace sluice::cli
