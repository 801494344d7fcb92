// Errors that point into SQL text: "line 3, column 14: column "revnue" not found; did you mean
// "revenue"?" followed by the line and a caret under the place, as PostgreSQL and DuckDB show.
// The parser and the binder both report through these.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"
#include "sql/ast.h"

namespace sluice::sql {

/// The message with its place: `line L, column C: message`, then the source line and a caret.
std::string FormatSqlError(std::string_view sql, SourcePos pos, std::string_view message);

/// Throws sluice::Error of `kind` with FormatSqlError's text.
[[noreturn]] void ThrowSqlError(std::string_view sql, SourcePos pos, std::string_view message,
                                ErrorKind kind = ErrorKind::kInvalidInput);

}  // namespace sluice::sql
