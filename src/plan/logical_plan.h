// Logical plan nodes (DESIGN.md "Plans"): what a query computes, not how. The LazyFrame API, SQL
// and pipeline files all build these; the optimizer rewrites them; the executor runs them.
//
// Nodes are immutable and shared: a rewrite builds new nodes and reuses untouched subtrees. Every
// node knows its output schema, computed when it is made (MakeXxx), so type errors surface while
// the query is built, naming the expression.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/data_frame.h"
#include "core/scalar.h"
#include "core/schema.h"
#include "expr/expr.h"
#include "io/csv/read_options.h"
#include "io/csv/writer.h"
#include "io/parquet/writer/writer_options.h"

namespace sluice {

enum class PlanKind : uint8_t {
  kScan,
  kFilter,
  kProject,
  kAggregate,
  kJoin,
  kSort,
  kLimit,
  kUnion,
  kDistinct,
  kSink,
  kWindow,
};

enum class JoinType : uint8_t { kInner, kLeft, kRight, kFull, kSemi, kAnti, kCross };
const char* JoinTypeName(JoinType type);

struct SortKey {
  Expr expr;
  bool descending = false;
  /// Nulls sort after every value when true. Default: nulls last ascending, first descending
  /// (as PostgreSQL and DuckDB: nulls compare larger than any value).
  std::optional<bool> nulls_last;
  bool NullsLast() const { return nulls_last.value_or(!descending); }
};

/// One bound of a window frame (SQL's ROWS/RANGE BETWEEN start AND end).
struct WindowBound {
  enum class Kind : uint8_t {
    kUnboundedPreceding,
    kPreceding,  ///< `offset` rows (ROWS) or values of the order key (RANGE) before.
    kCurrentRow,
    kFollowing,
    kUnboundedFollowing,
  } kind = Kind::kCurrentRow;
  Scalar offset;  ///< kPreceding / kFollowing: a non-negative number (or duration for RANGE).
};

struct WindowFrame {
  enum class Units : uint8_t { kRows, kRange } units = Units::kRange;
  WindowBound start{WindowBound::Kind::kUnboundedPreceding, {}};
  WindowBound end{WindowBound::Kind::kCurrentRow, {}};
};

/// One window function: `function(args) OVER (PARTITION BY ... ORDER BY ... frame)`.
/// Functions: row_number, rank, dense_rank, percent_rank, cume_dist, ntile(n), lag/lead(x
/// [, offset [, default]]), first_value, last_value, nth_value(x, n), and every aggregate of the
/// registry (sum, count, count(*) as "count_star" with no args, mean, min, max, ...) over the
/// frame. Without ORDER BY the frame is the whole partition; with it and no explicit frame, RANGE
/// BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW (peers included), as SQL says.
struct WindowExpr {
  std::string function;
  std::vector<Expr> args;  ///< Expressions over the input.
  bool distinct = false;   ///< count(DISTINCT x) OVER (...)
  std::vector<Expr> partition_by;
  std::vector<SortKey> order_by;
  std::optional<WindowFrame> frame;  ///< Unset: the default above.
  std::string name;                  ///< The output column's name.
};

/// Where a scan reads from. Shared by every copy of the scan node the optimizer makes.
struct ScanSource {
  enum class Format : uint8_t { kParquet, kCsv, kMemory } format = Format::kParquet;
  std::string path;                ///< As given: a file, a glob or a folder.
  std::vector<std::string> files;  ///< Resolved, sorted.
  SchemaPtr file_schema;           ///< Every column the files offer (hive keys included).
  // Parquet.
  enum class Hive : uint8_t { kAuto, kOn, kOff } hive = Hive::kAuto;
  bool union_by_name = false;
  // CSV.
  io::csv::CsvReadOptions csv;
  // kMemory: rows already in memory (CREATE TABLE AS, VALUES); file_schema is their schema.
  std::shared_ptr<const DataFrame> data;
};

/// Where a sink writes to.
struct SinkTarget {
  enum class Format : uint8_t { kParquet, kCsv } format = Format::kParquet;
  std::string path;
  io::parquet::WriterOptions parquet;
  io::csv::CsvWriteOptions csv;
  /// Hive-style partitioned output: `path` is a folder holding `key=value/` folders (one level
  /// per column, in order) of data files; the partition columns are not written into the files.
  std::vector<std::string> partition_by;
};

struct LogicalPlan;
using PlanPtr = std::shared_ptr<const LogicalPlan>;

struct LogicalPlan {
  PlanKind kind = PlanKind::kScan;
  SchemaPtr schema;             ///< The output schema.
  std::vector<PlanPtr> inputs;  ///< One, or two for Join, or many for Union; none for Scan.

