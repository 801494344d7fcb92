// SQL type names (as written in CAST, `::`, typed literals and read_csv's `types`) to sluice's
// data types, with DuckDB's aliases: INTEGER/INT/INT4 = int32, FLOAT/REAL = float32, DECIMAL
// without parameters = decimal(18,3), VARCHAR(n) = utf8, INTERVAL = duration[us], ...
#pragma once

#include <string_view>

#include "core/types.h"
#include "sql/ast.h"

namespace sluice::sql {

/// The data type `type` names; throws a positioned error for unknown names or bad parameters.
DataType SqlType(const TypeName& type, std::string_view sql);
/// The same for a bare name ("BIGINT", "double precision"), without a position; throws invalid
/// input for unknown names.
DataType SqlTypeFromName(std::string_view name);

}  // namespace sluice::sql
