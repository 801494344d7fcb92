// The SQL parser: text to syntax trees (sql/ast.h), for the dialect DuckDB and PostgreSQL users
// write. A hand-written recursive-descent parser with precedence climbing for expressions; every
// error names the line and column and shows a caret (sql/sql_error.h).
#pragma once

#include <string_view>
#include <vector>

#include "sql/ast.h"

namespace sluice::sql {

/// Parses `;`-separated statements (empty statements are skipped). Throws sluice::Error
/// (invalid input) at the first syntax error: `line 2, column 8: expected FROM, found "FORM"`.
std::vector<Statement> ParseSql(std::string_view sql);

/// Parses one expression, the whole text (for tests and pipeline data tests).
AstExprPtr ParseSqlExpression(std::string_view sql);

}  // namespace sluice::sql
