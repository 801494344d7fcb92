// What the optimizer passes need to know about a join's residual condition (LogicalPlan::residual):
// where each column it reads comes from, which of its conjuncts may move into an input, and how
// to rebuild a join with another residual. The residual names columns as an inner join with
// coalesce_keys = false would (JoinResidualSchema), which differs from the join's own output
// names when keys are coalesced.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "expr/expr.h"
#include "plan/logical_plan.h"
#include "plan/optimizer/rewrite_util.h"

namespace sluice {

/// For each column name the residual of `join` may read: the input side and the column's name
/// there.
std::map<std::string, JoinColumn> ResidualColumns(const LogicalPlan& join);

/// The residual's conjuncts, split: those that may become filters of one input (renamed to that
/// input's names) and those that stay. A conjunct moves into a side when it reads only that side,
/// reads some column, cannot fail at run time, and that side's rows are not preserved by the join
/// (both sides of inner and cross joins and the left side of semi joins; the right side of left,
/// semi and anti joins; the left side of right joins; nothing of full joins): a row failing it
/// then matches nothing, exactly as if it were gone.
struct ResidualSplit {
  std::vector<Expr> to_left, to_right;
  std::vector<Expr> keep;  ///< Still in the residual's names.
};
ResidualSplit SplitResidual(const LogicalPlan& join);

/// `predicate` over the output of an inner or cross join renamed to the join's residual names;
/// false when it reads a column the residual cannot name.
bool OutputToResidualNames(const LogicalPlan& join, const Expr& predicate, Expr* renamed);

/// `join` (same inputs, keys and options) with `residual` instead (null for none). A cross join
/// whose residual has equalities of a left and a right plain column of the same non-float type
/// becomes an inner hash join on them (coalesce_keys = false: the same columns, in the same
/// order, as the cross join).
PlanPtr WithResidual(const PlanPtr& join, const std::vector<Expr>& conjuncts);

}  // namespace sluice
