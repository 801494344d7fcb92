// The first half of a run, which writes nothing: a SQL session in which every source and model
// is a view, every model bound (so every SQL error surfaces before anything runs), every data
// test and sink checked against the schemas, and each sink's whole plan (all models inlined) —
// what `--dry-run` prints and what decides whether a sink is up to date.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "pipeline/dag.h"
#include "pipeline/pipeline_spec.h"
#include "plan/logical_plan.h"
#include "sql/session.h"

namespace sluice::pipeline {

struct SinkPlan {
  const SinkSpec* sink = nullptr;
  PlanPtr plan;           ///< The model's plan with every model inlined (not optimized).
  std::string plan_text;  ///< The optimized plan as `explain` prints it.
  /// The models it needs (each after those it reads) and every source and model it reads,
  /// directly or not, itself included: whose data tests guard it.
  std::vector<std::string> models;
  std::vector<std::string> relations;
  /// The files its scans read (sorted, each once).
  std::vector<std::string> input_files;
};

class PreparedPipeline {
 public:
  /// Binds everything; throws invalid input naming the source, model, test or sink and its
  /// line in the pipeline file.
  PreparedPipeline(const PipelineSpec& spec, const RunOptions& run);

  const PipelineSpec& spec() const { return *spec_; }
  const PipelineGraph& graph() const { return graph_; }
  sql::Session& session() { return *session_; }
  /// Every sink, in file order.
  const std::vector<SinkPlan>& sinks() const { return sinks_; }

  /// Makes `model`'s view a scan of `parquet_file` (where it was just computed, once for its
  /// several readers) and binds the models downstream of it again so that they read the file.
  void Materialize(const std::string& model, const std::string& parquet_file);
  /// The current plan of a source or model: inlined, or a scan of its materialized file.
  PlanPtr RelationPlan(const std::string& name) const;

  /// The tests declared on a source or model (empty when none).
  const std::vector<DataTestSpec>& TestsOf(const std::string& relation) const;

 private:
  void DefineSources();
  void BindModels();
  void CheckTestsAndSinks();

  const PipelineSpec* spec_;
  PipelineGraph graph_;
  std::unique_ptr<sql::Session> session_;
  std::vector<std::string> materialized_;  ///< Models whose view is now a file scan.
  std::vector<SinkPlan> sinks_;
};

/// The files a plan's scans read (Parquet and CSV; not rows held in memory), sorted, each once.
std::vector<std::string> PlanInputFiles(const PlanPtr& plan);

}  // namespace sluice::pipeline
