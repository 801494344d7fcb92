// Running a pipeline's data tests (dbt-style: not_null, unique, accepted_values, row_count,
// relationships, expect_empty) as SQL through sluice's own session, against the sources and
// models its catalog holds. Each test is one query that makes one pass over the relation and
// returns how many things break it plus the first few, in a deterministic order, for the summary.
//
// Semantics worth knowing:
//  - unique follows SQL GROUP BY: nulls group together, so two rows whose keys are both NULL (or
//    equal apart from NULLs in the same places) are duplicates ("nulls are values").
//  - accepted_values and relationships ignore nulls in the tested column (not_null checks those);
//    relationships uses an anti join (NOT EXISTS), so a NULL in the target column does not make
//    every key "missing" as `NOT IN` would.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "pipeline/pipeline_spec.h"
#include "sql/session.h"

namespace sluice::pipeline {

struct DataTestResult {
  std::string relation;  ///< The model or source tested.
  std::string label;     ///< DataTestSpec::label.
  bool passed = false;
  /// What breaks it: null rows (not_null), duplicated keys (unique), rows with values not
  /// accepted (accepted_values), distinct missing keys (relationships), rows (expect_empty); for
  /// row_count the actual row count, passed or not.
  int64_t failing_rows = 0;
  /// For a summary line; empty when passed, except row_count ("12 rows"). E.g. "3 null values",
  /// "2 duplicated keys, e.g. (7), (9)", "values not accepted: 'x' (4 rows), 'y' (1 row)",
  /// "12 rows, expected at least 20", "5 user_id values not in users.user_id, e.g. 17, 23",
  /// "3 rows, e.g. (1, 'a'), (2, NULL), (3, 'c')". Values print as SQL literals.
  std::string detail;
  FilePos pos;
};

/// The SQL that finds what breaks `test` on `relation` (a name the session's catalog knows).
/// Identifiers are double-quoted. The query returns a column "__failing" (the count) and, for
/// the kinds with examples, up to 3 example rows (none when nothing fails). For expect_empty it
/// counts the rows of the test's query (RunDataTest fetches the examples separately, only when
/// there are some).
std::string DataTestSql(const DataTestSpec& test, const std::string& relation);

/// Binds the test's query without running it (the pipeline validates everything before a run):
/// throws an invalid-input error "test not_null(categry) of model net_revenue (pipeline.toml line
/// 14): column "categry" not found; did you mean "category"?" — the binder's message (without
/// the position inside the generated SQL; an expect_empty query keeps its own position and caret)
/// prefixed with which test of which relation and its place. `file` names the pipeline file;
/// `relation_kind` is "model" or "source".
void CheckDataTest(sql::Session& session, const std::string& relation, const DataTestSpec& test,
                   const std::string& file, std::string_view relation_kind = "model");

/// Runs it. Never throws for a failing test (that is a result); throws for errors (I/O, a bad
/// expect_empty query), with the same "test ... of model ... (file line N): " prefix as
/// CheckDataTest (the file is left out when empty).
DataTestResult RunDataTest(sql::Session& session, const std::string& relation,
                           const DataTestSpec& test, const std::string& file = {},
                           std::string_view relation_kind = "model");

}  // namespace sluice::pipeline
