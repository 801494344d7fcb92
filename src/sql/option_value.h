// The values of statement options (COPY ... (FORMAT parquet, PARTITION_BY (a, b)), SET threads =
// 4): identifiers, literals and lists as written, read as text, numbers, flags or name lists,
// with errors that point at the value.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sql/ast.h"

namespace sluice::sql {

/// The option's value as text: an identifier (`FORMAT parquet`) or a literal as written; other
/// constant expressions are evaluated. `option` names it in errors.
std::string OptionText(const AstExpr& value, std::string_view option, std::string_view sql);

/// A whole number (ROW_GROUP_SIZE 100000, SET threads = 4); errors unless >= `min`.
int64_t OptionInteger(const AstExpr& value, std::string_view option, std::string_view sql,
                      int64_t min = 0);

/// A flag: null (the bare `HEADER`), true/false, on/off, 1/0.
bool OptionBool(const AstExpr* value, std::string_view option, std::string_view sql);

/// A list of names: `(a, b)`, `(a)` or `a`, as identifiers or strings.
std::vector<std::string> OptionNames(const AstExpr& value, std::string_view option,
                                     std::string_view sql);

}  // namespace sluice::sql
