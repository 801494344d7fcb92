// EXPLAIN [ANALYZE]: the optimized plan tree (plan/explain.h). ANALYZE runs the query too, with
// the executor counting per plan node the rows it produced and the time its own operators took
// (summed over threads), and shows them beside each node, then the query's rows and wall time.
#include <chrono>

#include "core/error.h"
#include "plan/explain.h"
#include "plan/optimizer.h"
#include "sql/copy_options.h"
#include "sql/session_statements.h"
#include "sql/sql_error.h"

namespace sluice::sql {

namespace {

/// The plan EXPLAIN shows for the explained statement: a query's, a CREATE's query's, or COPY's
/// with its sink on top.
PlanPtr ExplainedPlan(const Statement& statement, std::string_view sql, const Catalog& catalog) {
  switch (statement.kind) {
    case StatementKind::kQuery:
    case StatementKind::kCreateView:
    case StatementKind::kCreateTable: return StatementPlan(statement, sql, catalog);
    case StatementKind::kCopy: {
      CopyRequest request = ParseCopyOptions(statement, sql);
      auto target = std::make_shared<SinkTarget>(std::move(request.target));
      return MakeSink(StatementPlan(statement, sql, catalog), std::move(target));
    }
    default:
      ThrowSqlError(sql, statement.pos,
                    "EXPLAIN shows queries, CREATE ... AS and COPY; this statement has no plan",
                    ErrorKind::kUnsupported);
  }
}

}  // namespace

StatementResult RunExplain(const Statement& statement, std::string_view sql, const Catalog& catalog,
                           const RunOptions& run) {
  SLUICE_CHECK(statement.explained != nullptr);
  const Statement& explained = *statement.explained;
  StatementResult result;
  result.kind = StatementResult::Kind::kPlan;
  PlanPtr plan = ExplainedPlan(explained, sql, catalog);
  result.text = ExplainPlan(Optimize(plan));
  if (!statement.analyze) return result;
  if (explained.kind != StatementKind::kQuery) {
    ThrowSqlError(sql, statement.pos, "EXPLAIN ANALYZE runs queries only", ErrorKind::kUnsupported);
  }
  PlanProfile profile;
  RunOptions profiled = run;
  profiled.profile = &profile;
  auto start = std::chrono::steady_clock::now();
  const int64_t count = LazyFrame(plan).count_rows(profiled);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.text = ExplainPlan(profile.executed, &profile);
  result.text += fmt::format(
      "\n{} row{} in {:.3f} s; per operator: the rows it produced and the time of its own work, "
      "summed over threads\n",
      count, count == 1 ? "" : "s", seconds);
  return result;
}

}  // namespace sluice::sql
