// Window expressions in plans: the function table, frames, printing, and the checks MakeWindow
// runs on each window expression (function known, arguments and their types, frame bounds).
#include "plan/window_plan.h"

#include <fmt/format.h>

#include <set>

#include "core/error.h"
#include "expr/aggregate_function.h"
#include "expr/bound_expr.h"
#include "plan/expr_util.h"

namespace sluice {

namespace {

struct NamedKind {
  std::string_view name;
  WindowFunctionKind kind;
};

constexpr NamedKind kWindowFunctions[] = {
    {"row_number", WindowFunctionKind::kRowNumber},
    {"rank", WindowFunctionKind::kRank},
    {"dense_rank", WindowFunctionKind::kDenseRank},
    {"percent_rank", WindowFunctionKind::kPercentRank},
    {"cume_dist", WindowFunctionKind::kCumeDist},
    {"ntile", WindowFunctionKind::kNtile},
    {"lag", WindowFunctionKind::kLag},
    {"lead", WindowFunctionKind::kLead},
    {"first_value", WindowFunctionKind::kFirstValue},
    {"last_value", WindowFunctionKind::kLastValue},
    {"nth_value", WindowFunctionKind::kNthValue},
};

std::string BoundToString(const WindowBound& bound) {
  switch (bound.kind) {
    case WindowBound::Kind::kUnboundedPreceding: return "UNBOUNDED PRECEDING";
    case WindowBound::Kind::kPreceding: return lit(bound.offset).ToString() + " PRECEDING";
    case WindowBound::Kind::kCurrentRow: return "CURRENT ROW";
    case WindowBound::Kind::kFollowing: return lit(bound.offset).ToString() + " FOLLOWING";
    case WindowBound::Kind::kUnboundedFollowing: return "UNBOUNDED FOLLOWING";
  }
  return "?";
}

bool HasOffset(const WindowBound& bound) {
  return bound.kind == WindowBound::Kind::kPreceding || bound.kind == WindowBound::Kind::kFollowing;
}

/// Bounds in the order they may appear: a frame's start must not come after its end.
int BoundRank(WindowBound::Kind kind) {
  switch (kind) {
    case WindowBound::Kind::kUnboundedPreceding: return 0;
    case WindowBound::Kind::kPreceding: return 1;
    case WindowBound::Kind::kCurrentRow: return 2;
    case WindowBound::Kind::kFollowing: return 3;
    case WindowBound::Kind::kUnboundedFollowing: return 4;
  }
  return 0;
}

bool IsNumericType(const DataType& type) {
  return type.IsInteger() || type.IsFloating() || type.id == TypeId::kDecimal;
}

bool IsNegative(const Scalar& value) {
  if (const auto* v = std::get_if<int64_t>(&value.value)) return *v < 0;
  if (const auto* v = std::get_if<double>(&value.value)) return *v < 0 || *v != *v;
  if (const auto* v = std::get_if<int128_t>(&value.value)) return *v < 0;
  return false;
}

void CheckOffset(const WindowExpr& window, const WindowFrame& frame, const WindowBound& bound,
                 const Schema& input) {
  const std::string display = WindowExprToString(window);
  const Scalar& offset = bound.offset;
  if (offset.is_null()) ThrowInvalid("the frame offset of `{}` must not be null", display);
  if (IsNegative(offset))
    ThrowInvalid("the frame offset {} of `{}` must not be negative", offset.ToString(), display);
  if (frame.units == WindowFrame::Units::kRows) {
    if (!offset.type.IsInteger())
      ThrowInvalid("a ROWS frame offset counts rows: {} in `{}` must be an integer, not {}",
                   offset.ToString(), display, offset.type.ToString());
    return;
  }
  if (window.order_by.size() != 1)
    ThrowInvalid(
        "a RANGE frame with an offset needs exactly one ORDER BY key, `{}` has {}; use ROWS, "
        "or order by one numeric or temporal column",
        display, window.order_by.size());
  const DataType key = ResolveType(window.order_by[0].expr, input);
  const DataType& type = offset.type;
  bool fits = false;
  if (IsNumericType(key)) {
    fits = IsNumericType(type);
  } else if (key.id == TypeId::kDate32) {
    fits = type.IsInteger() || type.id == TypeId::kDuration;
  } else if (key.id == TypeId::kTimestamp || key.id == TypeId::kTime64 ||
             key.id == TypeId::kDuration) {
    fits = type.id == TypeId::kDuration;
  } else {
    ThrowInvalid(
        "a RANGE frame with an offset orders by a number or a date/time, but `{}` is {} in `{}`",
        window.order_by[0].expr.ToString(), key.ToString(), display);
  }
  if (!fits)
    ThrowInvalid("the RANGE offset {} ({}) of `{}` does not fit its ORDER BY key of type {}",
                 offset.ToString(), type.ToString(), display, key.ToString());
}

void CheckFrame(const WindowExpr& window, const Schema& input) {
  if (!window.frame) return;
  const WindowFrame& frame = *window.frame;
  const std::string display = WindowExprToString(window);
  if (frame.start.kind == WindowBound::Kind::kUnboundedFollowing)
    ThrowInvalid("a frame cannot start at UNBOUNDED FOLLOWING in `{}`", display);
  if (frame.end.kind == WindowBound::Kind::kUnboundedPreceding)
    ThrowInvalid("a frame cannot end at UNBOUNDED PRECEDING in `{}`", display);
  if (BoundRank(frame.start.kind) > BoundRank(frame.end.kind))
    ThrowInvalid("the frame of `{}` starts after it ends ({} after {})", display,
                 BoundToString(frame.start), BoundToString(frame.end));
  if (HasOffset(frame.start)) CheckOffset(window, frame, frame.start, input);
  if (HasOffset(frame.end)) CheckOffset(window, frame, frame.end, input);
}

DataType CheckIntegerArgument(const WindowExpr& window, size_t index, const Schema& input,
                              std::string_view what) {
  const Expr& arg = window.args[index];
  DataType type = ResolveType(arg, input);
  if (!type.IsInteger())
    ThrowInvalid("{} of `{}` must be an integer, not `{}` of type {}", what,
                 WindowExprToString(window), arg.ToString(), type.ToString());
  return type;
}

void CheckArgumentCount(const WindowExpr& window, size_t min, size_t max) {
  const size_t count = window.args.size();
  if (count >= min && count <= max) return;
  if (min == max)
    ThrowInvalid("{}() takes {} argument{}, not {}, in `{}`", window.function, min,
                 min == 1 ? "" : "s", count, WindowExprToString(window));
  ThrowInvalid("{}() takes {} to {} arguments, not {}, in `{}`", window.function, min, max, count,
               WindowExprToString(window));
}

bool IsConstantNumber(const Expr& expr) {
  const Expr inner = StripAlias(expr);
  return inner.kind() == ExprKind::kLiteral && !inner.node().literal.is_null();
}

DataType AggregateType(const WindowExpr& window, const Schema& input) {
  const std::string name = WindowAggregateName(window);
  const std::string display = WindowExprToString(window);
  if (name == "count_star") {
    CheckArgumentCount(window, 0, 0);
  } else if (name == "quantile") {
    CheckArgumentCount(window, 2, 2);
  } else if (name == "std" || name == "var") {
    CheckArgumentCount(window, 1, 2);
  } else {
    CheckArgumentCount(window, 1, 1);
  }
  if (window.args.size() == 2 && !IsConstantNumber(window.args[1]))
    ThrowInvalid("the second argument of `{}` must be a constant number, not `{}`", display,
                 window.args[1].ToString());
  try {
    return AggregateField(WindowAggregateExpr(window), input).type;
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::kInvalidInput) throw;
    ThrowInvalid("{} (in `{}`)", error.what(), display);
  }
}

}  // namespace

