// The binder: a parsed query (sql/ast.h) to a logical plan (plan/logical_plan.h) against a
// catalog. It resolves names (tables, CTEs, views, files, qualified columns), types and
// functions; turns SQL's clauses into plan nodes (FROM/JOIN -> Scan/Join, WHERE -> Filter,
// GROUP BY/HAVING/aggregates -> Aggregate + Filter, windows -> Window, SELECT -> Project,
// DISTINCT, ORDER BY -> Sort, LIMIT/OFFSET -> Limit, set operations); and decorrelates
// subqueries into joins (IN/EXISTS -> semi/anti joins, scalar subqueries -> aggregate + join),
// never running anything per row. Errors point at the place in the SQL text.
#pragma once

#include <string_view>

#include "core/scalar.h"
#include "plan/logical_plan.h"
#include "sql/ast.h"
#include "sql/catalog.h"

namespace sluice::sql {

/// Binds `query`. `sql` is the text the query's positions point into (for error messages).
/// The plan's output columns are named as SQL names them (alias, column name, or the
/// expression's text as DuckDB prints it: `sum(revenue)`, `count_star()`).
PlanPtr BindQuery(const Query& query, const Catalog& catalog, std::string_view sql);

/// Evaluates a constant expression (LIMIT 10, SET threads = 4, COPY options) to a Scalar.
Scalar BindConstant(const AstExpr& expr, std::string_view sql);

}  // namespace sluice::sql
