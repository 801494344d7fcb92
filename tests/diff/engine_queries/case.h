// The cases of the engine's differential test (tests/diff/engine_differential.mjs): each is a
// query built with sluice's LazyFrame API and the DuckDB SQL that must give the same answer on
// the same data (tests/diff/engine_data.mjs makes it; the SQL reads the views events, users and
// small). The runner (runner.cpp) executes the LazyFrames and sinks their results to Parquet; the
// node script runs the SQL and compares.
//
// Conventions for writing cases:
//   - `ordered` only where the query sorts on keys that make the order unique (ties broken by
//     `id`), or where sluice documents the order (a scan keeps file and row order, so `head` of a
//     scan is the rows of smallest id; sort is stable). Everything else compares as a multiset.
//   - Output column names must be equal: alias sluice expressions and name SQL columns `AS`.
//   - Where sluice's semantics differ on purpose from DuckDB's defaults, the SQL is written to
//     match sluice, with a comment saying why.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "sluice/sluice.h"

namespace sluice::diff {

/// The test tables as scans.
class Tables {
 public:
  explicit Tables(std::string dir) : dir_(std::move(dir)) {}
  LazyFrame events() const;  ///< events/*.parquet: 120,000 rows in 3 files.
  LazyFrame users() const;   ///< users.parquet: 5,600 rows.
  LazyFrame small() const;   ///< small.parquet: 8 rows.

 private:
  std::string dir_;
};

using Builder = std::function<LazyFrame(const Tables&)>;

/// Column names for group_by, select, unique...: a braced list of two string literals alone is
/// ambiguous between the vector<Expr> and vector<std::string> overloads (vector<Expr>'s
/// iterator-pair constructor takes two `const char*`).
using Names = std::vector<std::string>;

struct Case {
  std::string name;
  Builder build;
  /// DuckDB SQL giving the expected answer. For an error case, SQL that DuckDB must reject too;
  /// empty when DuckDB accepts what sluice rejects on purpose (sluice-only error check).
  std::string sql;
  bool ordered = false;
  bool expect_error = false;
  /// A fragment the sluice error message must contain (case-insensitive), for error cases.
  std::string error_contains;
  /// Relative (and absolute) tolerance for floating-point values.
  double tolerance = 1e-9;
};

/// An expression of a row-wise case with the SQL that computes the same value.
struct Derived {
  Expr expr;
  std::string sql;
};

class CaseList {
 public:
  /// Adds a case; names must be unique and usable as file names.
  void Add(Case c);
  /// Adds a general case.
  void Query(std::string name, Builder build, std::string sql, bool ordered = false);
  /// Adds a row-wise case: events.select({id, e1 AS c1, e2 AS c2, ...}) against
  /// `SELECT id, sql1 AS c1, ... FROM events`.
  void Rows(std::string name, std::vector<Derived> columns);
  /// Like Rows over the rows where `where` is true (a sluice filter, a SQL WHERE).
  void RowsWhere(std::string name, Expr where, std::string where_sql, std::vector<Derived> columns);
  /// Adds a case that must fail in sluice (and in DuckDB when `sql` is not empty).
  void Error(std::string name, Builder build, std::string sql, std::string error_contains = "");
  /// Sets the tolerance of the last case added.
  void Tolerance(double tolerance);

  const std::vector<Case>& cases() const { return cases_; }

 private:
  std::vector<Case> cases_;
};

/// `SELECT id, ... FROM events` of a row-wise case, for Error cases written like Rows.
LazyFrame EventsRows(const Tables& t, std::vector<Expr> exprs);

// Each file adds its area's cases.
void AddArithmeticCases(CaseList& list);
void AddLogicCases(CaseList& list);  // comparisons, boolean logic, nulls, when, is_in, between
void AddCastCases(CaseList& list);
void AddStringCases(CaseList& list);
void AddTemporalCases(CaseList& list);
void AddMathCases(CaseList& list);
void AddAggregateCases(CaseList& list);
void AddJoinCases(CaseList& list);
void AddPushdownCases(CaseList& list);
void AddFrameCases(CaseList& list);  // sort, limit, slice, unique, concat, rename, drop

}  // namespace sluice::diff