std::optional<WindowFunctionKind> FindWindowFunction(std::string_view name) {
  for (const NamedKind& entry : kWindowFunctions)
    if (entry.name == name) return entry.kind;
  if (name == "avg" || FindAggregateFunction(name) != nullptr)
    return WindowFunctionKind::kAggregate;
  return std::nullopt;
}

bool UsesFrame(WindowFunctionKind kind) {
  return kind == WindowFunctionKind::kAggregate || kind == WindowFunctionKind::kFirstValue ||
         kind == WindowFunctionKind::kLastValue || kind == WindowFunctionKind::kNthValue;
}

WindowFrame EffectiveFrame(const WindowExpr& window) {
  if (window.frame) return *window.frame;
  WindowFrame frame;
  frame.units = WindowFrame::Units::kRange;
  frame.start = {WindowBound::Kind::kUnboundedPreceding, {}};
  frame.end = {window.order_by.empty() ? WindowBound::Kind::kUnboundedFollowing
                                       : WindowBound::Kind::kCurrentRow,
               {}};
  return frame;
}

bool IsWholePartition(const WindowExpr& window) {
  const WindowFrame frame = EffectiveFrame(window);
  if (frame.start.kind != WindowBound::Kind::kUnboundedPreceding) return false;
  if (frame.end.kind == WindowBound::Kind::kUnboundedFollowing) return true;
  // Without ORDER BY every row of a partition is a peer of every other: RANGE ... CURRENT ROW
  // reaches the partition's end.
  return window.order_by.empty() && frame.units == WindowFrame::Units::kRange &&
         frame.end.kind == WindowBound::Kind::kCurrentRow;
}

