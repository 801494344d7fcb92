// Filter merging: a filter directly over another filter becomes one filter whose conjuncts are
// the inner predicate's followed by the outer one's, unless the outer one may fail at run time:
// merged, it could see rows the inner filter removes (`b != 0` then `a / b > 1` must not divide
// by zero).
#include "plan/expr_util.h"
#include "plan/optimizer/passes.h"
#include "plan/optimizer/rewrite_util.h"

namespace sluice {

PlanPtr FilterMerge(const PlanPtr& plan) {
  return TransformPlan(plan, [](const PlanPtr& node) -> PlanPtr {
    if (node->kind != PlanKind::kFilter || node->inputs[0]->kind != PlanKind::kFilter) return node;
    const PlanPtr& inner = node->inputs[0];
    // The executor may evaluate a whole conjunction on every row: a predicate that may fail
    // (`a / b > 1`) stays in its own filter, after the one that guards it (`b != 0`).
    if (MayFail(node->predicate, *inner->schema)) return node;
    std::vector<Expr> parts = SplitConjunction(inner->predicate);
    for (Expr& part : SplitConjunction(node->predicate)) parts.push_back(std::move(part));
    return MakeFilter(inner->inputs[0], JoinConjunction(parts));
  });
}

}  // namespace sluice
