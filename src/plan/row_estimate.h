// Rough row counts of plans, for choosing which side of a join to hold in memory and the join
// order. Base tables give their real row counts (Parquet footers, in-memory data; CSV from its
// size). A filter over a Parquet scan (through a view's plain projections) is judged by the
// files' statistics where it compares a column with constants: an equality keeps 1/distinct of
// the rows, a range its overlap with the column's min..max (integer and date columns); any
// other conjunct keeps 30%. A join keeps the larger side's rows scaled by the other side's
// filtering (the foreign-key join heuristic: a fact table joined with a filtered dimension keeps
// as many of its rows as the dimension kept of its own). No histograms or sampling: enough to
// tell 500 thousand filtered orders from 60 million lineitems.
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
