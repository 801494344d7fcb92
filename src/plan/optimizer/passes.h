// The optimizer's passes, one per file in this folder. Each takes a plan and returns a plan that
// computes the same rows in the same order with the same output schema; untouched subtrees are
// shared, not copied. Optimize (plan/optimizer.cpp) runs them in a fixed order.
#pragma once

#include "plan/logical_plan.h"

namespace sluice {

/// Evaluates constant subtrees of every expression and simplifies boolean logic (`x AND true`,
/// `NOT NOT x`, comparisons with a null literal); drops filters that are always true and turns
/// filters that never hold into an empty limit.
PlanPtr ConstantFolding(const PlanPtr& plan);

/// Merges adjacent filters into one filter whose conjuncts keep their order (inner first).
PlanPtr FilterMerge(const PlanPtr& plan);

/// Moves filter conjuncts as close to the scans as they can go: through projections (renaming),
/// sorts, unions, aggregates (key-only predicates), distincts and joins (the sides that do not
/// supply nulls), and finally into the scan's filters.
PlanPtr PredicatePushdown(const PlanPtr& plan);

/// Moves a semi or anti join below filters and projections, and applies one over a join to the
/// join's input that supplies its key columns (when the join never pads that input with nulls),
/// so it filters before the join multiplies.
PlanPtr SemiJoinPushdown(const PlanPtr& plan);

/// Semi-joins an aggregate that a join looks up by its keys (a decorrelated scalar subquery)
/// with the cheap input supplying those keys on the join's other side, so it aggregates only the
/// groups the join can use.
PlanPtr GroupJoinReduction(const PlanPtr& plan);

/// Computes the columns each node needs and makes scans read only those; drops unused
/// projection and aggregate outputs, removes projections that do nothing and merges adjacent
/// projections of plain columns.
PlanPtr ProjectionPushdown(const PlanPtr& plan);

/// Turns a limit over a sort into a top-k sort (a sort with a limit).
PlanPtr TopK(const PlanPtr& plan);

/// Moves limits below projections, merges adjacent limits and bounds each input of a union.
PlanPtr LimitPushdown(const PlanPtr& plan);

}  // namespace sluice