std::string WindowAggregateName(const WindowExpr& window) {
  if (window.function == "avg") return "mean";
  if (window.function == "count" && window.args.empty()) return "count_star";
  return window.function;
}

Expr WindowAggregateExpr(const WindowExpr& window) {
  return aggregate(WindowAggregateName(window), window.args, window.distinct);
}

std::string WindowSpecToString(const WindowExpr& window) {
  std::vector<std::string> parts;
  if (!window.partition_by.empty()) {
    std::string text = "PARTITION BY ";
    for (size_t i = 0; i < window.partition_by.size(); ++i) {
      if (i > 0) text += ", ";
      text += window.partition_by[i].ToString();
    }
    parts.push_back(std::move(text));
  }
  if (!window.order_by.empty()) {
    std::string text = "ORDER BY ";
    for (size_t i = 0; i < window.order_by.size(); ++i) {
      const SortKey& key = window.order_by[i];
      if (i > 0) text += ", ";
      text += key.expr.ToString();
      if (key.descending) text += " DESC";
      if (key.nulls_last && *key.nulls_last == key.descending)
        text += key.NullsLast() ? " NULLS LAST" : " NULLS FIRST";
    }
    parts.push_back(std::move(text));
  }
  if (window.frame) {
    parts.push_back(fmt::format(
        "{} BETWEEN {} AND {}", window.frame->units == WindowFrame::Units::kRows ? "ROWS" : "RANGE",
        BoundToString(window.frame->start), BoundToString(window.frame->end)));
  }
  return "(" + fmt::format("{}", fmt::join(parts, " ")) + ")";
}

std::string WindowExprToString(const WindowExpr& window) {
  std::string text = window.function + "(";
  if (window.distinct) text += "DISTINCT ";
  for (size_t i = 0; i < window.args.size(); ++i) {
    if (i > 0) text += ", ";
    text += window.args[i].ToString();
  }
  return text + ") OVER " + WindowSpecToString(window);
}

