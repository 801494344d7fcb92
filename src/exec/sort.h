// The sort sink (DESIGN.md "Execution"): a pipeline breaker that orders its input by sort keys,
// stably (rows with equal keys keep input order, by batch seq then row), with optional top-k.
//
// Each batch is sorted on its own as it arrives (in parallel on the workers) into a sorted run;
// small runs are merged into bigger ones as they accumulate. TakeResult merges all runs: the
// output is cut into key ranges by sampled splitters and the ranges are merged in parallel, a
// few at a time, as the result source is pulled. Runs are self-contained (rows, normalized keys,
// input positions), which is what a later spill-to-disk step needs.
//
// Top-k (a limit): each batch keeps only its best k rows, pending runs are merged down to k rows
// whenever they add up to more than a few times k, and the k-th best key seen so far lets later
// batches skip rows that cannot make it. Memory stays O(k × batches in flight).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "core/schema.h"
#include "exec/pipeline.h"
#include "plan/logical_plan.h"

namespace sluice::exec {

/// A sink that sorts `input_schema` rows by `keys`; with `limit`, keeps only the first `limit`.
std::unique_ptr<BreakerSink> MakeSortSink(const Schema& input_schema,
                                          const std::vector<SortKey>& keys,
                                          std::optional<int64_t> limit, const ExecContext& context);

}  // namespace sluice::exec
