// Per-node counters of a profiled run (see plan_profile.h).
#include "plan/plan_profile.h"

namespace sluice {

NodeProfile* PlanProfile::For(const LogicalPlan* node) {
  std::lock_guard lock(mutex_);
  std::unique_ptr<NodeProfile>& profile = nodes_[node];
  if (!profile) profile = std::make_unique<NodeProfile>();
  return profile.get();
}

const NodeProfile* PlanProfile::Find(const LogicalPlan* node) const {
  std::lock_guard lock(mutex_);
  auto found = nodes_.find(node);
  return found == nodes_.end() ? nullptr : found->second.get();
}

}  // namespace sluice
