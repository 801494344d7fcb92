// Subplans computed once: an aggregate that occurs twice in a plan with the same input (TPC-H
// Q15's revenue view, joined with the suppliers and searched for its maximum) runs once, and
// both places read its rows from memory. Only aggregates whose result is estimated small are
// shared: holding their rows costs little, and running them again costs a pass over their input.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/batch.h"
#include "plan/logical_plan.h"

namespace sluice::exec {

class SharedSubplans {
 public:
  /// Finds the aggregates of `plan` worth sharing.
  explicit SharedSubplans(const PlanPtr& plan);

  /// The key under which `plan`'s result is shared, or empty when it is not.
  std::string KeyOf(const PlanPtr& plan) const;

  /// The rows stored under `key`, or null before they are.
  const std::vector<Batch>* Find(const std::string& key) const;
  void Store(const std::string& key, std::vector<Batch> batches);

 private:
  std::set<std::string> shared_;
  std::map<std::string, std::vector<Batch>> results_;
};

/// A text two subplans share only when they compute the same rows: every node's kind, output
/// schema and expressions, and scans by their source object (a view read twice shares it).
/// Empty when the subplan holds a node it does not describe.
std::string SubplanKey(const PlanPtr& plan);

}  // namespace sluice::exec
