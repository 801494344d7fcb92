// Running a plan to its end: collecting the rows, or streaming them into a file. Optimizes the
// plan first, sets up threads, memory and progress reporting from RunOptions.
#pragma once

#include "core/data_frame.h"
#include "plan/lazy_frame.h"
#include "plan/logical_plan.h"

namespace sluice::exec {

/// Optimizes and runs `plan`, returning every row in order.
DataFrame Collect(const PlanPtr& plan, const RunOptions& options);

/// Optimizes and runs `plan`, counting its rows and dropping them as they come.
int64_t CountRows(const PlanPtr& plan, const RunOptions& options);

/// Optimizes and runs `plan` (whose top is a kSink) into its file; returns the rows written.
int64_t RunSink(const PlanPtr& plan, const RunOptions& options);

}  // namespace sluice::exec
