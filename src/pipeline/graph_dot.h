// `sluice graph`: the pipeline's DAG as Graphviz DOT — sources (cylinders), models (boxes,
// with their data tests), sinks (notes, with their paths) and the edges between them, in file
// order so the text is the same every time.
#pragma once

#include <string>

#include "pipeline/dag.h"

namespace sluice::pipeline {

std::string PipelineDot(const PipelineGraph& graph);

}  // namespace sluice::pipeline
