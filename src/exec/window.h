// The window operator (PlanKind::kWindow): a pipeline breaker that collects its input, computes
// every window expression, and emits the input rows in input order with one column appended per
// window expression. Output is the same at any thread count (see window_functions.h).
#pragma once

#include <memory>

#include "exec/pipeline.h"
#include "plan/logical_plan.h"

namespace sluice::exec {

/// A sink computing the windows of `plan` (a kWindow node) over its input.
std::unique_ptr<BreakerSink> MakeWindowSink(const LogicalPlan& plan, const ExecContext& context);

}  // namespace sluice::exec
