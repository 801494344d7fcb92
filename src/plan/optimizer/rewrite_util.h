// Helpers the optimizer passes share: rebuilding a plan bottom-up, where a join's output columns
// come from, and whether an expression can fail at run time (which limits how far a predicate may
// move: it must not run on rows it never saw before).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/schema.h"
#include "expr/expr.h"
#include "plan/logical_plan.h"

namespace sluice {

/// Rebuilds `plan` bottom-up: each node's inputs are rewritten first, the node is remade with
/// them when any changed (WithInputs), then `rewrite` sees it and returns its replacement.
PlanPtr TransformPlan(const PlanPtr& plan, const std::function<PlanPtr(const PlanPtr&)>& rewrite);

/// The node with `inputs`, reusing the node itself when they are the ones it already has.
PlanPtr ReplaceInputs(const PlanPtr& plan, std::vector<PlanPtr> inputs);

/// Where one output column of a join comes from.
struct JoinColumn {
  int side = 0;      ///< 0: the left input, 1: the right input.
  std::string name;  ///< The column's name in that input.
  /// For a left key coalesced with a plain right key (coalesce_keys): the right key's name.
  std::string coalesced_right;
};

/// One entry per output column of `join`, in output order.
std::vector<JoinColumn> JoinOutputColumns(const LogicalPlan& join);

/// The input of `join` that supplies every column in `names` and whose rows the join never pads
/// with nulls (both of an inner or cross join, the left of a left join, the right of a right
/// join), with each name mapped to that input's own name; nullopt when there is none. A
/// coalesced key of an inner join may come from either input.
std::optional<std::pair<int, std::map<std::string, std::string>>> SupplyingSide(
    const LogicalPlan& join, const std::set<std::string>& names);

/// True when evaluating `expr` over `input` may raise an error for some row (integer overflow,
/// division by zero, a strict cast or parse). Such predicates are not moved to where they would
/// see rows the query did not evaluate them on before.
bool MayFail(const Expr& expr, const Schema& input);

/// True when `expr` reads no column and has no aggregate: its value is the same for every row.
bool IsConstantExpr(const Expr& expr);

/// True for a literal boolean `value`; IsNullLiteral for a literal null of any type.
bool IsBoolLiteral(const Expr& expr, bool value);
bool IsNullLiteral(const Expr& expr);

/// The expressions of a Project, Sort or Aggregate with `rewrite` applied, preserving each output
/// name (an expression whose name would change is aliased to its old name).
Expr KeepName(const Expr& before, Expr after);

}  // namespace sluice