  // kScan: the source, the columns read (in output order; empty = all of file_schema), and the
  // predicates pushed into it (applied while scanning, and used to skip row groups).
  std::shared_ptr<const ScanSource> source;
  std::vector<std::string> columns;
  std::vector<Expr> filters;

  // kFilter
  Expr predicate;

  // kProject: the output columns, each named by Expr::OutputName.
  std::vector<Expr> exprs;

  // kAggregate: output = keys then aggregates. Each aggregate is a kAggregate expression
  // (maybe aliased) whose arguments are expressions over the input.
  std::vector<Expr> keys;
  std::vector<Expr> aggregates;

  // kJoin: output = left columns then right columns; right names that clash with a left name
  // get `suffix`. Semi and anti joins output the left columns only. With `coalesce_keys` (the
  // LazyFrame default, as Polars) a key pair of plain columns yields one column: the left key
  // (for right and full joins the first non-null of both) and the right key is dropped; SQL's ON
  // keeps both.
  JoinType join_type = JoinType::kInner;
  std::vector<Expr> left_on, right_on;
  std::string suffix = "_right";
  bool coalesce_keys = true;
  // A condition beyond the key equalities that a pair of rows must also meet to match (SQL ON's
  // other conjuncts, a correlated EXISTS's `l2.x <> l1.x`), over the columns of the left input
  // then the right input as an inner join with coalesce_keys = false would name them. Invalid
  // (null) for none. For semi/anti/outer joins it decides matches, so it cannot become a filter.
  Expr residual;

  // kSort: stable. With `limit`, only the first `limit` rows (top-k).
  std::vector<SortKey> sort_keys;
  std::optional<int64_t> limit;

  // kLimit: rows [offset, offset + count) of the input in order; count < 0 = all after offset.
  int64_t offset = 0;
  int64_t count = -1;

  // kDistinct: unique rows over `subset` columns (empty = all), keeping the first occurrence.
  std::vector<std::string> subset;

  // kSink
  std::shared_ptr<const SinkTarget> target;

  // kWindow: output = the input columns, then one column per window expression.
  std::vector<WindowExpr> windows;
};

// Constructors: each checks its arguments against the input schema and computes the output
// schema, throwing sluice::Error (invalid input) with the expression in the message.
PlanPtr MakeScan(std::shared_ptr<const ScanSource> source, std::vector<std::string> columns = {},
                 std::vector<Expr> filters = {});
PlanPtr MakeFilter(PlanPtr input, Expr predicate);
PlanPtr MakeProject(PlanPtr input, std::vector<Expr> exprs);
PlanPtr MakeAggregate(PlanPtr input, std::vector<Expr> keys, std::vector<Expr> aggregates);
PlanPtr MakeJoin(PlanPtr left, PlanPtr right, JoinType type, std::vector<Expr> left_on,
                 std::vector<Expr> right_on, std::string suffix = "_right",
                 bool coalesce_keys = true, Expr residual = {});
PlanPtr MakeSort(PlanPtr input, std::vector<SortKey> keys, std::optional<int64_t> limit = {});
PlanPtr MakeLimit(PlanPtr input, int64_t offset, int64_t count);
PlanPtr MakeUnion(std::vector<PlanPtr> inputs);
PlanPtr MakeDistinct(PlanPtr input, std::vector<std::string> subset = {});
PlanPtr MakeSink(PlanPtr input, std::shared_ptr<const SinkTarget> target);
PlanPtr MakeWindow(PlanPtr input, std::vector<WindowExpr> windows);
/// A scan of rows in memory (CREATE TABLE AS, VALUES).
PlanPtr MakeMemoryScan(std::shared_ptr<const DataFrame> data);

/// The columns a join's residual condition reads: the left input's, then the right input's, a
/// right name that clashes with an earlier one taking `suffix` (as an inner join with
/// coalesce_keys = false names them).
SchemaPtr JoinResidualSchema(const Schema& left, const Schema& right, const std::string& suffix);

/// Opens the files of a scan source (resolving globs, reading footers or sniffing CSV) and fills
/// `files` and `file_schema`.
std::shared_ptr<const ScanSource> OpenScanSource(ScanSource source);

/// A copy of `plan` with new inputs (the same kind and parameters), schema recomputed.
PlanPtr WithInputs(const PlanPtr& plan, std::vector<PlanPtr> inputs);

/// The output type and name of an aggregate expression over `input` (for MakeAggregate and
/// binders).
Field AggregateField(const Expr& aggregate, const Schema& input);

}  // namespace sluice
