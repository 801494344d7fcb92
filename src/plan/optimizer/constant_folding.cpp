// Constant folding and simplification: every subtree that reads no column is evaluated once, on a
// one-row batch without columns (kernels return one value for constant arguments), and replaced
// by its value; boolean logic with literal operands is simplified under SQL's three-valued rules.
// A filter that always holds disappears; one that never holds (false or null) becomes a limit of
// zero rows, which lets the executor stop reading early.
//
// A subtree whose evaluation fails (1 / 0, an overflow, a bad cast) is left as it is, so the error
// still surfaces where and when the query would have raised it.
#include <string_view>

#include "core/error.h"
#include "expr/bound_expr.h"
#include "expr/evaluate.h"
#include "plan/expr_util.h"
#include "plan/optimizer/passes.h"
#include "plan/optimizer/rewrite_util.h"

namespace sluice {

namespace {

bool IsCall(const Expr& expr, std::string_view name) {
  return expr.kind() == ExprKind::kCall && expr.node().name == name;
}

/// Evaluates a constant call or cast; returns it unchanged when it cannot be evaluated.
Expr FoldConstant(const Expr& expr) {
  try {
    BoundExprPtr bound = Bind(expr, Schema());
    Batch one_row;
    one_row.schema = std::make_shared<Schema>();
    one_row.num_rows = 1;
    Column value = Evaluate(*bound, one_row, /*expand=*/false);
    if (value.length != 1 || !(value.type == bound->type)) return expr;
    return lit(ScalarFromColumn(value));
  } catch (const Error&) {
    return expr;
  }
}

bool IsBoolean(const Expr& expr, const Schema& input) {
  try {
    return ResolveType(expr, input).id == TypeId::kBool;
  } catch (const Error&) {
    return false;
  }
}

/// `a AND b AND ...` without literal-true operands; false when any operand is literal false (SQL:
/// false AND null is false).
Expr SimplifyAnd(const Expr& expr, const Schema& input) {
  std::vector<Expr> kept;
  for (size_t i = 0; i < expr.node().args.size(); ++i) {
    Expr arg = expr.arg(i);
    if (IsBoolLiteral(arg, false)) return lit(false);
    if (!IsBoolLiteral(arg, true)) kept.push_back(arg);
  }
  if (kept.size() == expr.node().args.size()) return expr;
  if (kept.empty()) return lit(true);
  if (kept.size() == 1) return IsBoolean(kept[0], input) ? kept[0] : expr;
  return call("and", kept);
}

/// `a OR b OR ...` without literal-false operands; true when any operand is literal true.
Expr SimplifyOr(const Expr& expr, const Schema& input) {
  std::vector<Expr> kept;
  for (size_t i = 0; i < expr.node().args.size(); ++i) {
    Expr arg = expr.arg(i);
    if (IsBoolLiteral(arg, true)) return lit(true);
    if (!IsBoolLiteral(arg, false)) kept.push_back(arg);
  }
  if (kept.size() == expr.node().args.size()) return expr;
  if (kept.empty()) return lit(false);
  if (kept.size() == 1) return IsBoolean(kept[0], input) ? kept[0] : expr;
  return call("or", kept);
}

const char* OppositeComparison(std::string_view name) {
  if (name == "equal") return "not_equal";
  if (name == "not_equal") return "equal";
  if (name == "less") return "greater_equal";
  if (name == "less_equal") return "greater";
  if (name == "greater") return "less_equal";
  if (name == "greater_equal") return "less";
  if (name == "is_null") return "is_not_null";
  if (name == "is_not_null") return "is_null";
  return nullptr;
}

/// Functions whose result is null whenever an argument is null.
bool PropagatesNull(std::string_view name) {
  for (std::string_view candidate :
       {"equal", "not_equal", "less", "less_equal", "greater", "greater_equal", "add", "subtract",
        "multiply", "divide", "modulo", "negate"})
    if (candidate == name) return true;
  return false;
}

Expr Simplify(const Expr& expr, const Schema& input) {
  ExprKind kind = expr.kind();
  if ((kind == ExprKind::kCall || kind == ExprKind::kCast) && IsConstantExpr(expr))
    return FoldConstant(expr);
  if (kind != ExprKind::kCall) return expr;
  const std::string& name = expr.node().name;
  if (name == "and") return SimplifyAnd(expr, input);
  if (name == "or") return SimplifyOr(expr, input);
  if (name == "not" && IsCall(expr.arg(0), "not") && IsBoolean(expr.arg(0).arg(0), input))
    return expr.arg(0).arg(0);
  if (name == "not" && expr.arg(0).kind() == ExprKind::kCall) {
    // NOT of a comparison is the opposite comparison (floats too: NaN sorts above every number
    // and equals itself, a total order), which statistics can use. Null stays null.
    const ExprNode& inner = expr.arg(0).node();
    if (const char* opposite = OppositeComparison(inner.name)) {
      std::vector<Expr> args;
      for (size_t i = 0; i < inner.args.size(); ++i) args.push_back(expr.arg(0).arg(i));
      return call(opposite, std::move(args));
    }
  }
  if (PropagatesNull(name)) {
    for (size_t i = 0; i < expr.node().args.size(); ++i) {
      if (!IsNullLiteral(expr.arg(i))) continue;
      try {
        return lit_null(ResolveType(expr, input));
      } catch (const Error&) {
        return expr;
      }
    }
  }
  return expr;
}

Expr Fold(const Expr& expr, const Schema& input) {
  return Transform(expr, [&](const Expr& e) { return Simplify(e, input); });
}

std::vector<Expr> FoldNamed(const std::vector<Expr>& exprs, const Schema& input, bool* changed) {
  std::vector<Expr> out;
  out.reserve(exprs.size());
  for (const Expr& expr : exprs) {
    Expr folded = KeepName(expr, Fold(expr, input));
    *changed = *changed || folded.ptr() != expr.ptr();
    out.push_back(std::move(folded));
  }
  return out;
}

/// True when a filter with this predicate keeps no row.
bool NeverHolds(const Expr& predicate) {
  return IsBoolLiteral(predicate, false) || IsNullLiteral(predicate);
}

PlanPtr FoldScan(const PlanPtr& scan) {
  std::vector<Expr> filters;
  bool changed = false, empty = false;
  for (const Expr& filter : scan->filters) {
    Expr folded = Fold(filter, *scan->source->file_schema);
    changed = changed || folded.ptr() != filter.ptr();
    if (IsBoolLiteral(folded, true)) continue;
    if (NeverHolds(folded)) {
      empty = true;
      continue;
    }
    filters.push_back(std::move(folded));
  }
  if (!changed) return scan;
  PlanPtr out = MakeScan(scan->source, scan->columns, std::move(filters));
  return empty ? MakeLimit(out, 0, 0) : out;
}

/// Folds the arguments, partition and order keys of every window expression.
PlanPtr FoldWindow(const PlanPtr& plan) {
  const Schema& input = *plan->inputs[0]->schema;
  bool changed = false;
  auto fold = [&](Expr& expr) {
    Expr folded = Fold(expr, input);
    changed = changed || folded.ptr() != expr.ptr();
    expr = std::move(folded);
  };
  std::vector<WindowExpr> windows = plan->windows;
  for (WindowExpr& window : windows) {
    for (Expr& arg : window.args) fold(arg);
    for (Expr& key : window.partition_by) fold(key);
    for (SortKey& key : window.order_by) fold(key.expr);
  }
  return changed ? MakeWindow(plan->inputs[0], std::move(windows)) : plan;
}

PlanPtr FoldNode(const PlanPtr& plan) {
  const Schema* input = plan->inputs.empty() ? nullptr : plan->inputs[0]->schema.get();
  bool changed = false;
  switch (plan->kind) {
    case PlanKind::kScan: return FoldScan(plan);
    case PlanKind::kFilter: {
      Expr predicate = Fold(plan->predicate, *input);
      if (IsBoolLiteral(predicate, true)) return plan->inputs[0];
      if (NeverHolds(predicate)) return MakeLimit(plan->inputs[0], 0, 0);
      if (predicate.ptr() == plan->predicate.ptr()) return plan;
      return MakeFilter(plan->inputs[0], predicate);
    }
    case PlanKind::kProject: {
      std::vector<Expr> exprs = FoldNamed(plan->exprs, *input, &changed);
      return changed ? MakeProject(plan->inputs[0], std::move(exprs)) : plan;
    }
    case PlanKind::kAggregate: {
      std::vector<Expr> keys = FoldNamed(plan->keys, *input, &changed);
      std::vector<Expr> aggregates = FoldNamed(plan->aggregates, *input, &changed);
      return changed ? MakeAggregate(plan->inputs[0], std::move(keys), std::move(aggregates))
                     : plan;
    }
    case PlanKind::kSort: {
      std::vector<SortKey> keys = plan->sort_keys;
      for (SortKey& key : keys) {
        Expr folded = Fold(key.expr, *input);
        changed = changed || folded.ptr() != key.expr.ptr();
        key.expr = std::move(folded);
      }
      return changed ? MakeSort(plan->inputs[0], std::move(keys), plan->limit) : plan;
    }
    case PlanKind::kWindow: return FoldWindow(plan);
    default:
      // Join keys stay as written: whether a key is a plain column decides the join's schema.
      return plan;
  }
}

}  // namespace

PlanPtr ConstantFolding(const PlanPtr& plan) {
  return TransformPlan(plan, FoldNode);
}

}  // namespace sluice
