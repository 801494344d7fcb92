// The LazyFrame API (DESIGN.md "Plans"): each call returns a new LazyFrame holding a bigger
// logical plan; nothing runs until collect() or a sink_*(). Names follow Polars, whose users are
// the ones this API is for.
//
// collect() and the sinks are defined by the executor (exec/lazy_frame_run.cpp): this header
// only declares them, so that plan/ does not include exec/.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/data_frame.h"
#include "expr/expr.h"
#include "plan/logical_plan.h"
#include "plan/plan_profile.h"

namespace sluice {

struct ParquetScanArgs {
  ScanSource::Hive hive = ScanSource::Hive::kAuto;  ///< Hive `key=value` folders as columns.
  bool union_by_name = false;
};

/// How a run executes (the CLI's global options set these).
struct RunOptions {
  int threads = 0;                                            ///< 0: the default pool.
  MemoryPool* pool = nullptr;                                 ///< null: the default pool.
  std::function<void(int64_t done, int64_t total)> progress;  ///< Rows read of total, if known.
  PlanProfile* profile = nullptr;  ///< When set, rows and time per plan node (EXPLAIN ANALYZE).
};

class LazyFrame;

class GroupBy {
 public:
  GroupBy(PlanPtr input, std::vector<Expr> keys)
      : input_(std::move(input)), keys_(std::move(keys)) {}
  /// One row per distinct key; each expression may combine aggregates
  /// (`(col("a").sum() / col("b").sum()).alias("ratio")`).
  LazyFrame agg(std::vector<Expr> aggregates) const;

 private:
  PlanPtr input_;
  std::vector<Expr> keys_;
};

class LazyFrame {
 public:
  explicit LazyFrame(PlanPtr plan) : plan_(std::move(plan)) {}

  const PlanPtr& plan() const { return plan_; }
  const Schema& schema() const { return *plan_->schema; }

  LazyFrame filter(Expr predicate) const;
  /// The given columns only, in order (aggregates here reduce the whole frame to one row).
  LazyFrame select(std::vector<Expr> exprs) const;
  LazyFrame select(const std::vector<std::string>& names) const;
  LazyFrame select(std::initializer_list<std::string> names) const {
    return select(std::vector<std::string>(names));
  }
  /// Adds columns, or replaces those of the same name in place.
  LazyFrame with_columns(std::vector<Expr> exprs) const;
  GroupBy group_by(std::vector<Expr> keys) const;
  GroupBy group_by(const std::vector<std::string>& keys) const;
  /// `group_by({"country", "tier"})`: a braced list of names would otherwise be ambiguous.
  GroupBy group_by(std::initializer_list<std::string> keys) const {
    return group_by(std::vector<std::string>(keys));
  }

  LazyFrame join(const LazyFrame& other, std::vector<Expr> left_on, std::vector<Expr> right_on,
                 JoinType how = JoinType::kInner, std::string suffix = "_right") const;
  /// Keys of the same names on both sides.
  LazyFrame join(const LazyFrame& other, const std::vector<std::string>& on,
                 JoinType how = JoinType::kInner, std::string suffix = "_right") const;
  LazyFrame cross_join(const LazyFrame& other, std::string suffix = "_right") const;

  LazyFrame sort(std::vector<SortKey> keys) const;
  LazyFrame sort(const std::vector<std::string>& by,
                 const std::vector<bool>& descending = {}) const;
  LazyFrame head(int64_t n = 5) const { return slice(0, n); }
  LazyFrame limit(int64_t n) const { return slice(0, n); }
  LazyFrame slice(int64_t offset, int64_t length) const;
  /// Distinct rows over `subset` (all columns when empty), first occurrence kept, order kept.
  LazyFrame unique(std::vector<std::string> subset = {}) const;
  LazyFrame rename(const std::vector<std::pair<std::string, std::string>>& from_to) const;
  LazyFrame drop(const std::vector<std::string>& names) const;
  /// Appends one column per window expression (`row_number() OVER (PARTITION BY g ORDER BY t)`,
  /// `sum(x) OVER (...)`); rows keep their order.
  LazyFrame window(std::vector<WindowExpr> windows) const;

  /// The plan as an indented tree; `optimized` shows it before and after the optimizer's passes,
  /// the latter with the predicates pushed into scans, the columns read and the row groups
  /// skipped.
  std::string explain(bool optimized = true) const;

  /// Runs the plan and returns every row (in a deterministic order; see exec/).
  DataFrame collect(const RunOptions& options = {}) const;
  /// Runs the plan and counts its rows, holding none of them (EXPLAIN ANALYZE: a result larger
  /// than memory would not fit a collect).
  int64_t count_rows(const RunOptions& options = {}) const;
  /// Runs the plan and writes it to a Parquet / CSV file, atomically, streaming.
  void sink_parquet(const std::string& path, io::parquet::WriterOptions options = {},
                    const RunOptions& run = {}) const;
  void sink_csv(const std::string& path, io::csv::CsvWriteOptions options = {},
                const RunOptions& run = {}) const;
  /// Runs the plan into any sink target: Parquet or CSV, one file or, with
  /// `target.partition_by`, a folder of hive partitions (exec/partitioned_sink.h). Returns the
  /// number of rows written.
  int64_t sink(SinkTarget target, const RunOptions& run = {}) const;

 private:
  PlanPtr plan_;
};

LazyFrame scan_parquet(const std::string& path, ParquetScanArgs args = {});
LazyFrame scan_csv(const std::string& path, io::csv::CsvReadOptions options = {});
/// Rows of several frames with the same column names and types, one after another.
LazyFrame concat(const std::vector<LazyFrame>& frames);

}  // namespace sluice
