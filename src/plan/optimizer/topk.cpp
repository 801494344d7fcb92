// Sort + limit into top-k: a limit of n rows after offset k over a sort only ever needs the first
// k + n sorted rows, which a top-k sort keeps in a bounded heap instead of sorting everything.
// With no offset the limit disappears into the sort; with one, the limit stays to skip the first
// k rows. A limit over a top-k sort tightens the sort's own limit.
#include <algorithm>
#include <limits>

#include "plan/optimizer/passes.h"
#include "plan/optimizer/rewrite_util.h"

namespace sluice {

PlanPtr TopK(const PlanPtr& plan) {
  return TransformPlan(plan, [](const PlanPtr& node) -> PlanPtr {
    if (node->kind != PlanKind::kLimit || node->count < 0) return node;
    const PlanPtr& sort = node->inputs[0];
    if (sort->kind != PlanKind::kSort) return node;
    // offset + count rows are all the limit reads; guard the sum against overflow.
    int64_t needed = node->offset > std::numeric_limits<int64_t>::max() - node->count
                         ? std::numeric_limits<int64_t>::max()
                         : node->offset + node->count;
    int64_t limit = sort->limit ? std::min(*sort->limit, needed) : needed;
    PlanPtr top = limit == sort->limit ? sort : MakeSort(sort->inputs[0], sort->sort_keys, limit);
    if (node->offset == 0) return top;
    return ReplaceInputs(node, {top});
  });
}

}  // namespace sluice
