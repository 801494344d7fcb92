// Expression trees: what a query computes per row (`revenue * 0.8`, `upper(region)`) or per group
// (`sum(net_revenue)`). An Expr is an immutable, cheaply copied handle on a shared node; it names
// columns and functions but knows no schema. Binding (expr/bind.h) resolves names and types
// against a schema; evaluation (expr/evaluate.h) runs the bound tree over a batch.
//
// Every function, operator included, is a kCall node naming an entry of the function registry
// (expr/function_registry.h) by its canonical name: `revenue * 0.8` is call("multiply", ...).
// That keeps the optimizer and the printers small: they see one node kind for all functions.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/scalar.h"
#include "core/types.h"

namespace sluice {

enum class ExprKind : uint8_t {
  kColumn,     ///< A column of the input, by name.
  kLiteral,    ///< A constant (possibly a typed null).
  kAlias,      ///< args[0] under a new output name.
  kCast,       ///< args[0] converted to `type`; `try_cast` gives null instead of an error.
  kCall,       ///< A scalar function of the registry applied to args.
  kAggregate,  ///< An aggregate function (sum, count, ...) of args, per group.
};

struct ExprNode;
using ExprNodePtr = std::shared_ptr<const ExprNode>;

struct ExprNode {
  ExprKind kind = ExprKind::kColumn;
  /// kColumn: the column; kAlias: the new name; kCall/kAggregate: the function's canonical name.
  std::string name;
  Scalar literal;        ///< kLiteral.
  DataType type;         ///< kCast: the target type.
  bool try_cast = false; ///< kCast.
  bool distinct = false; ///< kAggregate: over distinct values (count(DISTINCT x)).
  std::vector<ExprNodePtr> args;
};

class Expr {
 public:
  Expr() = default;
  explicit Expr(ExprNodePtr node) : node_(std::move(node)) {}

  const ExprNode& node() const { return *node_; }
  const ExprNodePtr& ptr() const { return node_; }
  bool valid() const { return node_ != nullptr; }
  ExprKind kind() const { return node_->kind; }
  /// The i-th argument as an Expr.
  Expr arg(size_t i) const { return Expr(node_->args[i]); }

  /// The name of the column this expression produces: the alias, the column name, or the name
  /// of the leftmost column it reads (as Polars names `col("a") * 2` "a"); "literal" for a
  /// constant, and `count` for count(*).
  std::string OutputName() const;
  /// Renders the expression as users write it, for plans and error messages:
  /// `(revenue * 0.8) AS net_revenue`, `sum(net_revenue)`, `CAST(user_id AS utf8)`.
  std::string ToString() const;

  // Naming and conversion.
  Expr alias(std::string name) const;
  Expr cast(DataType type) const;
  Expr try_cast(DataType type) const;

  // Nulls and sets.
  Expr is_null() const;
  Expr is_not_null() const;
  Expr fill_null(Expr value) const;
  Expr is_in(std::vector<Expr> values) const;
  Expr between(Expr low, Expr high) const;

  // Math.
  Expr abs() const;
  Expr round(int digits = 0) const;
  Expr floor() const;
  Expr ceil() const;
  Expr sqrt() const;
  Expr ln() const;
  Expr log10() const;
  Expr exp() const;
  Expr pow(Expr exponent) const;
  Expr sign() const;
  Expr hash() const;

  // Aggregates (per group after group_by, else over all rows).
  Expr sum() const;
  Expr mean() const;
  Expr min() const;
  Expr max() const;
  Expr count() const;  ///< Non-null values.
  Expr first() const;
  Expr last() const;
  Expr n_unique() const;
  Expr std(int ddof = 1) const;
  Expr var(int ddof = 1) const;
  Expr median() const;
  Expr quantile(double q) const;  ///< Exact, linear interpolation between the closest ranks.
  Expr any() const;
  Expr all() const;

  /// String functions, as `col("s").str().upper()`.
  class StrNamespace;
  StrNamespace str() const;
  /// Date and time functions, as `col("t").dt().year()`.
  class DtNamespace;
  DtNamespace dt() const;

 private:
  ExprNodePtr node_;
};

class Expr::StrNamespace {
 public:
  explicit StrNamespace(Expr e) : e_(std::move(e)) {}
  Expr len_chars() const;  ///< Length in characters (code points).
  Expr len_bytes() const;
  Expr lower() const;
  Expr upper() const;
  Expr contains(std::string literal) const;
  Expr starts_with(std::string prefix) const;
  Expr ends_with(std::string suffix) const;
  /// Characters [offset, offset + length); negative offsets count from the end.
  Expr slice(int64_t offset, int64_t length) const;
  Expr replace(std::string from, std::string to) const;  ///< Every occurrence, literally.
  Expr strip() const;
  Expr lstrip() const;
  Expr rstrip() const;
  Expr split_part(std::string delimiter, int64_t index) const;  ///< 1-based, as in SQL.
  Expr regex_match(std::string pattern) const;                  ///< RE2 partial match.
  Expr regex_extract(std::string pattern, int group = 1) const;  ///< Null when no match.
  Expr regex_replace(std::string pattern, std::string rewrite) const;  ///< Every match.
  Expr strptime(std::string format, DataType type) const;  ///< To date32 or timestamp.

