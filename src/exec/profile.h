// EXPLAIN ANALYZE's instrumentation: wrappers that count the rows a plan node produces and time
// its own operators, source and sink into the node's NodeProfile (plan/plan_profile.h). The
// physical planner adds them only when a run is profiled, so ordinary runs pay nothing. Memory
// and spill counters are kept by the operators themselves (ExecContext::counters).
#pragma once

#include <cstdint>
#include <memory>

#include "exec/pipeline.h"
#include "plan/plan_profile.h"

namespace sluice::exec {

/// Times every operator of `stream` from index `first_own_op` on (those the node added) and, when
/// `own_source`, its source.
void TimeStream(Stream* stream, size_t first_own_op, bool own_source, NodeProfile* profile);

/// Appends a pass-through operator that counts the rows leaving `stream`.
void CountRows(Stream* stream, NodeProfile* profile);

/// A breaker sink whose Consume and Finish time into `profile`.
std::unique_ptr<BreakerSink> ProfileSink(std::unique_ptr<BreakerSink> sink, NodeProfile* profile);

}  // namespace sluice::exec
