// The registry of scalar functions: for each canonical name, a binder that checks the argument
// types, decides the result type (inserting implicit casts where the rules allow) and returns a
// kernel closure that computes the function over columns.
//
// Kernel conventions (all kernels follow them, so the evaluator stays trivial):
//   - Every argument is a Column of either `rows` values or exactly 1 value. A 1-value column
//     is a constant broadcast to every row (literals evaluate to such columns). When all
//     arguments are 1-value columns the kernel returns a 1-value column; that is how constant
//     folding works: the optimizer evaluates constant subtrees on a 1-row batch.
//   - Nulls follow SQL unless the function says otherwise: a null argument gives a null result.
//   - Kernels never throw from inside a loop: they note a failure (overflow, division by zero,
//     a bad cast) and throw after the loop, naming the function and the offending value.
//
// Canonical names (SQL and the C++ API both produce them):
//   arithmetic   add subtract multiply divide modulo negate
//   comparison   equal not_equal less less_equal greater greater_equal
//   boolean      and or not
//   nulls, sets  is_null is_not_null coalesce is_in(x, v1, v2, ...) between(x, low, high)
//   branching    case_when(c1, v1, c2, v2, ..., else)
//   math         abs round(x, digits) floor ceil sqrt ln log10 exp pow sign hash
//   strings      length octet_length lower upper contains starts_with ends_with
//                substring(s, start 1-based, length) replace trim ltrim rtrim concat
//                split_part(s, delim, index) regexp_matches regexp_extract(s, pattern, group)
//                regexp_replace(s, pattern, rewrite) like ilike
//   temporal     year month day hour minute second weekday day_of_year
//                date_trunc(unit, t) strftime(t, format) strptime(s, format, type-name)
//   (date/timestamp +/- duration and timestamp - timestamp are add/subtract overloads.)
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/column.h"
#include "core/memory_pool.h"
#include "expr/bound_expr.h"

namespace sluice {

/// Computes a function over argument columns (see the conventions above) for `rows` rows.
using Kernel = std::function<Column(std::span<const Column> args, int64_t rows, MemoryPool* pool)>;

/// What binding a call produced.
struct BoundCall {
  DataType type;
  Kernel kernel;
  /// The arguments to evaluate, possibly with implicit casts inserted by the binder.
  std::vector<BoundExprPtr> args;
};

struct ScalarFunction {
  std::string name;
  /// Checks `args` (already bound) and returns the call. `display` is the call as the user wrote
  /// it (`revenue + region`), for errors: "cannot add utf8 and int64 in `revenue + region`".
  std::function<BoundCall(std::vector<BoundExprPtr> args, const std::string& display)> bind;
};

class FunctionRegistry {
 public:
  void Add(ScalarFunction function);
  /// Returns the function or null.
  const ScalarFunction* Find(std::string_view name) const;
  std::vector<std::string> Names() const;

  /// The registry with every built-in function, built on first use.
  static const FunctionRegistry& BuiltIn();

 private:
  std::vector<ScalarFunction> functions_;
};

// Each kernel family registers itself here; FunctionRegistry::BuiltIn calls them all.
void RegisterArithmeticFunctions(FunctionRegistry& registry);
void RegisterComparisonFunctions(FunctionRegistry& registry);
void RegisterBooleanFunctions(FunctionRegistry& registry);
void RegisterNullFunctions(FunctionRegistry& registry);  // is_null, coalesce, is_in, between, case
void RegisterMathFunctions(FunctionRegistry& registry);
void RegisterStringFunctions(FunctionRegistry& registry);
void RegisterRegexFunctions(FunctionRegistry& registry);
void RegisterTemporalFunctions(FunctionRegistry& registry);

}  // namespace sluice
