// The tables a query reads by name (`FROM events`, `JOIN users`, in subqueries and CTEs too), so
// that a pipeline can order its models by what each one uses before binding any of them.
#pragma once

#include <string>
#include <vector>

#include "sql/ast.h"

namespace sluice::sql {

struct TableNameRef {
  std::string name;  ///< As written (the last part of `schema.name`).
  SourcePos pos;     ///< Where it is written.
};

/// Every table name `query` reads, in the order they are written, each name once (compared
/// case-insensitively, as SQL names are). Names of the query's own CTEs, where in scope, are not
/// table names; files (`FROM 'x.parquet'`) and table functions are not either.
std::vector<TableNameRef> ReferencedTableNames(const Query& query);

}  // namespace sluice::sql