 private:
  Expr e_;
};

class Expr::DtNamespace {
 public:
  explicit DtNamespace(Expr e) : e_(std::move(e)) {}
  Expr year() const;
  Expr month() const;
  Expr day() const;
  Expr hour() const;
  Expr minute() const;
  Expr second() const;
  Expr weekday() const;      ///< ISO: Monday = 1 .. Sunday = 7.
  Expr day_of_year() const;  ///< 1..366.
  /// Truncates to the start of a "year", "quarter", "month", "week", "day", "hour", "minute",
  /// "second".
  Expr truncate(std::string unit) const;
  Expr strftime(std::string format) const;

 private:
  Expr e_;
};

// Leaves.
Expr col(std::string name);
Expr lit(bool value);
Expr lit(int value);
Expr lit(int64_t value);
Expr lit(double value);
Expr lit(const char* value);
Expr lit(std::string value);
Expr lit(Scalar value);
/// A null of `type`.
Expr lit_null(DataType type);
/// A date32 from "2024-03-01"; throws on a malformed date.
Expr lit_date(std::string_view iso);
/// A timestamp[us] from "2024-03-01", "2024-03-01 12:00:00[.ffffff]" or with a T; throws on a
/// malformed one.
Expr lit_timestamp(std::string_view iso);
/// A duration[us] of a count of `unit`s: "day", "hour", "minute", "second", "ms", "us".
Expr lit_duration(int64_t count, std::string_view unit);

/// A call of any scalar function of the registry by name (SQL uses this).
Expr call(std::string function, std::vector<Expr> args);
/// An aggregate by name (sum, count, ...) of `args`.
Expr aggregate(std::string function, std::vector<Expr> args, bool distinct = false);
/// count(*): the number of rows.
Expr count_rows();
/// The first non-null of the arguments.
Expr coalesce(std::vector<Expr> args);
/// Concatenation of strings (null if any argument is null).
Expr concat(std::vector<Expr> args);

// Operators. Arithmetic on integers is checked: overflow is an error, never a silent wrap.
Expr operator+(const Expr& a, const Expr& b);
Expr operator-(const Expr& a, const Expr& b);
Expr operator*(const Expr& a, const Expr& b);
Expr operator/(const Expr& a, const Expr& b);  ///< Floats: IEEE; integers: error on zero.
Expr operator%(const Expr& a, const Expr& b);
Expr operator-(const Expr& a);
Expr operator==(const Expr& a, const Expr& b);
Expr operator!=(const Expr& a, const Expr& b);
Expr operator<(const Expr& a, const Expr& b);
Expr operator<=(const Expr& a, const Expr& b);
Expr operator>(const Expr& a, const Expr& b);
Expr operator>=(const Expr& a, const Expr& b);
Expr operator&&(const Expr& a, const Expr& b);  ///< SQL three-valued AND.
Expr operator||(const Expr& a, const Expr& b);  ///< SQL three-valued OR.
Expr operator!(const Expr& a);

// Operators with a literal on one side: `col("revenue") * 0.8`, `col("n") > 10`.
#define SLUICE_EXPR_LITERAL_OPERATOR(op)                               \
  template <typename T>                                                \
  Expr operator op(const Expr& a, T b) requires(!std::is_same_v<T, Expr>) { \
    return a op lit(b);                                                \
  }                                                                    \
  template <typename T>                                                \
  Expr operator op(T a, const Expr& b) requires(!std::is_same_v<T, Expr>) { \
    return lit(a) op b;                                                \
  }
SLUICE_EXPR_LITERAL_OPERATOR(+)
SLUICE_EXPR_LITERAL_OPERATOR(-)
SLUICE_EXPR_LITERAL_OPERATOR(*)
SLUICE_EXPR_LITERAL_OPERATOR(/)
SLUICE_EXPR_LITERAL_OPERATOR(%)
SLUICE_EXPR_LITERAL_OPERATOR(==)
SLUICE_EXPR_LITERAL_OPERATOR(!=)
SLUICE_EXPR_LITERAL_OPERATOR(<)
SLUICE_EXPR_LITERAL_OPERATOR(<=)
SLUICE_EXPR_LITERAL_OPERATOR(>)
SLUICE_EXPR_LITERAL_OPERATOR(>=)
#undef SLUICE_EXPR_LITERAL_OPERATOR

/// when(cond).then(a).when(cond2).then(b).otherwise(c): the first branch whose condition is true.
class WhenThen;
class When {
 public:
  When(std::vector<Expr> branches, Expr condition)
      : branches_(std::move(branches)), condition_(std::move(condition)) {}
  WhenThen then(Expr value) const;

 private:
  std::vector<Expr> branches_;  ///< cond, value, cond, value, ...
  Expr condition_;
};
class WhenThen {
 public:
  explicit WhenThen(std::vector<Expr> branches) : branches_(std::move(branches)) {}
  When when(Expr condition) const;
  Expr otherwise(Expr value) const;
  /// Without otherwise: null when no condition holds.
  operator Expr() const;

 private:
  std::vector<Expr> branches_;
};
When when(Expr condition);

}  // namespace sluice
