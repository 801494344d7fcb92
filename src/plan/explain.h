// EXPLAIN: a plan as an indented tree, one node per line, with what each node does: the
// predicates pushed into scans, the columns read, the row groups statistics let it skip.
#pragma once

#include <string>

#include "plan/logical_plan.h"
#include "plan/plan_profile.h"

namespace sluice {

/// Renders `plan` as an indented tree; with a profile of its run (EXPLAIN ANALYZE), each node
/// that ran ends with the rows it produced and the time of its own operators.
std::string ExplainPlan(const PlanPtr& plan, const PlanProfile* profile = nullptr);

/// The plan before and after Optimize, under the headers "== logical plan ==" and
/// "== optimized plan ==".
std::string ExplainBeforeAfter(const PlanPtr& plan);

}  // namespace sluice
