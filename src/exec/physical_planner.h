// The physical planner: turns an (optimized) logical plan into pipelines. Streaming nodes
// (filter, project, join probe) become operators of the pipeline they sit in; pipeline breakers
// (aggregate, sort, distinct, limit, join build) run their input pipeline to completion when the
// plan is built and then act as the source of the next one.
#pragma once

#include "exec/pipeline.h"
#include "plan/logical_plan.h"

namespace sluice::exec {

/// The stream that produces `plan`'s rows. Runs every pipeline below the last breaker.
Stream BuildStream(const PlanPtr& plan, const ExecContext& context);

/// BuildStream for a whole plan: a small aggregate that occurs several times runs once
/// (exec/shared_subplans.h).
Stream BuildPlan(const PlanPtr& plan, const ExecContext& context);

}  // namespace sluice::exec
