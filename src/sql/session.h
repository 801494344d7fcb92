// A SQL session: runs statements in order against one catalog (DESIGN.md "sql/"). `sluice
// query`, `sluice explain` and pipelines drive it. Queries return their rows; CREATE VIEW binds
// and stores a plan; CREATE TABLE AS runs its query and keeps the rows in memory; COPY runs its
// query into a file (or hive-partitioned folder) atomically; EXPLAIN returns the plan; SET
// changes threads or the memory limit.
//
// Running goes through LazyFrame::collect / sink_* (declared in plan/, defined in exec/), so this
// layer does not include exec/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/data_frame.h"
#include "plan/lazy_frame.h"
#include "sql/ast.h"
#include "sql/catalog.h"

namespace sluice::sql {

struct StatementResult {
  enum class Kind : uint8_t {
    kRows,     ///< A query's rows.
    kPlan,     ///< EXPLAIN's text.
    kMessage,  ///< What a statement did: "CREATE VIEW revenue", "COPY 1234 rows".
  } kind = Kind::kMessage;
  DataFrame rows;
  std::string text;
  /// COPY: the rows written; CREATE TABLE: the rows stored; 0 otherwise.
  int64_t row_count = 0;
};

class Session {
 public:
  explicit Session(RunOptions run = {});

  /// Parses and runs every statement of `sql` in order; one result per statement. Stops at the
  /// first error (throwing it); statements before it have taken effect.
  std::vector<StatementResult> Execute(std::string_view sql);

  /// The logical plan of a single query (not optimized), for `sluice explain` and tests.
  PlanPtr PlanQuery(std::string_view sql);

  /// Runs one statement parsed from `sql` (whose text its positions point into), so that a
  /// command can print each result before the next statement runs (and fails, perhaps).
  StatementResult ExecuteStatement(const Statement& statement, std::string_view sql);
  /// Binds one parsed query of `sql` against the catalog (not optimized), for `sluice explain
  /// --verbose`, which shows the plan before the optimizer's passes.
  PlanPtr Bind(const Query& query, std::string_view sql) const;

  Catalog& catalog() { return catalog_; }
  RunOptions& run_options() { return run_; }

 private:
  StatementResult Run(const Statement& statement, std::string_view sql);

  Catalog catalog_;
  RunOptions run_;
};

}  // namespace sluice::sql
