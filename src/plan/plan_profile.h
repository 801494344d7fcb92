// What EXPLAIN ANALYZE shows per operator: the rows each plan node produced and the time its
// operators spent, filled in by the executor while the plan runs (exec/profile.h) and printed
// by ExplainPlan beside each node.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>

#include "plan/logical_plan.h"

namespace sluice {

struct NodeProfile {
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
