// Window functions in plans (the kWindow node of logical_plan.h): which functions exist, which
// frame applies to a window expression, how one prints (EXPLAIN, errors), and the checks
// MakeWindow runs. The executor (exec/window.h) reads the same classification.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/schema.h"
#include "expr/expr.h"
#include "plan/logical_plan.h"

namespace sluice {

enum class WindowFunctionKind : uint8_t {
  kRowNumber,
  kRank,
  kDenseRank,
  kPercentRank,
  kCumeDist,
  kNtile,
  kLag,
  kLead,
  kFirstValue,
  kLastValue,
  kNthValue,
  kAggregate,  ///< Any aggregate of the registry, over the frame.
};

/// The kind of `window.function` (an aggregate of the registry is kAggregate); nothing when no
/// window or aggregate function has that name.
std::optional<WindowFunctionKind> FindWindowFunction(std::string_view name);

/// True for the functions whose result depends on the frame (aggregates and
/// first/last/nth_value); the others ignore a frame, as in PostgreSQL and DuckDB.
bool UsesFrame(WindowFunctionKind kind);

/// The frame that applies: the explicit one, else the whole partition without ORDER BY, else
/// RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW.
WindowFrame EffectiveFrame(const WindowExpr& window);

/// True when the frame is the whole partition (every row of a partition gets the same result).
bool IsWholePartition(const WindowExpr& window);

/// The registry's canonical aggregate name for a window aggregate ("avg" is "mean", count()
/// without arguments is "count_star").
std::string WindowAggregateName(const WindowExpr& window);

/// The aggregate expression a window aggregate computes per frame (`sum(x)`), for typing.
Expr WindowAggregateExpr(const WindowExpr& window);

/// `sum(x) OVER (PARTITION BY g ORDER BY t DESC ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)`.
std::string WindowExprToString(const WindowExpr& window);

/// The `OVER (...)` part alone: windows with equal specs share one sort.
std::string WindowSpecToString(const WindowExpr& window);

/// Checks `window` against `input` and returns its output field; throws invalid input naming
/// the window expression.
Field WindowField(const WindowExpr& window, const Schema& input);

}  // namespace sluice
