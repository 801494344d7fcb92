// The pipeline's graph (DESIGN.md "pipeline/"): which sources and models each model reads, found
// in its SQL before anything is bound, the order the models can be defined in, and which models
// each sink needs. Cycles and names that are neither a source nor a model are errors that name
// the model and the place in the pipeline file.
#pragma once

#include <string>
#include <vector>

#include "pipeline/pipeline_spec.h"
#include "sql/ast.h"

namespace sluice::pipeline {

struct ModelNode {
  const ModelSpec* spec = nullptr;
  std::shared_ptr<sql::Query> query;  ///< The parsed SQL.
  /// The sources and models it reads, by their declared names, in the order first written.
  std::vector<std::string> reads;
};

struct PipelineGraph {
  /// Every model, in an order where each comes after the models it reads (file order among
  /// models that do not depend on each other, so the order is the same every run).
  std::vector<ModelNode> models;

  const ModelNode* FindModel(const std::string& name) const;
  bool IsSource(const std::string& name) const;
  /// The models `relation` needs, itself included when it is a model, each before its readers.
  std::vector<std::string> Upstream(const std::string& relation) const;

  const PipelineSpec* spec = nullptr;
};

/// Parses every model's SQL (one query each) and orders the models. Throws invalid input for a
/// SQL syntax error (`pipeline.toml:17: model net_revenue: line 3, column 14: ...` with the
/// caret), a name that is neither a source nor a model, and a cycle (`models form a cycle:
/// a -> b -> a`).
PipelineGraph BuildGraph(const PipelineSpec& spec);

/// Prefixes a SQL error raised by a model's SQL with where the model is: the pipeline file and
/// line (mapping the SQL's line into the file for inline SQL) or the SQL file, and the model.
std::string ModelErrorMessage(const PipelineSpec& spec, const ModelSpec& model,
                              const std::string& message);

}  // namespace sluice::pipeline
