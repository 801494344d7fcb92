// A join's filter for its probe side's scan. Once the build side's table stands, a probe row
// whose key the table's Bloom filter rules out cannot match, and an inner, semi or marking
// probe outputs nothing for it: the probe's Parquet scan may leave such rows out, and read its
// other columns for the rows that may match alone (DuckDB and Polars push join filters into
// their scans as well).
#pragma once

#include <memory>
#include <vector>

#include "exec/join_probe.h"
#include "plan/logical_plan.h"

namespace sluice::exec {

/// Offers `probe` (the stream of the join input `probe_plan`, joined on `probe_on` by `spec`)
/// the rows that may match `build` as a filter, where that changes no output: the probe mode
/// outputs nothing for a row without a match, and `probe_on` are columns that `probe_plan`
/// passes on unchanged from the scan at the bottom of its stream (through filters, renaming-free
/// projections and the probe side of inner and left joins). The filter stops filtering once
/// most rows turn out to pass it.
void PushJoinFilter(const LogicalPlan& probe_plan, const std::vector<Expr>& probe_on,
                    const JoinProbeSpec& spec, std::shared_ptr<const JoinBuildSide> build,
                    Source* probe);

}  // namespace sluice::exec