Field WindowField(const WindowExpr& window, const Schema& input) {
  const std::string display = WindowExprToString(window);
  std::optional<WindowFunctionKind> kind = FindWindowFunction(window.function);
  if (!kind) {
    std::vector<std::string> names;
    for (const NamedKind& entry : kWindowFunctions) names.emplace_back(entry.name);
    for (std::string& name : AggregateFunctionNames()) names.push_back(std::move(name));
    std::optional<std::string> closest = ClosestName(window.function, names);
    ThrowInvalid("unknown window function {}() in `{}`{}", window.function, display,
                 closest ? fmt::format("; did you mean {}()?", *closest) : "");
  }
  if (window.name.empty()) ThrowInvalid("the window expression `{}` has no name", display);
  if (window.distinct && *kind != WindowFunctionKind::kAggregate)
    ThrowInvalid("DISTINCT applies to aggregates only, not to `{}`", display);
  for (const Expr& expr : window.args) {
    if (ContainsAggregate(expr))
      ThrowInvalid("aggregate inside the window function `{}`; aggregate first, then window",
                   display);
  }
  for (const Expr& expr : window.partition_by) {
    if (ContainsAggregate(expr)) ThrowInvalid("aggregate in PARTITION BY of `{}`", display);
    ResolveType(expr, input);
  }
  for (const SortKey& key : window.order_by) {
    if (ContainsAggregate(key.expr)) ThrowInvalid("aggregate in ORDER BY of `{}`", display);
    DataType type = ResolveType(key.expr, input);
    if (type.id == TypeId::kBinary || type.id == TypeId::kFixedSizeBinary)
      ThrowInvalid("cannot order by `{}` of type {} in `{}`", key.expr.ToString(), type.ToString(),
                   display);
  }
  CheckFrame(window, input);

  DataType type;
  switch (*kind) {
    case WindowFunctionKind::kRowNumber:
    case WindowFunctionKind::kRank:
    case WindowFunctionKind::kDenseRank:
      CheckArgumentCount(window, 0, 0);
      type = Int64();
      break;
    case WindowFunctionKind::kPercentRank:
    case WindowFunctionKind::kCumeDist:
      CheckArgumentCount(window, 0, 0);
      type = Float64();
      break;
    case WindowFunctionKind::kNtile:
      CheckArgumentCount(window, 1, 1);
      CheckIntegerArgument(window, 0, input, "the bucket count");
      type = Int64();
      break;
    case WindowFunctionKind::kLag:
    case WindowFunctionKind::kLead:
      CheckArgumentCount(window, 1, 3);
      type = ResolveType(window.args[0], input);
      if (window.args.size() >= 2) CheckIntegerArgument(window, 1, input, "the offset");
      if (window.args.size() == 3) {
        try {
          ResolveType(window.args[2].cast(type), input);
        } catch (const Error&) {
          ThrowInvalid("the default `{}` ({}) of `{}` cannot be cast to {}, the type of `{}`",
                       window.args[2].ToString(), ResolveType(window.args[2], input).ToString(),
                       display, type.ToString(), window.args[0].ToString());
        }
      }
      break;
    case WindowFunctionKind::kFirstValue:
    case WindowFunctionKind::kLastValue:
      CheckArgumentCount(window, 1, 1);
      type = ResolveType(window.args[0], input);
      break;
    case WindowFunctionKind::kNthValue:
      CheckArgumentCount(window, 2, 2);
      type = ResolveType(window.args[0], input);
      CheckIntegerArgument(window, 1, input, "the row number");
      break;
    case WindowFunctionKind::kAggregate: type = AggregateType(window, input); break;
  }
  return {window.name, type, true};
}

PlanPtr MakeWindow(PlanPtr input, std::vector<WindowExpr> windows) {
  if (windows.empty()) ThrowInvalid("a window node needs at least one window expression");
  std::vector<Field> fields = input->schema->fields();
  std::set<std::string> names;
  for (const Field& field : fields) names.insert(field.name);
  for (const WindowExpr& window : windows) {
    Field field = WindowField(window, *input->schema);
    if (!names.insert(field.name).second)
      ThrowInvalid(
          "duplicate column name \"{}\" for the window expression `{}`; give it another name",
          field.name, WindowExprToString(window));
    fields.push_back(std::move(field));
  }
  auto node = std::make_shared<LogicalPlan>();
  node->kind = PlanKind::kWindow;
  node->inputs = {std::move(input)};
  node->schema = std::make_shared<Schema>(std::move(fields));
  node->windows = std::move(windows);
  return node;
}

}  // namespace sluice
