// What EXPLAIN ANALYZE shows per operator: the rows each plan node produced, the time its
// operators spent and, for operators that hold data (sort, aggregation, join build, window),
// their peak memory and what they spilled to disk and read back; filled in by the executor
// while the plan runs (exec/profile.h, exec/spill_file.h) and printed by ExplainPlan beside
// each node.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>

#include "plan/logical_plan.h"

namespace sluice {

/// An operator's memory and spill counters. The executor hands one to the operators of a
/// profiled node (ExecContext::counters); spill files count their own bytes into it.
struct SpillCounters {
  std::atomic<int64_t> peak_memory{0};      ///< The most the operator held at once (bytes).
  std::atomic<int64_t> spilled_bytes{0};    ///< Written to spill files.
  std::atomic<int64_t> read_back_bytes{0};  ///< Read back from them.
  std::atomic<int64_t> spill_count{0};      ///< Times the operator spilled.

  /// Raises peak_memory to `bytes` if that is more.
  void NotePeak(int64_t bytes) {
    int64_t peak = peak_memory.load(std::memory_order_relaxed);
    while (bytes > peak &&
           !peak_memory.compare_exchange_weak(peak, bytes, std::memory_order_relaxed)) {
    }
  }
};

struct NodeProfile : SpillCounters {
  std::atomic<int64_t> rows{0};   ///< Rows the node produced.
  std::atomic<int64_t> nanos{0};  ///< Time in its own operators, summed over threads.
};

class PlanProfile {
 public:
  /// The counters of `node`, created on first use. Thread-safe.
  NodeProfile* For(const LogicalPlan* node);
  /// The counters of `node`, or null when it did not run.
  const NodeProfile* Find(const LogicalPlan* node) const;

  /// The optimized plan that ran (the nodes the counters belong to).
  PlanPtr executed;

 private:
  mutable std::mutex mutex_;
  std::map<const LogicalPlan*, std::unique_ptr<NodeProfile>> nodes_;
};

}  // namespace sluice
