// Limit pushdown: a limit moves below a projection (which maps rows one to one), two adjacent
// limits become one, and each input of a union under a limit is bounded by offset + count rows
// (the union concatenates its inputs in order, so no input contributes more). A limit directly
// over a scan stays there: the executor stops the scan once the limit is satisfied.
#include <algorithm>
#include <limits>

#include "plan/optimizer/passes.h"
#include "plan/optimizer/rewrite_util.h"

namespace sluice {

namespace {

int64_t SaturatingAdd(int64_t a, int64_t b) {
  return a > std::numeric_limits<int64_t>::max() - b ? std::numeric_limits<int64_t>::max() : a + b;
}

/// Rows [offset, offset + count) of rows [inner_offset, inner_offset + inner_count) of x.
PlanPtr Combine(const PlanPtr& inner, int64_t offset, int64_t count) {
  int64_t start = SaturatingAdd(inner->offset, offset);
  int64_t length = count;
  if (inner->count >= 0) {
    int64_t available = std::max<int64_t>(0, inner->count - offset);
    length = count < 0 ? available : std::min(count, available);
  }
  return MakeLimit(inner->inputs[0], start, length);
}

PlanPtr Push(const PlanPtr& limit);

/// Bounds each union input by `bound` rows unless it already is.
PlanPtr BoundUnion(const PlanPtr& node, int64_t bound) {
  std::vector<PlanPtr> inputs;
  for (const PlanPtr& input : node->inputs) {
    bool bounded = input->kind == PlanKind::kLimit && input->offset == 0 && input->count >= 0 &&
                   input->count <= bound;
    bounded = bounded || (input->kind == PlanKind::kSort && input->limit && *input->limit <= bound);
    inputs.push_back(bounded ? input : Push(MakeLimit(input, 0, bound)));
  }
  return ReplaceInputs(node, std::move(inputs));
}

/// Moves one limit node down as far as it goes.
PlanPtr Push(const PlanPtr& limit) {
  const PlanPtr& input = limit->inputs[0];
  switch (input->kind) {
    case PlanKind::kProject: {
      PlanPtr below = Push(MakeLimit(input->inputs[0], limit->offset, limit->count));
      return ReplaceInputs(input, {below});
    }
    case PlanKind::kLimit: return Push(Combine(input, limit->offset, limit->count));
    case PlanKind::kUnion:
      if (limit->count < 0) return limit;
      return ReplaceInputs(limit, {BoundUnion(input, SaturatingAdd(limit->offset, limit->count))});
    default: return limit;
  }
}

}  // namespace

PlanPtr LimitPushdown(const PlanPtr& plan) {
  return TransformPlan(
      plan, [](const PlanPtr& node) { return node->kind == PlanKind::kLimit ? Push(node) : node; });
}

}  // namespace sluice
