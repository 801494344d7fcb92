// The statements of a SQL session that need more than a few lines (COPY, EXPLAIN), each in its
// own file; sql/session.cpp dispatches to them. Internal to sql/.
#pragma once

#include <string_view>

#include "plan/lazy_frame.h"
#include "sql/ast.h"
#include "sql/catalog.h"
#include "sql/session.h"

namespace sluice::sql {

/// The plan a statement's rows come from: its query bound against `catalog`, or for `COPY name
/// TO ...` the catalog entry `name`.
PlanPtr StatementPlan(const Statement& statement, std::string_view sql, const Catalog& catalog);

/// COPY (query) | name TO 'path' (options): writes the rows atomically; "COPY n rows".
StatementResult RunCopy(const Statement& statement, std::string_view sql, const Catalog& catalog,
                        const RunOptions& run);

/// EXPLAIN [ANALYZE] statement: the optimized plan; ANALYZE runs the query and adds its row count
/// and wall time.
StatementResult RunExplain(const Statement& statement, std::string_view sql, const Catalog& catalog,
                           const RunOptions& run);

}  // namespace sluice::sql
