// The hash join (DESIGN.md "Execution"): a pipeline breaker on its build side and a streaming
// probe on the other. The physical planner calls MakeHashJoin with the two input streams; it runs
// the build input to completion into a partitioned hash table and returns the probe stream with
// a probe operator appended, so the join streams through whatever consumes it.
//
// Sides, and so output order, per join type:
//   inner, left, semi, anti: build on the right, probe the left; output follows the left input
//     (and, within one left row, the matching right rows in right input order).
//   right: the mirror of a left join: build on the left, probe the right; output follows the
//     right input, which is also what Polars does. It streams like a left join.
//   full: build on the right, probe the left as a left join, then append the right rows that
//     matched nothing, in right input order. The unmatched rows are only known once every probe
//     batch is done, so the probe output is collected here (in seq order) before the returned
//     stream starts; it is the one join type that does not stream.
//   cross: the left input in order, each left row with every right row in right input order,
//     produced in chunks by a source (cross_join.h).
// Null keys never match. With coalesce_keys, a pair of plain key columns yields the left key
// column only; for right and full joins it holds the first non-null of both.
#pragma once

#include "exec/pipeline.h"
#include "plan/logical_plan.h"

namespace sluice::exec {

/// Whether an inner, semi or anti join holds its left input in the table instead of its right
/// one, because it looks clearly smaller (plan/row_estimate).
bool HoldsLeft(const LogicalPlan& join);

/// Joins `left` and `right` (the streams of join.inputs[0] and [1]) as `join` says; the result's
/// schema is join.schema.
Stream MakeHashJoin(const LogicalPlan& join, Stream left, Stream right, const ExecContext& context);

}  // namespace sluice::exec
