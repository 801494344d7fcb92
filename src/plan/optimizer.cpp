// The optimizer's fixed schedule of passes (each in plan/optimizer/, with its own tests).
//
// Folding comes first so that pushdown sees simple predicates; filters are merged and pushed
// down, and so are semi joins; limits are pushed down and sorts under limits become top-k. That
// sequence runs twice: predicates renamed or substituted by the first pushdown can fold further,
// and limits moved below projections can meet sorts. Then aggregates that a join looks up are
// reduced to the groups it can use (and those semi joins pushed down). Projection pushdown runs
// last, once every filter is where it stays, so that scans read exactly the columns the final
// plan uses.
#include "plan/optimizer.h"

#include "core/error.h"
#include "plan/optimizer/passes.h"

namespace sluice {

namespace {

bool SameColumns(const Schema& a, const Schema& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a.field(i).name != b.field(i).name || a.field(i).type != b.field(i).type) return false;
  return true;
}

}  // namespace

PlanPtr Optimize(const PlanPtr& plan) {
  PlanPtr optimized = plan;
  for (int round = 0; round < 2; ++round) {
    optimized = ConstantFolding(optimized);
    optimized = FilterMerge(optimized);
    optimized = PredicatePushdown(optimized);
    optimized = SemiJoinPushdown(optimized);
    optimized = LimitPushdown(optimized);
    optimized = TopK(optimized);
  }
  optimized = GroupJoinReduction(optimized);
  optimized = SemiJoinPushdown(optimized);
  optimized = ProjectionPushdown(optimized);
  // Every pass promises the same output columns; a broken promise is a bug, not a user error.
  if (!SameColumns(*plan->schema, *optimized->schema))
    ThrowInternal("the optimizer changed the plan's columns from ({}) to ({})",
                  plan->schema->ToString(), optimized->schema->ToString());
  return optimized;
}

}  // namespace sluice
