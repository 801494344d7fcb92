// Scans as pipeline sources: Parquet and CSV files read in order, with the scan's pushed
// predicates applied right after decoding and row groups skipped by their statistics.
#pragma once

#include "exec/pipeline.h"
#include "plan/logical_plan.h"

namespace sluice::exec {

/// The stream of a kScan node: its source, then a filter for its pushed predicates and a
/// projection dropping the columns only those predicates needed.
Stream MakeScanStream(const LogicalPlan& scan, const ExecContext& context);

}  // namespace sluice::exec
