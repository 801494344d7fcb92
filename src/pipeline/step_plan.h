// What a run computes: the models the sinks to write need, the relations whose data tests run,
// and the models read more than once (by sinks, other models and tests), which are computed a
// single time — into their own sink's file when they have a plain Parquet one, else into a
// scratch file — and read back by every reader.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "pipeline/prepare.h"

namespace sluice::pipeline {

struct SharedModel {
  std::string model;
  const SinkPlan* into = nullptr;  ///< The sink whose output holds it; null: a scratch file.
  int readers = 0;
};

struct StepPlan {
  std::set<std::string> models;     ///< The models the run computes.
  std::set<std::string> tested;     ///< Sources and models whose data tests run.
  std::vector<SharedModel> shared;  ///< In model order.

  const SharedModel* FindShared(const std::string& model) const;
};

/// `to_run`: the sinks to write. `all_tests`: also test every source and model (a run without
/// --only), not only those the sinks read.
StepPlan PlanSteps(const PreparedPipeline& prepared, const std::vector<const SinkPlan*>& to_run,
                   bool all_tests);

}  // namespace sluice::pipeline
