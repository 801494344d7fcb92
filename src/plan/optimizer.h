// The optimizer: a fixed sequence of rewrite passes over a logical plan (each pass a small file
// in plan/optimizer/ with its own tests). The result computes the same rows as the input.
#pragma once

#include <string>
#include <vector>

#include "plan/logical_plan.h"

namespace sluice {

/// Runs every pass: constant folding and simplification, filter merging, predicate pushdown
/// (through projections and joins into scans), projection pushdown (scans read only needed
/// columns), sort + limit into top-k, limit pushdown.
PlanPtr Optimize(const PlanPtr& plan);

}  // namespace sluice
