// Counting each model's readers and choosing where shared models are kept (see step_plan.h).
#include "pipeline/step_plan.h"

#include "sql/bind_names.h"

namespace sluice::pipeline {

const SharedModel* StepPlan::FindShared(const std::string& model) const {
  for (const SharedModel& entry : shared) {
    if (entry.model == model) return &entry;
  }
  return nullptr;
}

StepPlan PlanSteps(const PreparedPipeline& prepared, const std::vector<const SinkPlan*>& to_run,
                   bool all_tests) {
  const PipelineGraph& graph = prepared.graph();
  StepPlan plan;
  for (const SinkPlan* sink : to_run) {
    plan.models.insert(sink->models.begin(), sink->models.end());
    plan.tested.insert(sink->relations.begin(), sink->relations.end());
  }
  if (all_tests) {
    for (const SourceSpec& source : prepared.spec().sources) plan.tested.insert(source.name);
    for (const ModelSpec& model : prepared.spec().models) {
      if (model.tests.empty()) continue;
      std::vector<std::string> upstream = graph.Upstream(model.name);
      plan.models.insert(upstream.begin(), upstream.end());
      plan.tested.insert(model.name);
    }
  }

  // Readers this run: sinks writing a model, models reading it, and each of its tests.
  std::map<std::string, int> readers;
  for (const SinkPlan* sink : to_run) {
    if (const ModelNode* node = graph.FindModel(sink->sink->model)) ++readers[node->spec->name];
  }
  for (const ModelNode& node : graph.models) {
    if (!plan.models.count(node.spec->name)) continue;
    for (const std::string& read : node.reads) ++readers[read];
    if (plan.tested.count(node.spec->name))
      readers[node.spec->name] += static_cast<int>(node.spec->tests.size());
  }
  for (const ModelNode& node : graph.models) {
    const std::string& model = node.spec->name;
    if (!plan.models.count(model) || readers[model] < 2) continue;
    SharedModel shared{model, nullptr, readers[model]};
    for (const SinkPlan* sink : to_run) {
      bool plain_parquet =
          sink->sink->format == SinkSpec::Format::kParquet && sink->sink->partition_by.empty();
      if (plain_parquet && sql::LowerName(sink->sink->model) == sql::LowerName(model)) {
        shared.into = sink;
        break;
      }
    }
    plan.shared.push_back(shared);
  }
  return plan;
}

}  // namespace sluice::pipeline
