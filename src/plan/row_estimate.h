// Rough row counts of plans, for choosing which side of a join to hold in memory. Base tables
// give their real row counts (Parquet footers, in-memory data; CSV from its size); every filter
// conjunct is assumed to keep 30% of rows, and a join keeps the larger side's rows scaled by
// the other side's filtering (the foreign-key join heuristic: a fact table joined with a
// filtered dimension keeps as many of its rows as the dimension kept of its own). No
// histograms or sampling: enough to tell 500 thousand filtered orders from 60 million lineitems.
#pragma once

#include "plan/logical_plan.h"

namespace sluice {

struct RowEstimate {
  double rows = 0;
  /// The share of its base tables' rows the plan keeps (filters and joins multiply it).
  double fraction = 1;
};

RowEstimate EstimateRows(const PlanPtr& plan);

}  // namespace sluice
